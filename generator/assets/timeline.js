// Filters on a timeline page: type, town and group, kept in the URL (?type=&town=&group=).
// Without JavaScript the form stays hidden and every incident is listed.
(function () {
  "use strict";
  function init() {
    var form = document.querySelector(".tl-filters");
    var namesEl = document.querySelector(".tl-names");
    if (!form || !namesEl) return;
    var names = JSON.parse(namesEl.textContent);
    var words = window.tlWords(form); // the count in the page's language (words.js)
    var items = Array.prototype.slice.call(document.querySelectorAll(".tl-list > li[data-f]"));
    var fields = ["type", "town", "group"];
    // [id, label] of every type, town and group on the page: a line's data-f ("2 0,7 1,3") holds
    // its type's, towns' and groups' places in these lists (kinds._filter_values)
    var lists = {
      type: names.types,
      town: names.towns,
      group: names.groups
    };
    var seen = { type: {}, town: {}, group: {} };
    var values = items.map(function (item) {
      var parts = item.dataset.f.split(" "), found = {};
      fields.forEach(function (name, n) {
        found[name] = (parts[n] || "").split(",").filter(Boolean).map(function (place) {
          var entry = lists[name][place];
          seen[name][entry[0]] = entry[1];
          return entry[0];
        });
      });
      return found;
    });
    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (name) {
      var select = form.elements[name];
      Object.keys(seen[name]).sort(function (a, b) { return seen[name][a].localeCompare(seen[name][b]); })
        .forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = seen[name][value];
          select.appendChild(option);
        });
      if (params.get(name) && seen[name][params.get(name)]) select.value = params.get(name);
      select.addEventListener("change", apply);
    });
    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();

    function apply() {
      var wanted = {}, shown = 0, query = new URLSearchParams();
      fields.forEach(function (name) {
        wanted[name] = form.elements[name].value;
        if (wanted[name]) query.set(name, wanted[name]);
      });
      items.forEach(function (item, n) {
        var ok = fields.every(function (name) { return !wanted[name] || values[n][name].indexOf(wanted[name]) >= 0; });
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      document.querySelectorAll(".tl-month").forEach(function (section) {
        section.hidden = !section.querySelector(".tl-list > li:not([hidden])");
      });
      form.querySelector(".tl-count").textContent = words.counted(
        "%(shown)s of %(num)s incident", "%(shown)s of %(num)s incidents", items.length, { shown: words.number(shown) });
      var search = query.toString();
      history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      document.querySelectorAll(".tl-pager a").forEach(function (link) {
        var url = new URL(link.getAttribute("href"), window.location.href);
        url.search = search;
        link.href = url.href;
      });
    }
  }
  if (typeof document$ !== "undefined") document$.subscribe(init); else document.addEventListener("DOMContentLoaded", init);
})();
