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
