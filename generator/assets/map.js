// The incident map (templates/map.html) and a town page's small map (.tl-minimap), with Leaflet.
// Text from the data only ever goes through textContent: popups and tooltips are DOM elements.
// Filters (years, type, group) are kept in the URL (?from=&to=&type=&group=), as on the timeline.
// Markers are drawn whether or not the map tiles load. Its words are the edition's (the map's
// data-words, from the gettext catalogue: kinds._map, read by words.js), English where a word is missing; in an
// edition but the first, a town or group without a name in its language keeps its English name,
// marked as English.
(function () {
  "use strict";

  var W = null; // the page's words (words.js), read when the map is drawn

  function escapeText(text) { // Leaflet writes attributions as HTML
    return String(text).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }

  function safeUrl(url, base) {
    try {
      var parsed = new URL(url, base);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (error) { return null; }
  }

  function addTiles(map, el) {
    var url = el.dataset.tiles || "";
    if (!/^(https:\/\/|\/|\.\.?\/)/.test(url)) return; // no tiles configured: markers on a plain ground
    L.tileLayer(url, { maxZoom: 18, attribution: escapeText(el.dataset.attribution || "") }).addTo(map);
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function label(type) { var t = type.replace(/-/g, " "); return t.charAt(0).toUpperCase() + t.slice(1); }

  function typeName(type) { return W.types[type] || label(type); }

  function minimap(el) {
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    if (el.dataset.ready || !isFinite(lat) || !isFinite(lon)) return;
    el.dataset.ready = "1";
    if (!el.style.height) el.style.height = "16rem";
    var map = L.map(el, { scrollWheelZoom: false, attributionControl: !!el.dataset.tiles }).setView([lat, lon], 9);
    addTiles(map, el);
    var name = element("span", el.dataset.name || "");
    L.circleMarker([lat, lon], { radius: 8, weight: 2, fillOpacity: 0.6 }).bindTooltip(name, { permanent: true }).addTo(map);
    el.tlMap = map;
  }

  function bigMap(el) {
    el.dataset.ready = "1";
    W = window.tlWords(el);
    var form = document.querySelector(".tl-map-filters");
    var base = new URL(el.dataset.root || "./", window.location.href).href;
    fetch(el.dataset.points).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) { draw(el, form, base, data); }, function () {
      var note = el.querySelector(".tl-map-fallback");
      if (note) note.textContent = W.say("The map's data could not be loaded. Every town is listed on the towns page.");
    });
  }

  function draw(el, form, base, data) {
    var points = data.features || [], groups = data.groups || {}, markers = {};
    var fallback = el.querySelector(".tl-map-fallback");
    if (fallback) fallback.remove();
    if (!el.style.height) el.style.height = "70vh";
    el.style.minHeight = "20rem";
    var map = L.map(el, { preferCanvas: points.length > 2000, scrollWheelZoom: false });
    addTiles(map, el);
    var layer = L.featureGroup().addTo(map), most = 1, years = {}, types = {};
    var lang = document.documentElement.lang, local = el.dataset.edition === lang, names = {};
    try { names = local ? JSON.parse(el.dataset.groups || "{}") : {}; } catch (error) { names = {}; }
    points.forEach(function (point) {
      var p = point.properties;
      if (local) { // an edition but the first: its names, its town pages (issue 21)
        p.english = !p["name_" + lang];
        p.name = p["name_" + lang] || p.name;
        p.url = "towns/" + p.id + "/";
        p.local = true;
      }
      most = Math.max(most, p.count);
      p.facets.forEach(function (f) { years[f[0]] = true; types[f[1]] = true; });
      var coordinates = point.geometry.coordinates;
      var marker = L.circleMarker([coordinates[1], coordinates[0]], { weight: 1, fillOpacity: 0.5 });
      marker.tlPoint = p;
      marker.bindPopup(function () { return popup(p, marker.tlMatch, base); });
      marker.bindTooltip(function () { return townName("span", p); });
      markers[p.id] = marker;
    });
    var bounds = L.latLngBounds(Object.keys(markers).map(function (id) { return markers[id].getLatLng(); }));
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 10 }); else map.setView([35, 38], 6);
    window.tlMap = { map: map, layer: layer, markers: markers };
    var choices = {
      from: Object.keys(years).sort().map(function (y) { return [y, y]; }),
      to: Object.keys(years).sort().reverse().map(function (y) { return [y, y]; }),
      type: Object.keys(types).sort().map(function (t) { return [t, typeName(t)]; }),
      group: Object.keys(groups).map(function (g) { return [g, names[g] || groups[g], local && !names[g]]; })
        .sort(function (a, b) { return a[1].localeCompare(b[1], lang || undefined); })
    };
    var params = new URLSearchParams(window.location.search);
    if (form) {
      Object.keys(choices).forEach(function (name) {
        var select = form.elements[name];
        choices[name].forEach(function (choice) {
          var option = element("option", choice[1]);
          option.value = choice[0];
          if (choice[2]) W.inEnglish(option);
          select.appendChild(option);
        });
        if (choices[name].some(function (c) { return c[0] === params.get(name); })) select.value = params.get(name);
        select.addEventListener("change", apply);
      });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      form.hidden = false;
    }
    apply();
    var chosen = markers[params.get("town")];
    if (chosen && layer.hasLayer(chosen)) { map.setView(chosen.getLatLng(), 10, { animate: false }); chosen.openPopup(); }

    function apply() {
      var wanted = {}, query = new URLSearchParams(), towns = 0;
      Object.keys(choices).forEach(function (name) {
        wanted[name] = form ? form.elements[name].value : "";
        if (wanted[name]) query.set(name, wanted[name]);
      });
      Object.keys(markers).forEach(function (id) {
        var marker = markers[id], match = matching(marker.tlPoint, wanted);
        marker.tlMatch = match;
        if (match.count) {
          marker.setRadius(4 + 18 * Math.sqrt(match.count / most));
          layer.addLayer(marker);
          towns += 1;
        } else {
          layer.removeLayer(marker);
        }
      });
      if (form) form.querySelector(".tl-count").textContent = W.counted("%(num)s town", "%(num)s towns", towns);
      map.closePopup();
      var search = query.toString();
      history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }
  }

  function matching(p, wanted) {
    var match = { count: 0, low: null, high: null, types: {}, filtered: false };
    p.facets.forEach(function (f) { // [year, type, [group ids], count, lowest deaths, highest deaths]
      if ((wanted.from && f[0] < +wanted.from) || (wanted.to && f[0] > +wanted.to)) return;
      if ((wanted.type && f[1] !== wanted.type) || (wanted.group && f[2].indexOf(wanted.group) < 0)) return;
      match.count += f[3];
      match.types[f[1]] = (match.types[f[1]] || 0) + f[3];
      if (f[4] !== null) { match.low = (match.low || 0) + f[4]; match.high = (match.high || 0) + f[5]; }
    });
    match.filtered = match.count !== p.count;
    return match;
  }

  function townName(tag, p) {
    var node = element(tag, p.name);
    return p.english ? W.inEnglish(node) : node;
  }

  function popup(p, match, base) {
    var box = element("div", undefined, "tl-map-popup"), heading = element("strong");
    var href = safeUrl(p.url, base), name = townName(href ? "a" : "span", p);
    if (href) name.href = href;
    heading.appendChild(name);
    box.appendChild(heading);
    var province = element("div", p.province);
    box.appendChild(p.local ? W.inEnglish(province) : province); // provinces have no translations
    var count = match.filtered
      ? W.counted("%(num)s incident of %(total)s here matches the filters",
        "%(num)s incidents of %(total)s here match the filters", match.count, { total: W.number(p.count) })
      : W.counted("%(num)s incident, %(first)s to %(last)s", "%(num)s incidents, %(first)s to %(last)s",
        match.count, { first: W.date(p.first), last: W.date(p.last) });
    box.appendChild(element("p", count));
    if (match.high !== null) {
      var range = match.low === match.high ? W.number(match.low) : W.number(match.low) + "–" + W.number(match.high);
      box.appendChild(element("p", W.say("Reported deaths: %(range)s", { range: range })));
    }
    var list = element("ul");
    Object.keys(match.types).sort().forEach(function (type) {
      list.appendChild(element("li", W.say("%(type)s: %(num)s", { type: typeName(type), num: W.number(match.types[type]) })));
    });
    box.appendChild(list);
    return box;
  }

  function init() {
    if (!window.L) return; // Leaflet did not load: the page keeps its note and links
    document.querySelectorAll(".tl-minimap").forEach(minimap);
    var el = document.getElementById("tl-map");
    if (el && !el.dataset.ready) bigMap(el);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
  if (typeof document$ !== "undefined") document$.subscribe(init);
})();
