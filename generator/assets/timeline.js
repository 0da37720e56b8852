// Filters on a timeline page: type, town and group, kept in the URL (?type=&town=&group=).
// Without JavaScript the form stays hidden and every incident is listed.
(function () {
  "use strict";
  function init() {
    var form = document.querySelector(".tl-filters");
    var namesEl = document.querySelector(".tl-names");
    if (!form || !namesEl) return;
    var names = JSON.parse(namesEl.textContent);
    var items = Array.prototype.slice.call(document.querySelectorAll(".tl-list > li[data-type]"));
    var fields = { type: "type", town: "towns", group: "groups" };
    var seen = { type: {}, town: {}, group: {} };
    items.forEach(function (item) {
      seen.type[item.dataset.type] = item.dataset.type.replace(/-/g, " ");
      item.dataset.towns.split(" ").forEach(function (id) { seen.town[id] = names.towns[id] || id; });
      item.dataset.groups.split(" ").forEach(function (id) { seen.group[id] = names.groups[id] || id; });
    });
    var params = new URLSearchParams(window.location.search);
    Object.keys(fields).forEach(function (name) {
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
      Object.keys(fields).forEach(function (name) {
        wanted[name] = form.elements[name].value;
        if (wanted[name]) query.set(name, wanted[name]);
      });
      items.forEach(function (item) {
        var ok = (!wanted.type || item.dataset.type === wanted.type) &&
          (!wanted.town || item.dataset.towns.split(" ").indexOf(wanted.town) >= 0) &&
          (!wanted.group || item.dataset.groups.split(" ").indexOf(wanted.group) >= 0);
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      document.querySelectorAll(".tl-month").forEach(function (section) {
        section.hidden = !section.querySelector(".tl-list > li:not([hidden])");
      });
      form.querySelector(".tl-count").textContent = shown + " of " + items.length + " incidents";
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
