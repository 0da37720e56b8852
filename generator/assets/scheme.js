// The reader's light/dark choice, applied as the header is drawn, before the page is shown:
// what Material writes inline into every page (partials/javascripts/base.html and
// palette.html), here once for every generated page to cache. The choice is kept where
// Material's bundle keeps it on the docs pages (localStorage, under the edition's root), so
// both kinds of page share it; lean.js switches it.
var __md_scope = new URL("..", document.currentScript.src),
  __md_get = function (key, storage, scope) {
    return JSON.parse((storage || localStorage).getItem((scope || __md_scope).pathname + "." + key));
  },
  __md_set = function (key, value, storage, scope) {
    try {
      (storage || localStorage).setItem((scope || __md_scope).pathname + "." + key, JSON.stringify(value));
    } catch (e) {}
  };
// The light/dark form of a lean page, drawn from its description (partials/palette.html) as
// Material's template draws it: per option a radio input and, if it has a toggle, the label
// that switches to the next option, hidden until lean.js shows the current one.
(function () {
  "use strict";
  var form = document.querySelector(".md-header form[data-palette]");
  if (!form) return;
  var sprite = new URL("icons.svg", document.currentScript.src).href;
  var svg = "http://www.w3.org/2000/svg";
  var options = JSON.parse(form.getAttribute("data-palette"));
  options.forEach(function (option, n) {
    var input = document.createElement("input");
    input.className = "md-option";
    ["media", "scheme", "primary", "accent"].forEach(function (key, k) {
      input.setAttribute("data-md-color-" + key, option[k]);
    });
    if (option[4] === null) input.setAttribute("aria-hidden", "true");
    else input.setAttribute("aria-label", option[4]);
    input.type = "radio";
    input.name = "__palette";
    input.id = "__palette_" + n;
    form.appendChild(input);
    if (option[4] === null) return;
    var label = document.createElement("label");
    label.className = "md-header__button md-icon";
    label.title = option[4];
    label.htmlFor = "__palette_" + (n + 1) % options.length;
    label.hidden = true;
    var icon = label.appendChild(document.createElementNS(svg, "svg"));
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.appendChild(document.createElementNS(svg, "use")).setAttribute("href", sprite + "#" + option[5]);
    form.appendChild(label);
  });
})();
(function () {
  "use strict";
  var palette;
  try {
    palette = __md_get("__palette");
  } catch (e) {
    return;
  }
  if (!palette || !palette.color) return;
  if (palette.color.media === "(prefers-color-scheme)") {
    var light = matchMedia("(prefers-color-scheme: light)").matches;
    var input = document.querySelector("[data-md-color-media='(prefers-color-scheme: " + (light ? "light" : "dark") + ")']");
    if (!input) return;
    ["media", "scheme", "primary", "accent"].forEach(function (key) {
      palette.color[key] = input.getAttribute("data-md-color-" + key);
    });
  }
  Object.keys(palette.color).forEach(function (key) {
    document.body.setAttribute("data-md-color-" + key, palette.color[key]);
  });
})();
