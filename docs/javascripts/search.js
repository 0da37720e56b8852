// The search page: a small UI of our own over Pagefind's JavaScript API (pagefind/pagefind.js),
// with the search kept in the address
// (?q=...&type=...&town=...&group=...&year=...&order=newest|oldest&from=YYYY&to=YYYY), so it can
// be linked and the Back button returns to it.
//
// What a first query downloads: Pagefind's script, web worker, WebAssembly and metadata, the
// index chunk of its words and the fragments of the results shown. A filter's file (the pages
// of each type, year, town or group: tens of KB each at 10,000 incidents, growing with the
// site) is fetched only when it is needed: when the reader opens that filter, or when the
// search uses it (a ticked value, a From/To range of years).
//
// Record text is untrusted: every element is built with createElement and textContent, never
// from HTML; Pagefind's excerpts are split on its <mark> tags, not parsed. Safe to run more
// than once (Material's instant navigation runs the scripts of each page it loads).
(function () {
  "use strict";
  var FILTERS = ["type", "town", "group", "year"]; // as in the address
  var SHOWN = [
    { name: "type", label: "Type" },
    { name: "year", label: "Year" },
    { name: "town", label: "Town", find: "Find a town" },
    { name: "group", label: "Group", find: "Find a group" },
  ];
  var ORDERS = { "": "Relevance", newest: "Newest first", oldest: "Oldest first" };
  var SORT = { newest: { date: "desc" }, oldest: { date: "asc" } };
  var PAGE = 5; // results shown at a time; each fetches its fragment
  var EXCERPT = 30; // words of a result's excerpt, as many as Pagefind's own
  var LISTED = 50; // values of a filter listed at once; its text box finds the others
  var script = document.currentScript;
  // The page's words in its edition's language: the search box's data-words (a JSON object of
  // each English text with its translation, docs/search.<code>.md); English where it has none.
  var WORDS = {};

  function t(text) {
    return Object.prototype.hasOwnProperty.call(WORDS, text) ? WORDS[text] : text;
  }

  // `text` with %1 and %2 replaced by `a` and `b` (record text: never read as a pattern)
  function fill(text, a, b) {
    return text.replace(/%([12])/g, function (mark, n) { return String(n === "1" ? a : b); });
  }

  function readWords(box) {
    try {
      WORDS = JSON.parse(box.getAttribute("data-words") || "{}");
    } catch (error) {
      WORDS = {};
    }
  }
  var root = new URL("../", script ? script.src : window.location.href); // this file is in javascripts/

  if (window.tlSearch) {
    window.tlSearch.init();
    return;
  }
  var current = null; // the UI on this page: { box, state, parts, loaded, years, run, timer }
  var pagefind = null; // a promise of the Pagefind module, once asked for
  var shards = []; // the index's shards (pagefind/shards.json), once Pagefind is loaded
  var budget = 250000; // bytes of shards' metadata and word chunks a search loads before it shows results
  // `search` is the page's own search by relevance, for the search-quality benchmark
  // (benchmarks/quality.py): a promise of the results for `term` that the page shows first.
  window.tlSearch = { init: init, search: function (term) {
    return api().then(function (module) { return begin(module, term, { filters: {} }, false); });
  } };
  if (typeof document$ !== "undefined") {
    document$.subscribe(init); // Material: every page, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  // An Arabic query as the index reads it (issue 21). Pagefind's Arabic stemmer already treats
  // the hamza forms of alef, final ة and ه, tatweel and diacritics as equal, and finds ى for a
  // query's ي, but not ي for a query's ى: ى is searched as ي (docs/search.md).
  function searchable(q) {
    return document.documentElement.lang === "ar" ? q.replace(/\u0649/g, "\u064a") : q;
  }

  function init() {
    var box = document.getElementById("tl-search");
    if (current && current.box !== box) {
      window.clearTimeout(current.timer);
      current = null;
    }
    if (!box || current) return;
    readWords(box);
    stylesheet("stylesheets/search.css");
    current = { box: box, state: read(), loaded: {}, years: null, run: 0, timer: 0, search: null, shown: 0 };
    Object.keys(current.state.filters).forEach(function (name) { current.loaded[name] = true; });
    if (current.state.from || current.state.to) current.loaded.year = true;
    current.parts = build(box, current.state);
    if (active(current.state)) later(0);
  }

  function stylesheet(path) {
    var href = new URL(path, root).href;
    if (document.querySelector('link[href="' + href + '"]')) return;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = href;
    document.head.appendChild(css);
  }

  // Pagefind, imported once per page load (instant navigation keeps it). The index comes in
  // shards, listed in order by pagefind/shards.json: pages without a date first, then incidents
  // in date order, each with the bytes a search fetches from it (`meta`: its metadata, which
  // grows with its pages; `chunk`: a word chunk, one for each word searched). Beside them, the build writes a small index of which
  // shards hold which words (`route`, generator/search.py), in Pagefind's own format: its pages
  // are the shards. Pagefind loads it first (its primary index), so a search asks it, with
  // Pagefind's own stemming and prefix rules, which shards can answer, and merges only those
  // (mergeIndex, each tagged with a filter of its own, `shard`, its place in the list from 1,
  // that no page shows). Pagefind searches every index merged so far, so a search names its
  // shards in that filter; an index merged for an earlier search still fetches the word chunk
  // of a later one.
  //
  // One index finds, for each word, the words that start with it, or when none does, its longest
  // word that starts the search word ("for" for "forensic"). A shard without the first kind
  // answers with the second, which one index never does when another shard has the first (issue
  // 18): asking the index of words, which has every shard's words, gives the shards one index
  // would find the word in, and no other.
  //
  // A word in many shards would fetch them all (1.5 MB at 100,000 incidents): a search loads
  // shards in turn while their bytes fit `budget`, shows what they found, and loads the next
  // ones when the reader asks for more results (a search by relevance then ranks each batch of
  // shards apart: the undated first, then the newest). A search that counts values for a filter
  // loads every shard that can answer, so that its counts are whole.
  function api() {
    if (!pagefind) {
      pagefind = Promise.all([
        import(new URL("pagefind/pagefind.js", root).href),
        fetch(new URL("pagefind/shards.json", root).href).then(function (response) {
          if (!response.ok) throw new Error("no pagefind/shards.json");
          return response.json();
        })
      ]).then(function (both) {
        var module = both[0], manifest = both[1];
        shards = manifest.shards.map(function (shard, place) {
          return { path: shard.path, dated: shard.dated, meta: shard.meta || 0, chunk: shard.chunk || 0,
                   id: String(place + 1), merged: null };
        });
        if (manifest.budget) budget = manifest.budget;
        return module.options({ basePath: new URL(manifest.route, root).pathname, baseUrl: root.pathname,
                                mergeFilter: { shard: "route" } })
          .then(function () { return module; });
      });
      pagefind.catch(function () { pagefind = null; }); // a later search tries again
    }
    return pagefind;
  }

  function bundle(shard) {
    return new URL(shard.path, root).pathname;
  }

  // The shards that can answer `term`, in the order a search takes them. Every shard for a search
  // by filters alone. A quoted search never widens a word: the words unquoted find a few more
  // shards, never fewer.
  function routed(module, term) {
    var words = (term || "").replace(/"/g, " ").trim();
    if (!words) return Promise.resolve(shards.slice());
    return module.search(words, { filters: { shard: { any: ["route"] } } }).then(function (found) {
      var ids = {};
      found.results.forEach(function (result) { ids[result.id] = true; });
      return shards.filter(function (shard) { return ids[shard.id]; });
    });
  }

  function merged(module, list) {
    return Promise.all(list.map(function (shard) {
      if (!shard.merged) {
        shard.merged = module.mergeIndex(bundle(shard), { baseUrl: root.pathname, mergeFilter: { shard: shard.id } });
        shard.merged.catch(function () { shard.merged = null; });
      }
      return shard.merged;
    }));
  }

  // A search of `term` by `options`: { results, filters, totalFilters, pending } from the shards
  // loaded so far (`pending`: those still to load). A date order leaves out the shards of pages
  // without a date, as Pagefind does, and takes the others from the newest or the oldest.
  // `whole`: every shard that can answer at once.
  function begin(module, term, options, whole) {
    return routed(module, term).then(function (list) {
      if (options.sort) {
        list = list.filter(function (shard) { return shard.dated; });
        if (options.sort.date === "desc") list.reverse();
      } else {
        var undated = list.filter(function (shard) { return !shard.dated; });
        list = undated.concat(list.filter(function (shard) { return shard.dated; }).reverse());
      }
      var search = { module: module, term: term, options: options, pending: list,
                     results: [], filters: {}, totalFilters: {} };
      return grow(search, whole ? Infinity : PAGE);
    });
  }

  // Loads shards of `search` in turn until it has `enough` results or none is left.
  function grow(search, enough) {
    if (!search.pending.length || search.results.length >= enough) return Promise.resolve(search);
    var words = (search.term || "").split(/\s+/).filter(Boolean).length;
    var next = enough === Infinity ? search.pending.splice(0) : batch(search.pending, words);
    return merged(search.module, next)
      .then(function () { return searchIn(search, next); })
      .then(function () { return grow(search, enough); });
  }

  // The first shards of `pending`, taken from it: as many as `budget` bytes allow for a search of
  // `words` words, one at least.
  function batch(pending, words) {
    var cost = function (shard) { return shard.meta + words * shard.chunk; };
    var spent = cost(pending[0]), n = 1;
    while (n < pending.length && spent + cost(pending[n]) <= budget) spent += cost(pending[n++]);
    return pending.splice(0, n);
  }

  // The results of `list`'s shards added to `search`'s. By relevance, Pagefind ranks them by their
  // scores; in a date order it scores each shard's by rank, so each shard is searched apart and
  // its results follow the previous shard's.
  function searchIn(search, list) {
    var ids = list.map(function (shard) { return shard.id; });
    var runs = search.options.sort ? ids.map(function (id) { return [id]; }) : [ids];
    return Promise.all(runs.map(function (some) {
      var options = Object.assign({}, search.options, { filters: Object.assign({}, search.options.filters) });
      options.filters.shard = { any: some };
      return search.module.search(search.term, options);
    })).then(function (found) {
      found.forEach(function (one) { search.results = search.results.concat(one.results); });
      search.filters = added([search.filters].concat(found.map(function (one) { return one.filters; })));
      search.totalFilters = found[0].totalFilters; // every page of every index merged, whatever the filters
    });
  }

  // Filter counts of several searches, summed.
  function added(counts) {
    var total = {};
    counts.forEach(function (filters) {
      Object.keys(filters || {}).forEach(function (name) {
        total[name] = total[name] || {};
        Object.keys(filters[name]).forEach(function (value) {
          total[name][value] = (total[name][value] || 0) + filters[name][value];
        });
      });
    });
    return total;
  }

  // ------------------------------------------------------------ the state, and the address

  function read() {
    var params = new URLSearchParams(window.location.search);
    var order = params.get("order");
    var state = { q: (params.get("q") || "").trim(), filters: {}, order: SORT[order] ? order : "",
                  from: year(params.get("from")), to: year(params.get("to")) };
    FILTERS.forEach(function (name) {
      var values = params.getAll(name).filter(Boolean);
      if (values.length) state.filters[name] = values.filter(function (v, i) { return values.indexOf(v) === i; });
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

  function year(value) {
    return /^\d{4}$/.test(value || "") ? value : "";
  }

  function active(state) {
    return !!(state.q || state.from || state.to || Object.keys(state.filters).length);
  }

  // ------------------------------------------------------------ the page

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  }

  function build(box, state) {
    box.textContent = "";
    var parts = { filters: {} };
    var form = element("form", "tl-search__form");
    form.setAttribute("role", "search");
    var label = element("label", "tl-search__label", t("Words to search for"));
    label.htmlFor = "tl-search-input";
    var input = element("input", "tl-search__input");
    input.id = "tl-search-input";
    input.type = "search";
    input.name = "q";
    input.autocomplete = "off";
    input.placeholder = t("Search incidents, towns and groups");
    input.value = state.q;
    form.appendChild(label);
    form.appendChild(input);

    var order = element("label", "tl-search__order", t("Order") + " ");
    var select = element("select");
    Object.keys(ORDERS).forEach(function (key) { select.appendChild(option(key, t(ORDERS[key]))); });
    select.value = state.order;
    order.appendChild(select);
    form.appendChild(order);

    var filters = element("div", "tl-search__filters");
    SHOWN.forEach(function (about) {
      parts.filters[about.name] = filterBlock(about, state);
      filters.appendChild(parts.filters[about.name].details);
    });
    form.appendChild(filters);

    var message = element("p", "tl-search__message");
    message.setAttribute("role", "status"); // announced when it changes (aria-live polite)
    var list = element("ol", "tl-search__results");
    list.setAttribute("aria-label", t("Results"));
    var more = element("button", "tl-search__more", t("More results"));
    more.type = "button";
    more.hidden = true;
    box.appendChild(form);
    box.appendChild(message);
    box.appendChild(list);
    box.appendChild(more);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      later(0);
    });
    input.addEventListener("focus", function () { api(); }, { once: true }); // start loading early
    input.addEventListener("input", function () {
      current.state.q = input.value.trim();
      later(300);
    });
    select.addEventListener("change", function () {
      current.state.order = select.value;
      later(0);
    });
    more.addEventListener("click", function () { showMore(current); });
    parts.input = input;
    parts.message = message;
    parts.list = list;
    parts.more = more;
    return parts;
  }

  function option(value, text) {
    var made = element("option", "", text);
    made.value = value;
    return made;
  }

  // A filter: a disclosure whose values are fetched when it opens (or when the search uses it).
  function filterBlock(about, state) {
    var name = about.name;
    var details = element("details", "tl-filter tl-filter--" + name);
    var summary = element("summary", "tl-filter__name", t(about.label));
    var chosen = element("span", "tl-filter__chosen");
    summary.appendChild(chosen);
    details.appendChild(summary);
    var block = { name: name, details: details, chosen: chosen, find: null, from: null, to: null,
                  counts: null, values: element("ul", "tl-filter__values"),
                  note: element("p", "tl-filter__note") };
    if (name === "year") {
      var range = element("div", "tl-filter__range");
      block.from = yearSelect(range, "tl-search__from", t("From") + " ", state.from);
      block.to = yearSelect(range, "tl-search__to", t("To") + " ", state.to);
      details.appendChild(range);
      [block.from, block.to].forEach(function (menu) {
        menu.addEventListener("change", function () {
          current.state.from = block.from.value;
          current.state.to = block.to.value;
          current.loaded.year = true;
          later(0);
        });
      });
    }
    if (about.find) {
      var finder = element("label", "tl-filter__find", t(about.find) + " ");
      block.find = element("input");
      block.find.type = "search";
      block.find.autocomplete = "off";
      finder.appendChild(block.find);
      details.appendChild(finder);
      block.find.addEventListener("input", function () { listValues(block); });
    }
    block.values.setAttribute("aria-label", t(about.label));
    details.appendChild(block.values);
    details.appendChild(block.note);
    if (state.filters[name] || (name === "year" && (state.from || state.to))) details.open = true;
    details.addEventListener("toggle", function () {
      if (details.open && !current.loaded[name]) {
        current.loaded[name] = true;
        block.note.textContent = t("Loading…");
        later(0);
      }
    });
    block.values.addEventListener("change", function (event) {
      var box = event.target;
      if (!box || box.type !== "checkbox") return;
      var values = (current.state.filters[name] || []).filter(function (v) { return v !== box.value; });
      if (box.checked) values.push(box.value);
      if (values.length) current.state.filters[name] = values;
      else delete current.state.filters[name];
      later(0);
    });
    chosenCount(block, state);
    return block;
  }

  function yearSelect(parent, className, text, value) {
    var labelled = element("label", className, text);
    var menu = element("select");
    menu.appendChild(option("", t("Any year")));
    if (value) menu.appendChild(option(value, value)); // the full list comes with the year filter
    menu.value = value;
    labelled.appendChild(menu);
    parent.appendChild(labelled);
    return menu;
  }

  function chosenCount(block, state) {
    var count = (state.filters[block.name] || []).length;
    if (block.name === "year" && (state.from || state.to)) count += 1;
    block.chosen.textContent = count ? " (" + count + " chosen)" : "";
  }

  // The values of a filter, ticked as in the search, with how many results each has.
  function listValues(block) {
    var counts = block.counts;
    if (!counts) return;
    var ticked = current.state.filters[block.name] || [];
    var words = block.find ? block.find.value.trim().toLocaleLowerCase() : "";
    var values = Object.keys(counts).filter(function (value) {
      if (ticked.indexOf(value) >= 0) return true;
      if (active(current.state) && !ticked.length && !counts[value]) return false; // no result
      return !words || value.toLocaleLowerCase().indexOf(words) >= 0;
    });
    ticked.forEach(function (value) { if (!(value in counts)) values.push(value); });
    values.sort(function (a, b) {
      return (ticked.indexOf(b) >= 0) - (ticked.indexOf(a) >= 0) || (a < b ? -1 : a > b ? 1 : 0);
    });
    var listed = values.slice(0, Math.max(LISTED, ticked.length));
    block.values.textContent = "";
    listed.forEach(function (value) {
      var item = element("li", "tl-filter__item");
      var label = element("label", "tl-filter__label");
      var box = element("input", "tl-filter__checkbox");
      box.type = "checkbox";
      box.name = block.name;
      box.value = value;
      box.checked = ticked.indexOf(value) >= 0;
      label.appendChild(box);
      label.appendChild(element("span", "tl-filter__value", value));
      label.appendChild(element("span", "tl-filter__count", " (" + (counts[value] || 0) + ")"));
      item.appendChild(label);
      block.values.appendChild(item);
    });
    block.note.textContent = values.length > listed.length
      ? fill(t("Showing %1 of %2: type a name above to find the others."), listed.length, values.length)
      : values.length ? "" : t("None.");
  }

  function fillYears(block, years) {
    [block.from, block.to].forEach(function (menu) {
      var chosen = menu.value;
      menu.textContent = "";
      menu.appendChild(option("", t("Any year")));
      years.forEach(function (value) { menu.appendChild(option(value, value)); });
      menu.value = chosen;
    });
  }

  // ------------------------------------------------------------ searching

  // Search what the state says, `delay` ms from now (the reader may still be typing).
  function later(delay) {
    var here = current;
    window.clearTimeout(here.timer);
    here.timer = window.setTimeout(function () { run(here); }, delay);
  }

  function run(here) {
    var state = here.state, number = ++here.run;
    var wanted = Object.keys(here.loaded);
    write(state);
    SHOWN.forEach(function (about) { chosenCount(here.parts.filters[about.name], state); });
    if (!active(state) && !wanted.length) return clear(here);
    api()
      .then(function (module) {
        if (here.run !== number) return null;
        return yearsFor(module, here, state).then(function () {
          var options = { filters: {} };
          wanted.forEach(function (name) { options.filters[name] = { any: [] }; }); // fetched, counted
          Object.keys(state.filters).forEach(function (name) { options.filters[name] = { any: state.filters[name] }; });
          if (state.from || state.to) options.filters.year = { any: inRange(here, state) };
          if (SORT[state.order]) options.sort = SORT[state.order];
          return begin(module, state.q ? searchable(state.q) : null, options, wanted.length > 0);
        });
      })
      .then(function (search) {
        if (!search || here.run !== number || current !== here) return;
        counts(here, search);
        if (active(state)) show(here, state, search);
        else clear(here);
      }, function () {
        if (here.run === number && current === here) {
          here.parts.message.textContent = t("Search is not available: its index was not found. " +
            "Every incident is listed on the Timeline, the Towns and the Groups pages.");
        }
      });
  }

  // The years that have incidents: needed to search a range with an open end. Fetches the year
  // filter, which a range search fetches anyway.
  function yearsFor(module, here, state) {
    if (here.years || !(state.from || state.to)) return Promise.resolve();
    return begin(module, null, { filters: { year: { any: [] } } }, true).then(function (search) {
      here.years = Object.keys(search.totalFilters.year || {}).sort();
    });
  }

  function inRange(here, state) {
    var low = state.from || "0000", high = state.to || "9999";
    var years = (here.years || []).filter(function (y) { return y >= low && y <= high; });
    var ticked = state.filters.year;
    if (ticked) years = years.filter(function (y) { return ticked.indexOf(y) >= 0; });
    return years.length ? years : ["none"];
  }

  function counts(here, search) {
    Object.keys(here.loaded).forEach(function (name) {
      var block = here.parts.filters[name], total = search.totalFilters[name];
      if (!total) return;
      var filtered = search.filters[name] || {};
      block.counts = {};
      Object.keys(total).forEach(function (value) {
        block.counts[value] = active(here.state) ? filtered[value] || 0 : total[value];
      });
      if (name === "year") {
        here.years = Object.keys(total).sort();
        fillYears(block, here.years);
      }
      listValues(block);
    });
  }

  function clear(here) {
    here.search = null;
    here.parts.message.textContent = "";
    here.parts.list.textContent = "";
    here.parts.more.hidden = true;
  }

  function show(here, state, search) {
    here.search = search;
    here.asked = { q: state.q, from: state.from, to: state.to }; // as searched: typing changes the state
    here.shown = 0;
    here.parts.list.textContent = "";
    showMore(here, state);
  }

  // How many results, said for `state`; "at least" while shards that can answer are not loaded.
  function said(state, search) {
    var count = search.results.length;
    var text = !count ? t("No results")
      : search.pending.length ? fill(t("At least %1 results"), count)
      : fill(t(count === 1 ? "%1 result" : "%1 results"), count);
    if (state.q) text += fill(t(" for %1"), state.q);
    if (state.from || state.to) text += fill(t(" in %1–%2"), state.from || "…", state.to || "…");
    return text;
  }

  // The next PAGE results, their fragments fetched together (and the next shards first, when
  // those loaded are all shown); the message once they are in, for a new search (`state`).
  function showMore(here, state) {
    var search = here.search, from = here.shown, number = here.run;
    if (!search) return;
    here.parts.more.hidden = true;
    grow(search, from + PAGE).then(function () {
      var next = search.results.slice(from, from + PAGE);
      here.shown = from + next.length;
      return Promise.all(next.map(function (result) { return result.data(); }));
    }).then(function (pages) {
      if (here.run !== number || current !== here) return;
      var items = pages.map(function (page) { return here.parts.list.appendChild(resultItem(page)); });
      here.parts.message.textContent = said(here.asked, search);
      here.parts.more.hidden = here.shown >= search.results.length && !search.pending.length;
      if (!state && items.length) items[0].querySelector("a").focus(); // not lost with the button
    }, function () {
      if (here.run === number && current === here) here.parts.more.hidden = false; // try again
    });
  }

  function resultItem(page) {
    var item = element("li", "tl-result");
    var meta = page.meta || {};
    var link = element("a", "tl-result__link", meta.title || page.url);
    var address = new URL(page.url, window.location.href);
    if (address.origin === window.location.origin) link.href = address.pathname + address.search + address.hash;
    else link.tabIndex = -1; // never a link to elsewhere; focusable for the More button
    item.appendChild(link);
    if (meta.date) item.appendChild(element("span", "tl-result__date", meta.date));
    item.appendChild(excerpt(page));
    return item;
  }

  // A result's excerpt: EXCERPT words of the page's text, from where Pagefind's excerpt starts
  // (the densest part of its matches), but never in the title, which the result's link shows: on
  // an incident's page, what follows the title is its summary (then its sources' headlines). The words Pagefind matched (its
  // locations, counted in the text split on spaces as it counts them) are marked. Pagefind's
  // own excerpt (words with < and > written &lt; and &gt;, <mark> around matches) is only used
  // to find where it starts: every piece shown is the page's text, as text.
  function excerpt(page) {
    var out = element("p", "tl-result__excerpt");
    var words = (page.content || "").split(/[\r\n\s]+/g);
    var plain = (page.excerpt || "").split(" ").map(function (token) { return token.replace(/<\/?mark>/g, ""); });
    var skip = titleEnd(words, (page.meta || {}).title), start = align(words, plain);
    if (start < skip) start = densest(page.weighted_locations || [], skip);
    var marked = {};
    (page.locations || []).forEach(function (at) { marked[at] = true; });
    var first = true;
    words.slice(start, start + EXCERPT).forEach(function (word, index) {
      if (!word) return;
      if (!first) out.appendChild(document.createTextNode(" "));
      first = false;
      if (marked[start + index]) out.appendChild(element("mark", "", word));
      else out.appendChild(document.createTextNode(word));
    });
    return out;
  }

  // Where an excerpt starts when Pagefind's is in the title: a few words before the matches past
  // `skip` that weigh most within EXCERPT words, or at `skip` when there are none.
  function densest(locations, skip) {
    var after = locations.filter(function (found) { return found.location >= skip; });
    var start = skip, best = -1;
    after.forEach(function (found) {
      var from = Math.max(skip, found.location - 5), sum = 0;
      after.forEach(function (other) {
        if (other.location >= from && other.location < from + EXCERPT) sum += other.balanced_score;
      });
      if (sum > best) { best = sum; start = from; }
    });
    return start;
  }

  // Where the page's text goes on past its title (Pagefind ends a heading with a full stop), or
  // 0 when the text does not start with it.
  function titleEnd(words, title) {
    var at = 0;
    while (at < words.length && !words[at]) at++;
    var parts = (title || "").split(/\s+/).filter(Boolean);
    for (var k = 0; k < parts.length; k++) {
      if (words[at + k] === undefined || words[at + k].replace(/\.$/, "") !== parts[k].replace(/\.$/, "")) return 0;
    }
    return parts.length ? at + parts.length : 0;
  }

  function escaped(word) {
    return word.replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // Where the excerpt's words start among the page's words; -1 if they are not there in order.
  function align(words, plain) {
    for (var start = 0; start + plain.length <= words.length; start++) {
      var k = 0;
      while (k < plain.length && escaped(words[start + k]) === plain[k]) k++;
      if (k === plain.length) return start;
    }
    return -1;
  }
})();
