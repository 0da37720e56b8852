// The search page: Pagefind's default UI, with the search kept in the address
// (?q=...&type=...&town=...&group=...&year=...&from=YYYY&to=YYYY&order=newest|oldest), so it
// can be linked and the Back button returns to it. A date range (From/To years) is searched
// through Pagefind's JavaScript API, which can ask for any year of a range
// ({year: {any: [...]}}): the default UI can only require one year, so while a range is set its
// result list gives way to ours. Safe to run more than once (Material's instant navigation
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
  var current = null; // { box, ui, timer, years, run }
  var pagefind = null; // the Pagefind module, once loaded
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
    var state = { q: params.get("q") || "", filters: {}, order: SORT[order] ? order : "",
                  from: year(params.get("from")), to: year(params.get("to")) };
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
    if (state.from) params.set("from", state.from);
    if (state.to) params.set("to", state.to);
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
    var state = { q: input ? input.value.trim() : "", filters: {}, order: order,
                  from: box.querySelector(".tl-search__from select").value,
                  to: box.querySelector(".tl-search__to select").value };
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
    var from = yearSelect("tl-search__from", "From ", state.from);
    var to = yearSelect("tl-search__to", "To ", state.to);
    var ranged = document.createElement("div");
    ranged.className = "tl-range";
    ranged.setAttribute("aria-live", "polite");
    ranged.hidden = true;
    var label = document.createElement("label");
    label.className = "tl-search__label";
    label.htmlFor = "tl-search-input";
    label.textContent = "Words to search for";
    var area = document.createElement("div");
    box.appendChild(order);
    box.appendChild(from);
    box.appendChild(to);
    box.appendChild(label);
    box.appendChild(area);
    box.appendChild(ranged);
    build(area, state);
    select.addEventListener("change", function () {
      var now = shown();
      current.ui.destroy();
      area.textContent = "";
      build(area, now);
      write(now);
    });
    // The year list waits for the UI to have loaded the index (its files then come from the
    // browser's cache), unless the address already asks for a range.
    var here = current;
    window.setTimeout(function () {
      if (current === here) knownYears(fillYears);
    }, state.from || state.to ? 0 : 1500);

    function fillYears(years) {
      current.years = years;
      [from, to].forEach(function (labelled) {
        var menu = labelled.querySelector("select"), chosen = menu.value;
        menu.textContent = "";
        [""].concat(years).forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value || "Any year";
          menu.appendChild(option);
        });
        menu.value = chosen;
      });
      searchRange(shown());
    }
    ["input", "change", "click", "keyup"].forEach(function (type) {
      area.addEventListener(type, later);
    });
    [from, to].forEach(function (labelled) {
      labelled.querySelector("select").addEventListener("change", later);
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
    searchRange(state);
  }

  function year(value) {
    return /^\d{4}$/.test(value || "") ? value : "";
  }

  function yearSelect(className, text, value) {
    var labelled = document.createElement("label");
    labelled.className = className;
    labelled.textContent = text;
    var menu = document.createElement("select");
    [""].concat(value ? [value] : []).forEach(function (option) {  // the full list comes with the index
      var item = document.createElement("option");
      item.value = option;
      item.textContent = option || "Any year";
      menu.appendChild(item);
    });
    menu.value = value;
    labelled.appendChild(menu);
    return labelled;
  }

  // Pagefind's JavaScript API, and the years that have incidents. Imported under its own
  // address, so this is an instance of its own: sharing the UI's would race with its start-up.
  function api() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js?range", root).href).then(function (module) {
        return module.options({ baseUrl: root.pathname }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function knownYears(done) {
    api()
      .then(function (module) { return module.filters(); })
      .then(function (filters) { done(Object.keys(filters.year || {}).sort()); }, function () { done([]); });
  }

  function inRange(state) {
    var low = state.from || "0000", high = state.to || "9999";
    var years = (current.years || []).filter(function (y) { return y >= low && y <= high; });
    return years.length ? years : ["none"];
  }

  // With a date range: the results of the words, the ticked filters and any year of the range.
  function searchRange(state) {
    var box = current.box, out = box.querySelector(".tl-range");
    var active = !!(state.from || state.to) && !!current.years;
    box.classList.toggle("tl-search--range", active);
    out.hidden = !active;
    if (!active) return;
    var run = (current.run = (current.run || 0) + 1);
    var filters = {};
    Object.keys(state.filters).forEach(function (name) { filters[name] = state.filters[name]; });
    filters.year = { any: inRange(state) };
    var options = { filters: filters };
    if (SORT[state.order]) options.sort = SORT[state.order];
    api()
      .then(function (module) { return module.search(state.q || null, options); })
      .then(function (search) {
        return Promise.all(search.results.slice(0, 10).map(function (result) { return result.data(); }))
          .then(function (pages) { if (current.run === run) showRange(out, state, search.results.length, pages); });
      });
  }

  function showRange(out, state, count, pages) {
    out.textContent = "";
    var message = document.createElement("p");
    message.className = "tl-range__message";
    var span = (state.from || "…") + "–" + (state.to || "…");
    message.textContent = count + (count === 1 ? " result" : " results") +
      (state.q ? " for " + state.q : "") + " in " + span;
    var list = document.createElement("ol");
    list.className = "tl-range__results";
    pages.forEach(function (page) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.className = "tl-range__link";
      link.href = page.url;
      link.textContent = (page.meta && page.meta.title) || page.url;
      var excerpt = document.createElement("p");
      excerpt.textContent = new DOMParser().parseFromString(page.excerpt || "", "text/html").body.textContent;
      item.appendChild(link);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    out.appendChild(message);
    out.appendChild(list);
  }

  // After the UI has handled an event, and the reader has paused typing, note the search.
  function later() {
    var here = current;
    window.clearTimeout(here.timer);
    here.timer = window.setTimeout(function () {
      if (current === here && document.body.contains(here.box)) {
        var now = shown();
        write(now);
        searchRange(now);
      }
    }, 300);
  }
})();
