// The search page: Pagefind's default UI, with the search kept in the address
// (?q=...&type=...&town=...&group=...&year=...&order=newest|oldest), so it can be linked and
// the Back button returns to it. Safe to run more than once (Material's instant navigation
// runs the scripts of each page it loads): it builds the UI once per page.
(function () {
  "use strict";
  var FILTERS = ["type", "town", "group", "year"];
  var ORDERS = { "": "Relevance", newest: "Newest first", oldest: "Oldest first" };
  var SORT = { newest: { date: "desc" }, oldest: { date: "asc" } };
  var script = document.currentScript;
  var root = new URL("../", script ? script.src : window.location.href); // this file is in javascripts/

  if (window.tlSearch) {
    window.tlSearch.init();
    return;
  }
  var current = null; // { box, ui, timer }
  window.tlSearch = { init: init };
  if (typeof document$ !== "undefined") {
    document$.subscribe(init); // Material: every page, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  function init() {
    var box = document.getElementById("tl-search");
    if (current && current.box !== box) {
      current.ui && current.ui.destroy();
      current = null;
    }
    if (!box || current) return;
    current = { box: box, ui: null, timer: 0 };
    load(function (ok) {
      if (!current || current.box !== box) return;
      if (ok) start(read());
      else fail();
    });
  }

  function load(done) {
    ["pagefind/pagefind-ui.css", "stylesheets/search.css"].forEach(function (path) {
      var href = new URL(path, root).href;
      if (document.querySelector('link[href="' + href + '"]')) return;
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = href;
      document.head.appendChild(css);
    });
    if (window.PagefindUI) return done(true);
    var tag = document.createElement("script");
    tag.src = new URL("pagefind/pagefind-ui.js", root).href;
    tag.onload = function () { done(!!window.PagefindUI); };
    tag.onerror = function () { tag.remove(); done(false); };
    document.head.appendChild(tag);
  }

  function fail() {
    current.box.textContent = "Search is not available: its index was not found. " +
      "Every incident is listed on the Timeline, the Towns and the Groups pages.";
  }

  // The state of a search, from the address and back.
  function read() {
    var params = new URLSearchParams(window.location.search);
    var order = params.get("order");
    var state = { q: params.get("q") || "", filters: {}, order: SORT[order] ? order : "" };
    FILTERS.forEach(function (name) {
      var values = params.getAll(name).filter(Boolean);
      if (values.length) state.filters[name] = values;
    });
    return state;
  }

  function write(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FILTERS.forEach(function (name) {
      (state.filters[name] || []).forEach(function (value) { params.append(name, value); });
    });
    if (state.order) params.set("order", state.order);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  // What the reader has on screen now.
  function shown() {
    var box = current.box;
    var input = box.querySelector(".pagefind-ui__search-input");
    var order = box.querySelector(".tl-search__order select").value;
    var state = { q: input ? input.value.trim() : "", filters: {}, order: order };
    box.querySelectorAll(".pagefind-ui__filter-checkbox:checked").forEach(function (checkbox) {
      (state.filters[checkbox.name] = state.filters[checkbox.name] || []).push(checkbox.value);
    });
    return state;
  }

  function start(state) {
    var box = current.box;
    box.textContent = "";
    var order = document.createElement("label");
    order.className = "tl-search__order";
    order.textContent = "Order ";
    var select = document.createElement("select");
    Object.keys(ORDERS).forEach(function (key) {
      var option = document.createElement("option");
      option.value = key;
      option.textContent = ORDERS[key];
      select.appendChild(option);
    });
    select.value = state.order;
    order.appendChild(select);
    var label = document.createElement("label");
    label.className = "tl-search__label";
    label.htmlFor = "tl-search-input";
    label.textContent = "Words to search for";
    var area = document.createElement("div");
    box.appendChild(order);
    box.appendChild(label);
    box.appendChild(area);
    build(area, state);
    select.addEventListener("change", function () {
      var now = shown();
      current.ui.destroy();
      area.textContent = "";
      build(area, now);
      write(now);
    });
    ["input", "change", "click", "keyup"].forEach(function (type) {
      area.addEventListener(type, later);
    });
  }

  // Pagefind's UI, showing `state`. Sorting by date leaves out the town and group pages.
  function build(area, state) {
    current.ui = new PagefindUI({
      element: area,
      bundlePath: new URL("pagefind/", root).href,
      baseUrl: root.pathname,
      showSubResults: false,
      showImages: false,
      showEmptyFilters: false,
      sort: SORT[state.order] || null,
      translations: { placeholder: "Search incidents, towns and groups" },
    });
    var input = area.querySelector(".pagefind-ui__search-input");
    if (input) input.id = "tl-search-input"; // for the visible label above, not only a title
    if (Object.keys(state.filters).length) current.ui.triggerFilters(state.filters);
    if (state.q) current.ui.triggerSearch(state.q);
  }

  // After the UI has handled an event, and the reader has paused typing, note the search.
  function later() {
    var here = current;
    window.clearTimeout(here.timer);
    here.timer = window.setTimeout(function () {
      if (current === here && document.body.contains(here.box)) write(shown());
    }, 300);
  }
})();
