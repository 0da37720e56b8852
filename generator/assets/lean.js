// What a generated page (incident, town, group, timeline, ...) needs of Material's script
// bundle, in place of its 110 KB: the light/dark toggle (the same choice, kept in the same
// place, as the bundle keeps it on the docs pages), the back-to-top button, the header's
// shadow and title once the page scrolls, and keyboard access to a code block that scrolls.
// The phone menu is Material's checkbox and needs no script. Loaded by
// generator/theme/main.html on pages whose meta has a kind.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  // Light/dark: Material's palette form (partials/palette.html), one radio input per scheme,
  // each followed by the label that switches to the next one. A lean page names none of the
  // elements below for Material's bundle (data-md-component): they are found by their classes.
  var form = document.querySelector(".md-header form");
  if (form) {
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input"));
    var show = function (input, save) {
      var index = inputs.indexOf(input);
      var color = {};
      ["media", "scheme", "primary", "accent"].forEach(function (key) {
        color[key] = input.getAttribute("data-md-color-" + key);
        document.body.setAttribute("data-md-color-" + key, color[key]);
      });
      inputs.forEach(function (other, n) {
        var label = other.nextElementSibling;
        if (label && label.tagName === "LABEL") label.hidden = n !== index;
      });
      input.checked = true;
      if (save) __md_set("__palette", { index: index, color: color });
    };
    var saved = __md_get("__palette");
    var index = saved ? saved.index : inputs.findIndex(function (input) {
      return matchMedia(input.getAttribute("data-md-color-media")).matches;
    });
    if (inputs.length) show(inputs[Math.max(0, Math.min(index, inputs.length - 1))], false);
    inputs.forEach(function (input) {
      input.addEventListener("change", function () { show(input, true); });
    });
    form.addEventListener("keydown", function (event) {
      var label = event.target.closest ? event.target.closest("label") : null;
      if (event.key === "Enter" && label) label.click();
    });
  }

  // Scrolling: the header's shadow and the page title in it past the <h1>, and the
  // back-to-top button while the reader scrolls up past the top of the content.
  var header = document.querySelector(".md-header");
  var title = document.querySelector(".md-header__title");
  var top = document.querySelector(".md-top");
  var heading = document.querySelector(".md-content h1");
  var main = document.querySelector("main");
  var last = window.pageYOffset;
  var update = function () {
    var y = window.pageYOffset;
    var below = header ? header.getBoundingClientRect().height : 0;  // what the header covers
    // as the bundle does: a shadow once the content meets the header (at once on a phone,
    // where there are no tabs between them), the page's title once its <h1> is under it
    if (header && main) header.classList.toggle("md-header--shadow", main.getBoundingClientRect().top <= below);
    if (title && heading) {
      title.classList.toggle("md-header__title--active", heading.getBoundingClientRect().bottom <= below);
    }
    if (top) {
      top.hidden = !(y < last && y > 400);
      top.classList.toggle("md-top--hidden", top.hidden);
    }
    last = y;
  };
  if (top) {
    top.addEventListener("click", function () {
      top.blur();
      window.scrollTo({ top: 0 });
    });
  }
  window.addEventListener("scroll", update, { passive: true });
  update();

  // A code block wider than the page (a citation's BibTeX) scrolls: it takes the keyboard's
  // focus, as the bundle makes it do, so a reader without a mouse can scroll it.
  var code = Array.prototype.slice.call(document.querySelectorAll(".md-typeset pre > code"));
  var focusable = function () {
    code.forEach(function (block) {
      if (block.scrollWidth > block.clientWidth) block.setAttribute("tabindex", "0");
      else block.removeAttribute("tabindex");
    });
  };
  window.addEventListener("resize", focusable);
  focusable();
})();
