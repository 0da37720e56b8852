// The words of a page's script in its edition's language, shared by map.js and new.js: an
// element's data-words (i18n.script_words: messages from the gettext catalogue, plural forms by
// CLDR category, the locale's digits, month names and date patterns), English where one is
// missing. Values filled into a message are set as text by the callers, never as HTML.
(function () {
  "use strict";

  window.tlWords = function (el) {
    var words = {};
    try { words = JSON.parse((el && el.getAttribute("data-words")) || "{}") || {}; } catch (error) { words = {}; }
    var lang = document.documentElement.lang || "en", plurals = new Intl.PluralRules(lang);

    function fill(text, values) { // %(name)s from `values`, in one pass: a value is never read as a message
      return String(text).replace(/%\((\w+)\)s/g, function (all, key) {
        return values && Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
      });
    }

    function number(n) {
      var digits = words.digits || "0123456789";
      return String(n).replace(/[0-9]/g, function (d) { return digits.charAt(+d); });
    }

    return {
      lang: lang,
      types: words.types || {},
      say: function (message, values) {
        return fill(typeof words[message] === "string" ? words[message] : message, values);
      },
      counted: function (singular, plural, n, values) { // by the number's CLDR plural category
        var forms = words[singular], text = n === 1 ? singular : plural;
        if (forms && typeof forms === "object") text = forms[plurals.select(n)] || forms.other || text;
        values = values || {};
        values.num = number(n);
        return fill(text, values);
      },
      number: number,
      date: function (iso) { // "2015-08" as the edition writes it ("August 2015", "آب 2015")
        var parts = String(iso).split("-"), patterns = words.dates, months = words.months;
        if (!patterns || !months) return iso;
        var pattern = patterns[["year", "month", "day"][parts.length - 1]] || iso;
        return fill(pattern, { y: number(+parts[0]), m: months[+parts[1] - 1], d: number(+parts[2]) });
      },
      inEnglish: function (node) { // a record's own text, or the schema's, on a page in another language
        node.lang = words.source_language || "en";
        node.dir = "ltr";
        return node;
      },
      foreign: lang !== (words.source_language || "en") // the page is not in the records' language
    };
  };
})();
