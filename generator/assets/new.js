// The form at /new/: a person fills in an incident and gets its YAML file, checked as they type.
//
// Its fields come from assets/record-form.json, written at build time from generator/schema.py
// and the registries (generator/form.py): labels, descriptions, limits and incident types are
// never listed here. The checks give the validator's own messages (generator/types.py, rules.py);
// tests/test_new_form.py compares them with the validator's on the file the form writes. The
// YAML is written in the layout `generator fmt` gives (ruamel.yaml's emitter, ported below for
// the few kinds of value a record has), so the file passes `generator fmt --check` unchanged.
//
// Nothing typed is ever inserted as HTML: every element is made with createElement and filled
// with textContent.
//
// Its own words are the edition's (the form's data-words, from the gettext catalogue: form.py's
// FORM_MESSAGES, read by words.js), the labels come translated in the description; the fields'
// descriptions and the validator's messages are in the records' language (English), marked so
// on a page in another. A translation's field (title_ar) is written in its language's direction.
(function () {
  "use strict";

  var W = window.tlWords ? window.tlWords(document.querySelector("form.tl-new")) : null;
  function say(message, values) { return W ? W.say(message, values) : message; }
  function english(node) { return W && W.foreign ? W.inEnglish(node) : node; }

  // ------------------------------------------------------------------ text as Python sees it

  // str.strip()'s whitespace, and \s of Python's re (both differ from JavaScript's).
  var SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var STRIP = new RegExp("^[" + SPACE + "]+|[" + SPACE + "]+$", "g");
  var WEB_ADDRESS = new RegExp("^https?://[^" + SPACE + "/?#]+[^" + SPACE + "]*$", "i");
  // types.py: control characters and bidirectional overrides and isolates, in a line or in text.
  var HIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
  var HIDDEN_IN_LINE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  // load.py: characters a record file may not hold at all (outside a quoted string's escapes).
  var CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/;
  var DATE = /^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$/;
  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

  function strip(text) { return text.replace(STRIP, ""); }
  function chars(text) { return Array.from(text); }
  function len(text) { return chars(text).length; }
  function hex(ch) { var code = ch.codePointAt(0).toString(16).toUpperCase(); return "0000".slice(code.length) + code; }
  function fold(name) {  // rules.fold: how a contributor may type a name
    return name.normalize("NFKC").toLowerCase().replace(/-/g, " ").split(/\s+/).filter(Boolean).join(" ");
  }

  // ------------------------------------------------------------------ YAML, as `generator fmt` writes it

  var WIDTH = 100;  // fmt.WIDTH
  var BREAKS = "\n\x85\u2028\u2029";
  var ESCAPES = { "\0": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v", "\x0c": "f",
                  "\r": "r", "\x1b": "e", "\"": "\"", "\\": "\\", "\x85": "N", "\xa0": "_",
                  "\u2028": "L", "\u2029": "P" };
  // Plain text YAML 1.1 (the validator's PyYAML) or 1.2 (fmt's ruamel.yaml) would read as something
  // else: numbers, dates, booleans, null. Over-cautious: such text is quoted, which fmt keeps.
  var NOT_TEXT = /^(?:[-+.]?[0-9]|[-+]?\.(?:inf|nan)$|(?:y|n|yes|no|true|false|on|off|null|~|<<|=)$)/i;

  function unicodeOk(ch) {
    return (ch === "\x85" || (ch >= "\xa0" && ch <= "\ud7ff") || (ch >= "\ue000" && ch <= "\ufffd") ||
            ch.codePointAt(0) > 0xffff) && ch !== "\ufeff";
  }

  function singleAllowed(text) {  // analyze_scalar's allow_single_quoted, for one line of text
    return chars(text).every(function (ch) { return (ch >= " " && ch <= "~") || unicodeOk(ch); });
  }

  // ruamel.yaml's Emitter.analyze_scalar, for the one answer we need: may it be plain in a block?
  function plainAllowed(text) {
    if (!text || NOT_TEXT.test(text) || text.indexOf("  ") >= 0) return false;
    var t = chars(text), block = false, special = false, lineBreaks = false;
    var ws = "\0 \t\r\n\x85\u2028\u2029";
    if (text.slice(0, 3) === "---" || text.slice(0, 3) === "...") block = true;
    var preceded = true, followed = t.length === 1 || ws.indexOf(t[1]) >= 0;
    var prevSpace = false, prevBreak = false, leading = false, trailing = false, breakSpace = false, spaceBreak = false;
    for (var i = 0; i < t.length; i++) {
      var ch = t[i];
      if (i === 0) {
        if ("#,[]{}&*!|>'\"%@`".indexOf(ch) >= 0) block = true;
        if ("?:".indexOf(ch) >= 0 && followed) block = true;
        if (ch === "-" && followed) block = true;
      } else {
        if (ch === ":" && followed) block = true;
        if (ch === "#" && preceded) block = true;
      }
      if (BREAKS.indexOf(ch) >= 0) lineBreaks = true;
      if (!(ch === "\n" || (ch >= " " && ch <= "~")) && !unicodeOk(ch)) special = true;
      if (ch === " ") {
        if (i === 0) leading = true;
        if (i === t.length - 1) trailing = true;
        if (prevBreak) breakSpace = true;
        prevSpace = true; prevBreak = false;
      } else if (BREAKS.indexOf(ch) >= 0) {
        if (i === 0 || i === t.length - 1) leading = true;
        if (prevSpace) spaceBreak = true;
        prevSpace = false; prevBreak = true;
      } else {
        prevSpace = false; prevBreak = false;
      }
      preceded = ws.indexOf(ch) >= 0;
      followed = i + 2 >= t.length || ws.indexOf(t[i + 2]) >= 0;
    }
    return !(leading || trailing || breakSpace || special || spaceBreak || lineBreaks || block);
  }

  function Emitter() {
    this.out = ""; this.column = 0; this.indent = 0; this.whitespace = true; this.indention = true;
    this.literalLines = {};  // lines of block scalars, whose trailing spaces are text
    this.unsafe = [];  // values fmt's emitter would not write back as they are
  }
  Emitter.prototype.write = function (data) { this.out += data; this.column += len(data); };
  Emitter.prototype.lineBreak = function (br) {
    this.out += br || "\n"; this.column = 0; this.whitespace = true; this.indention = true;
  };
  Emitter.prototype.writeIndent = function () {
    if (!this.indention || this.column > this.indent || (this.column === this.indent && !this.whitespace)) {
      this.lineBreak();
    }
    if (this.column < this.indent) {
      this.whitespace = true;
      this.out += " ".repeat(this.indent - this.column);
      this.column = this.indent;
    }
  };
  Emitter.prototype.indicator = function (text, needWhitespace) {
    this.write(this.whitespace || !needWhitespace ? text : " " + text);
    this.whitespace = false; this.indention = false;
  };
  // fmt's _Emitter: text without a space (an address) is never folded.
  Emitter.prototype.plain = function (text) {
    var best = text.indexOf(" ") >= 0 ? WIDTH : Infinity;
    if (!this.whitespace) this.write(" ");
    this.whitespace = false; this.indention = false;
    var t = chars(text), spaces = false, breaks = false, start = 0, end = 0;
    while (end <= t.length) {
      var ch = end < t.length ? t[end] : null;
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.column >= best) {
            this.writeIndent(); this.whitespace = false; this.indention = false;
          } else {
            this.write(t.slice(start, end).join(""));
          }
          start = end;
        }
      } else if (!breaks && (ch === null || (" " + BREAKS).indexOf(ch) >= 0)) {
        var data = t.slice(start, end).join("");
        if (end - start + this.column > best && this.column > this.indent) this.writeIndent();
        this.write(data);
        start = end;
      }
      if (ch !== null) { spaces = ch === " "; breaks = BREAKS.indexOf(ch) >= 0; }
      end += 1;
    }
  };
  Emitter.prototype.doubleQuoted = function (text) {
    this.indicator("\"", true);
    var t = chars(text), start = 0, end = 0;
    while (end <= t.length) {
      var ch = end < t.length ? t[end] : null;
      if (ch === null || "\"\\\x85\u2028\u2029\ufeff".indexOf(ch) >= 0 ||
          !((ch >= " " && ch <= "~") || (ch >= "\xa0" && ch <= "\ud7ff") || (ch >= "\ue000" && ch <= "\ufffd") ||
            ch.codePointAt(0) > 0xffff)) {
        if (start < end) { this.write(t.slice(start, end).join("")); start = end; }
        if (ch !== null) {
          var code = ch.codePointAt(0), data;
          if (ESCAPES[ch] !== undefined) data = "\\" + ESCAPES[ch];
          else if (code <= 0xff) data = "\\x" + hex(ch).slice(2);
          else if (code <= 0xffff) data = "\\u" + hex(ch);
          else data = "\\U" + ("00000000" + code.toString(16).toUpperCase()).slice(-8);
          this.write(data);
          start = end + 1;
        }
      }
      if (end > 0 && end < t.length - 1 && (ch === " " || start >= end) &&
          this.column + (end - start) > WIDTH) {
        var backslash = true, space = t.indexOf(" ", end);
        if (space >= 0) {
          var newline = t.slice(end, space).indexOf("\n");
          if (newline >= 0) space = end + newline;
          if (space + 1 < t.length) {
            var between = t.slice(end, space).join("");
            if (t[space] === "\n" && t[space + 1] !== " ") {
              // keeps the backslash
            } else if (between.indexOf("\"") < 0 && between.indexOf("'") < 0 && " \n".indexOf(t[space + 1]) < 0 &&
                       t.slice(end - 1, end + 1).join("") !== "  " && start !== end) {
              backslash = false;
            }
          }
        }
        if (start > end && !backslash) this.unsafe.push({ where: this.where, ch: t[end] });  // ruamel.yaml's slip
        var piece = t.slice(start, end).join("") + (backslash ? "\\" : "");
        if (start < end) start = end;
        this.write(piece);
        this.writeIndent();
        this.whitespace = false; this.indention = false;
        if (t[start] === " ") {
          if (!backslash) start += 1;
          this.write(backslash ? "\\" : "");
        }
      }
      end += 1;
    }
    this.indicator("\"", false);
  };
  Emitter.prototype.literal = function (text) {
    var t = chars(text), hints = "";
    if (BREAKS.indexOf(t[0]) >= 0 || t[0] === " ") hints += "2";
    if (BREAKS.indexOf(t[t.length - 1]) < 0) hints += "-";
    else if (t.length === 1 || BREAKS.indexOf(t[t.length - 2]) >= 0) hints += "+";
    this.indicator("|" + hints, true);
    this.lineBreak();
    var breaks = true, start = 0, end = 0;
    while (end <= t.length) {
      var ch = end < t.length ? t[end] : null;
      if (breaks) {
        if (ch === null || BREAKS.indexOf(ch) < 0) {
          for (var i = start; i < end; i++) this.lineBreak(t[i] === "\n" ? null : t[i]);
          if (ch !== null) {
            this.writeIndent();
            this.literalLines[this.out.split("\n").length - 1] = true;
          }
          start = end;
        }
      } else if (ch === null || BREAKS.indexOf(ch) >= 0) {
        this.write(t.slice(start, end).join(""));
        if (ch === null) this.lineBreak();
        start = end;
      }
      if (ch !== null) breaks = BREAKS.indexOf(ch) >= 0;
      end += 1;
    }
  };
  Emitter.prototype.scalar = function (value, indent) {
    this.indent = indent; this.where = value.where || [];
    if (value.style === "literal") this.literal(value.text);
    else if (value.style === "plain" || (value.style !== "double" && plainAllowed(value.text))) this.plain(value.text);
    else if (!value.style && value.text.indexOf("\\") >= 0 && singleAllowed(value.text)) this.singleQuoted(value.text);
    else this.doubleQuoted(value.text);
  };
  // A backslash is written as it is between single quotes: between double quotes, ruamel.yaml
  // may wrap the line right after its escape without the continuation mark, which adds a space.
  Emitter.prototype.singleQuoted = function (text) {
    this.indicator("'", true);
    var t = chars(text), spaces = false, start = 0, end = 0;
    while (end <= t.length) {
      var ch = end < t.length ? t[end] : null;
      if (spaces) {
        if (ch === null || ch !== " ") {
          if (start + 1 === end && this.column > WIDTH && start !== 0 && end !== t.length) this.writeIndent();
          else this.write(t.slice(start, end).join(""));
          start = end;
        }
      } else if (ch === null || ch === " " || ch === "'") {
        if (start < end) { this.write(t.slice(start, end).join("")); start = end; }
      }
      if (ch === "'") { this.write("''"); start = end + 1; }
      if (ch !== null) spaces = ch === " ";
      end += 1;
    }
    this.indicator("'", false);
  };
  Emitter.prototype.key = function (prefix, name) {
    if (this.column) this.lineBreak();
    this.out += prefix + name + ":"; this.column = len(prefix + name) + 1;
    this.whitespace = false; this.indention = false;
  };
  // A record's values, in its fields' order: a scalar is {text, style}, a list an Array, a record
  // an object with `_fields` (the schema's field order).
  Emitter.prototype.record = function (fields, values, indent, first) {
    var self = this, n = 0;
    fields.forEach(function (field) {
      var value = values[field.name];
      if (value === undefined) return;
      self.key(n === 0 && first ? first : " ".repeat(indent), field.name);
      n += 1;
      if (Array.isArray(value)) {
        value.forEach(function (item) {
          if (item && item._fields) {
            self.record(item._fields, item, indent + 4, " ".repeat(indent + 2) + "- ");
          } else {
            self.lineBreak(); self.write(" ".repeat(indent + 2) + "-"); self.whitespace = false;
            self.scalar(item, indent + 4);
          }
        });
      } else if (value._fields) {
        self.record(value._fields, value, indent + 2);
      } else {
        self.scalar(value, indent + 2);
      }
    });
  };
  Emitter.prototype.text = function () {
    var lines = this.out.split("\n"), literal = this.literalLines;
    return lines.map(function (line, n) { return literal[n] ? line : line.replace(/ +$/, ""); }).join("\n") + "\n";
  };

  function dump(fields, values) {
    var emitter = new Emitter();
    if (values) emitter.record(fields, values, 0);
    return { text: values ? emitter.text() : "", unsafe: emitter.unsafe };
  }

  // ------------------------------------------------------------------ the checks, in the validator's words

  function Problems() { this.list = []; }
  Problems.prototype.add = function (where, message, hint) {
    this.list.push({ where: where.join("."), text: hint ? message + "; " + hint : message });
  };

  // types.field_name: how a message names the value at `where` (title, towns[2], sources[1].url).
  function fieldName(where) {
    var name = "";
    where.forEach(function (part) {
      name += typeof part === "number" ? "[" + (part + 1) + "]" : name ? "." + part : String(part);
    });
    return name || "the record";
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function daysIn(year, month) { return new Date(Date.UTC(year, month, 0)).getUTCDate(); }

  function checkText(kind, text, where, problems) {  // types.Text, and its Slug, Url and Choice
    var value = strip(text), name = fieldName(where);
    if (kind.one_line && value.indexOf("\n") >= 0) {
      return problems.add(where, name + " must fit on one line", "join the lines into one");
    }
    var hidden = (kind.one_line ? HIDDEN_IN_LINE : HIDDEN).exec(value);
    if (hidden) {
      return problems.add(where, name + " contains the invisible control character U+" + hex(hidden[0]),
                          "delete it; retype the text if you pasted it");
    }
    var n = len(value);
    if (n > kind.max) {
      return problems.add(where, name + " is " + n.toLocaleString("en-US") + " characters long; the limit is " +
                          kind.max.toLocaleString("en-US") + " characters", "shorten it");
    }
    if (n < kind.min) {
      return problems.add(where, name + " is " + n + " characters long; it needs at least " + kind.min + " characters",
                          "write more");
    }
    if (kind.kind === "slug" && !SLUG.test(value)) {
      var suggestion = value.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
      return problems.add(where, name + ": '" + value + "' is not a valid id: use lowercase letters, digits and single hyphens",
                          suggestion ? "write '" + suggestion + "'" : "write an id such as 'umm-housh'");
    }
    if (kind.kind === "url" && !WEB_ADDRESS.test(value)) {
      return problems.add(where, name + ": '" + chars(value).slice(0, 80).join("") + "' is not a web address",
                          "write a full http:// or https:// address");
    }
    if (kind.kind === "choice" && kind.choices.indexOf(value) < 0) {
      return problems.add(where, name + ": '" + value + "' is not one of the allowed values", "use one of: " + kind.choices.join(", "));
    }
    return value;
  }

  function checkDate(kind, text, where, problems) {  // types.DateValue, on the text as the form writes it
    text = strip(text);
    var match = DATE.exec(text), name = fieldName(where);
    if (!match || (kind.day_only && !match[3])) {
      return problems.add(where, name + ": '" + text + "' is not a date", "write " +
        (kind.day_only ? "YYYY-MM-DD" : "YYYY-MM-DD, or YYYY-MM or YYYY when the day is unknown"));
    }
    var year = +match[1], month = match[2] ? +match[2] : null, day = match[3] ? +match[3] : null;
    if (month !== null && (month < 1 || month > 12)) {
      return problems.add(where, name + ": '" + text + "' has no month " + month, "months run from 01 to 12");
    }
    if (day !== null && (year < 1 || day < 1 || day > daysIn(year, month))) {
      return problems.add(where, name + ": '" + text + "' is not a day of the calendar", "check the day of the month");
    }
    return { year: year, month: month, day: day,
             iso: [match[1], match[2], match[3]].filter(Boolean).join("-"),
             key: year * 10000 + (month || 0) * 100 + (day || 0) };
  }

  function checkCount(text, where, problems) {  // types.Count, as the form writes counts
    if (/^(?:0|[1-9][0-9]*)$/.test(text)) return +text;
    var name = fieldName(where);
    if (/^[+-]?0[0-9_]+$/.test(text)) {
      return problems.add(where, name + ": '" + text + "' has a leading zero, which YAML reads as an octal number",
                          "write " + (text.replace(/^[+-0]+/, "") || "0"));
    }
    if (/^[0-9]+(?::[0-9]+)+$/.test(text)) {
      return problems.add(where, name + ": '" + text + "' is read by YAML as a base-60 number", "write the count as plain digits");
    }
    return problems.add(where, name + ": expected a whole number of people, found '" + text + "'",
                        "write plain digits, like 12 (no signs, separators or words)");
  }

  // The values of a record as the validator would read them, its problems reported (schema.Record).
  function checkRecord(kind, raw, where, problems) {
    var values = {}, given = {}, at = where.length ? fieldName(where) + ": " : "";  // a record in a record: say which
    kind.fields.forEach(function (field) {
      var value = raw[field.name];
      if (value === undefined || tree(field.type, value) === undefined) return;  // left out of the file
      given[field.name] = true;
      var checked = checkValue(field.type, value, where.concat(field.name), problems);
      if (checked !== undefined) values[field.name] = checked;
    });
    kind.fields.forEach(function (field) {
      if (field.required && !given[field.name]) {
        problems.add(where.concat(field.name), at + kind.article + " is missing the required field '" + field.name + "'",
                     "add '" + field.name + ":' (" + field.describe + ")");
      }
    });
    if (kind.needs_one_of.length && !kind.needs_one_of.some(function (name) { return given[name]; })) {
      var wanted = kind.needs_one_of.map(function (name) { return "'" + name + "'"; }).join(" or ");
      problems.add(where.concat(kind.needs_one_of[0]), at + kind.article + " needs " + wanted,
                   "add " + wanted + ", or remove the " + kind.name);
    }
    return values;
  }

  function checkValue(kind, value, where, problems) {
    if (kind.kind === "record") return checkRecord(kind, value, where, problems);
    if (kind.kind === "list") {
      var out = [], seen = {};
      value.forEach(function (item, index) {
        if (tree(kind.item, item) === undefined) return;  // an empty item is left out of the file
        var checked = checkValue(kind.item, item, where.concat(index), problems);
        if (checked === undefined) return;
        if (kind.unique && Object.prototype.hasOwnProperty.call(seen, checked)) {
          problems.add(where.concat(index), fieldName(where) + ": '" + checked + "' is listed twice (first as item " + (seen[checked] + 1) + ")",
                       "remove the repeat");
          return;
        }
        if (kind.unique) seen[checked] = index;
        out.push(checked);
      });
      return out;
    }
    if (kind.kind === "date") return checkDate(kind, value, where, problems);
    if (kind.kind === "count") return checkCount(value, where, problems);
    return checkText(kind, value, where, problems);
  }

  // rules.py: what looks beyond one value.
  function checkRules(values, data, today, problems) {
    var start = values.date, end = values.end_date;
    if (start && start.key > today.key) problems.add(["date"], "date " + start.iso + " is in the future", "check the year and month");
    if (start && end) {
      if (end.key < start.key) problems.add(["end_date"], "end_date " + end.iso + " is before date " + start.iso, "swap or correct them");
      else if (end.key === start.key) problems.add(["end_date"], "end_date is the same day as date", "remove end_date");
    }
    var listed = { towns: values.towns || [], groups: values.groups || [] };
    var control = values.control || {};
    var checks = [[["control", "town"], control.town, "towns"], [["control", "from"], control.from, "groups"],
                  [["control", "to"], control.to, "groups"]];
    (values.casualties || []).forEach(function (report, index) {
      checks.push([["casualties", index, "group"], report.group, "groups"]);
    });
    checks.forEach(function (check) {
      var ref = check[1], registry = check[2];
      if (ref && ref !== data.civilians && data.ids[registry][ref] && listed[registry].length &&
          listed[registry].indexOf(ref) < 0) {
        problems.add(check[0], fieldName(check[0]) + ": '" + ref + "' is not among the incident's " + registry,
                     "add it to " + registry);
      }
    });
    if (control.from && control.from === control.to) {
      problems.add(["control", "to"], "control.to: a town cannot change hands to the group that held it",
                   "correct 'from' or 'to'");
    }
    var publishers = {};
    (values.sources || []).forEach(function (source) { if (source.publisher) publishers[source.publisher] = true; });
    var names = Object.keys(publishers).sort();
    (values.casualties || []).forEach(function (report, index) {
      if (report.according_to && (values.sources || []).length && !publishers[report.according_to]) {
        problems.add(["casualties", index, "according_to"],
                     fieldName(["casualties", index, "according_to"]) + ": '" + report.according_to +
                     "' is not the publisher of any source",
                     "use one of: " + names.join(", "));
      }
    });
  }

  // new.slugify: the words of the id, from the title.
  function slugify(title, limit) {
    var text = title.replace(/['\u2019]/g, "").normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
    var slug = "";
    (text.match(/[a-z0-9]+/g) || []).some(function (word) {
      if (slug.length + word.length + 1 > limit) return true;
      slug = slug ? slug + "-" + word : word;
      return false;
    });
    return slug;
  }

  // Everything the form shows, from the raw values: {yaml, path, problems}.
  function make(data, raw, today, chosen) {
    var problems = new Problems();
    var incident = data.incident;
    raw = blankLines(incident, raw);
    var values = checkRecord(incident, raw, [], problems);
    checkRules(values, data, today, problems);
    var blocks = incident.fields.filter(function (f) { return f.type.kind === "text" && !f.type.one_line; });
    blocks.forEach(function (field) {  // fmt writes a block of text with a tab that YAML cannot read back
      if (typeof raw[field.name] === "string" && raw[field.name].indexOf("\t") >= 0) {
        problems.add([field.name], "the " + field.label.toLowerCase() + " contains a tab character", "indent with spaces");
      }
    });
    var dumped = dump(incident.fields, tree(incident, raw, [])), yaml = dumped.text;
    dumped.unsafe.forEach(function (slip) {  // the line wrapped right after an escape reads back as a space
      problems.add(slip.where, "generator fmt would add a space after the character U+" + hex(slip.ch) +
                   " where it wraps the line", "delete the character (U+FEFF is invisible), or reword the text around it");
    });
    var control = CONTROL.exec(yaml);
    if (control) {  // in a block of text, where nothing is escaped: load.py refuses the whole file
      var holder = blocks.filter(function (f) { return CONTROL.test(raw[f.name] || ""); })[0];
      problems = new Problems();
      problems.add([holder ? holder.name : ""], "file contains the control character U+" + hex(control[0]),
                   "delete it; retype the text around it if you pasted it");
    }
    var path = null, id = null, words = strip(chosen || ""), made = "";
    if (values.date) {
      var limit = data.id_max - values.date.iso.length - 1;
      made = values.title ? slugify(values.title, limit) : "";
      if (words && (!SLUG.test(words) || words.length > limit)) {  // new.py's check of --slug
        problems.add(["id"], "'" + words + "': use lowercase letters, digits and single hyphens, at most " + limit);
        words = "";
      } else if (!words && values.title && !made) {
        problems.add(["title"], "the title has no latin letters or digits to make the id from",
                     "write the words of the id below");
      }
      words = words || made;
      if (words) {
        id = values.date.iso + "-" + words;
        path = data.incidents + "/" + values.date.iso.slice(0, 4) + "/" + id + ".yaml";
      }
    }
    return { yaml: yaml, path: path, id: id, words: made, problems: problems.list };
  }

  // A line of a block of text (the summary) that holds only spaces is written empty: ruamel.yaml
  // reads it so, and `generator fmt` would refuse a file whose text it would change.
  var ONLY_SPACE = new RegExp("^[" + SPACE.replace("\\n", "") + "]+$", "gm");
  function blankLines(kind, raw) {
    var out = {};
    Object.keys(raw).forEach(function (name) { out[name] = raw[name]; });
    kind.fields.forEach(function (field) {
      if (field.type.kind === "text" && !field.type.one_line && typeof out[field.name] === "string") {
        out[field.name] = out[field.name].replace(ONLY_SPACE, "");
      }
    });
    return out;
  }

  // The raw values as the emitter writes them: stripped text, empty fields left out.
  function tree(kind, raw, where) {
    where = where || [];
    if (kind.kind === "record") {
      var out = { _fields: kind.fields }, any = false;
      kind.fields.forEach(function (field) {
        if (raw[field.name] === undefined) return;
        var value = tree(field.type, raw[field.name], where.concat(field.name));
        if (value !== undefined) { out[field.name] = value; any = true; }
      });
      return any ? out : undefined;
    }
    if (kind.kind === "list") {
      var items = raw.map(function (item, n) { return tree(kind.item, item, where.concat(n)); })
        .filter(function (v) { return v !== undefined; });
      return items.length ? items : undefined;
    }
    var text = strip(raw);
    if (!text) return undefined;
    if (kind.kind === "date") return { text: text, style: "double", where: where };
    if (kind.kind === "count" && /^[0-9]+$/.test(text)) return { text: text, style: "plain", where: where };
    if (kind.kind === "text" && !kind.one_line) return { text: text + "\n", style: "literal", where: where };
    return { text: text, where: where };
  }

  // ------------------------------------------------------------------ the page

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  var counter = 0;
  function uid(stem) { counter += 1; return "tl-new-" + stem + "-" + counter; }

  function todayOf(date) {
    return { key: date.getFullYear() * 10000 + (date.getMonth() + 1) * 100 + date.getDate() };
  }

  // A labelled field: its label (the field reference's name), hint, control and error line.
  function Field(field, control, where) {
    this.field = field; this.where = where.join("."); this.control = control;
    var id = control.id || (control.id = uid(field.name));
    this.hint = hint(field, field.doc + " " + capital(field.describe) + ".", { id: id + "-hint" });
    this.error = english(el("p", { "class": "tl-error", id: id + "-error", hidden: true }));
    control.setAttribute("aria-describedby", this.hint.id + " " + this.error.id);
    this.label = el("label", { "for": id, text: field.label });
    this.node = el("div", { "class": "tl-field tl-field--" + field.name }, [this.label, this.hint, control, this.error]);
  }

  function plain(text) { return text.replace(/`/g, ""); }  // the reference's Markdown code marks
  function need(field) { return field.required ? "" : say("Optional. "); }

  // A field's hint: "Optional. " in the page's words, then its description in the schema's.
  function hint(field, doc, attributes) {
    attributes["class"] = "tl-hint";
    var node = el("p", attributes), own = need(field);
    if (own) node.appendChild(document.createTextNode(own));
    node.appendChild(W && W.foreign ? english(el("span", { text: plain(doc) })) : document.createTextNode(plain(doc)));
    return node;
  }
  function capital(text) { return text.charAt(0).toUpperCase() + text.slice(1); }

  function Form(form, data) {
    var self = this;
    this.form = form; this.data = data; this.fields = []; this.touched = {}; this.showAll = false;
    data.ids = { towns: {}, groups: {} };
    data.towns.forEach(function (t) { data.ids.towns[t[0]] = t; });
    data.groups.forEach(function (g) { data.ids.groups[g[0]] = g; });
    var incident = data.incident;
    this.where = el("p", { "class": "tl-new-path", "aria-live": "polite" });
    form.appendChild(this.section(say("The incident"), incident.fields));
    form.appendChild(this.output());
    this.ready = true;
    form.addEventListener("input", function (event) {
      if (event.target.getAttribute("role") !== "combobox") self.touch(event.target);  // a name half typed
      self.update();
    });
    form.addEventListener("change", function (event) { self.touch(event.target); self.update(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    this.update();
  }

  Form.prototype.touch = function (target) {
    var where = target && target.closest && target.closest("[data-where]");
    if (where) this.touched[where.getAttribute("data-where")] = true;
  };

  Form.prototype.section = function (title, fields) {  // every field, in the schema's order
    var self = this, box = el("section", { "class": "tl-new-section" }, [el("h2", { text: title })]);
    fields.forEach(function (field) { box.appendChild(self.widget(field, [field.name])); });
    return box;
  };

  // The control for a field, by its type.
  Form.prototype.widget = function (field, where) {
    var kind = field.type, self = this;
    if (kind.kind === "list" && kind.item.kind === "slug" && kind.item.refers_to) {
      return this.combobox(field, where, kind.item.refers_to);
    }
    if (kind.kind === "list" && kind.item.kind === "record") return this.repeated(field, where);
    if (kind.kind === "record") return this.group(field, where, null);
    if (kind.kind === "choice") return this.choices(field, where);
    var control;
    if (kind.kind === "slug" && kind.refers_to) {
      control = el("select", {});
      control._options = kind.refers_to;
    } else if (kind.kind === "text" && !kind.one_line) {
      control = el("textarea", { rows: 8, spellcheck: "true" });
    } else {
      control = el("input", { type: kind.kind === "url" ? "url" : "text", autocomplete: "off",
                              inputmode: kind.kind === "count" ? "numeric" : null,
                              placeholder: kind.kind === "date" ? say(kind.day_only ? "YYYY-MM-DD" : "YYYY-MM-DD, YYYY-MM or YYYY") : null });
    }
    if (field.language) { control.lang = field.language; control.dir = field.dir; } // a translation (title_ar)
    if (kind.kind === "list") control.setAttribute("placeholder", say("separate them with commas"));
    var item = new Field(field, control, where);
    item.node.setAttribute("data-where", item.where);
    item.read = function () {
      if (control.tagName === "SELECT") return control.value;
      if (kind.kind === "list") return control.value.split(",").map(strip).filter(Boolean);
      return control.value;
    };
    this.fields.push(item);
    if (kind.kind === "text" && kind.markdown) {
      var preview = el("div", { "class": "tl-preview md-typeset", role: "region", "aria-label": say("%(field)s preview", { field: field.label }),
                                lang: field.language || null, dir: field.dir || null });
      item.node.appendChild(el("p", { "class": "tl-preview-label", "aria-hidden": "true", text: say("Preview") }));
      item.node.appendChild(preview);
      control.addEventListener("input", function () { markdown(preview, control.value); });
    }
    return item.node;
  };

  // The incident types, each with what it covers.
  Form.prototype.choices = function (field, where) {
    var self = this, name = uid(field.name), hint = english(el("p", { "class": "tl-hint", id: name + "-hint", text: plain(field.doc) }));
    var error = english(el("p", { "class": "tl-error", id: name + "-error", hidden: true }));
    var box = el("fieldset", { "class": "tl-field tl-choices", "data-where": where.join("."),
                               "aria-describedby": hint.id + " " + error.id },
                 [el("legend", { text: field.label }), hint]);
    var inputs = [];
    field.type.choices.forEach(function (choice) {
      var input = el("input", { type: "radio", name: name, value: choice, id: name + "-" + choice });
      var doc = english(el("span", { "class": "tl-hint", text: plain(self.data.types[choice] || "") }));
      inputs.push(input);
      box.appendChild(el("div", { "class": "tl-choice" },
        [input, el("label", { "for": input.id }, [el("strong", { text: typeName(choice) }), doc])]));
    });
    box.appendChild(error);
    this.fields.push({ where: where.join("."), node: box, error: error, control: inputs[0], controls: inputs,
      read: function () { var on = inputs.filter(function (i) { return i.checked; })[0]; return on ? on.value : ""; } });
    return box;
  };

  function typeName(choice) { return (W && W.foreign && W.types[choice]) || choice.replace(/-/g, " "); }

  // A list of records (sources, casualty reports): one fieldset each, added and removed by buttons.
  Form.prototype.repeated = function (field, where) {
    var self = this, kind = field.type.item, items = [];
    var list = el("div", { "class": "tl-repeated" });
    var add = el("button", { type: "button", "class": "md-button", text: kind.add || "Add " + kind.article });
    var help = hint(field, field.doc, {});
    var error = english(el("p", { "class": "tl-error", hidden: true, id: uid(field.name + "-error") }));
    var box = el("fieldset", { "class": "tl-field tl-field--" + field.name, "data-where": where.join(".") },
                 [el("legend", { text: field.label }), help, list, add, error]);
    function renumber() {
      items.forEach(function (item, n) {
        item.legend.textContent = (kind.legend || capital(kind.name)) + " " + (W ? W.number(n + 1) : n + 1);
        item.remove.setAttribute("aria-label", say("Remove %(name)s", { name: W && W.foreign ? item.legend.textContent : item.legend.textContent.toLowerCase() }));
        item.node.setAttribute("data-where", where.concat(n).join("."));
        item.fields.forEach(function (sub) {
          sub.where = where.concat(n, sub.field.name).join(".");
          sub.node.setAttribute("data-where", sub.where);
        });
      });
    }
    function addItem(focus) {
      var legend = el("legend", {}), remove = el("button", { type: "button", "class": "tl-remove", text: say("Remove") });
      var node = el("fieldset", { "class": "tl-item-record" }, [legend]);
      var item = { node: node, legend: legend, remove: remove, fields: [] };
      kind.fields.forEach(function (sub) {
        var before = self.fields.length;
        node.appendChild(self.widget(sub, where.concat(items.length, sub.name)));
        item.fields = item.fields.concat(self.fields.slice(before));
      });
      node.appendChild(remove);
      remove.addEventListener("click", function () {
        items.splice(items.indexOf(item), 1);
        self.fields = self.fields.filter(function (f) { return item.fields.indexOf(f) < 0; });
        list.removeChild(node);
        renumber(); self.update(); add.focus();
      });
      items.push(item); list.appendChild(node); renumber();
      if (focus) item.fields[0].control.focus();
      if (self.ready) self.update();
    }
    add.addEventListener("click", function () { addItem(true); });
    if (field.required) addItem(false);
    this.fields.push({ where: where.join("."), node: box, error: error, control: add, list: true,
      read: function () {
        return items.map(function (item) {
          var out = {};
          item.fields.forEach(function (sub) { out[sub.field.name] = sub.read(); });
          return out;
        });
      } });
    return box;
  };

  // A record (the control change): its fields in a fieldset.
  Form.prototype.group = function (field, where) {
    var self = this, before = this.fields.length;
    var hint = el("p", { "class": "tl-hint", text: plain(need(field) + field.doc) });
    var error = english(el("p", { "class": "tl-error", hidden: true }));
    var box = el("fieldset", { "class": "tl-field tl-field--" + field.name, "data-where": where.join(".") },
                 [el("legend", { text: field.label }), hint]);
    field.type.fields.forEach(function (sub) { box.appendChild(self.widget(sub, where.concat(sub.name))); });
    box.appendChild(error);
    var mine = this.fields.slice(before);
    this.fields.push({ where: where.join("."), node: box, error: error, control: mine[0].control,
      read: function () {
        var out = {};
        mine.forEach(function (sub) { out[sub.field.name] = sub.read(); });
        return out;
      } });
    return box;
  };

  // Towns and groups: a combobox finds an entry by its name, another name, its Arabic name or its
  // id; Enter picks the first match (or the one chosen with the arrow keys).
  Form.prototype.combobox = function (field, where, registry) {
    var self = this, entries = this.data[registry], chosen = [];
    var id = uid(field.name), listId = id + "-list";
    var input = el("input", { id: id, type: "text", role: "combobox", autocomplete: "off", "aria-autocomplete": "list",
                              "aria-expanded": "false", "aria-controls": listId, placeholder: say("type a name") });
    var item = new Field(field, input, where);
    item.hint.textContent = plain(need(field) + field.doc) + " Type a name, another spelling or the Arabic name; Enter picks the first match.";
    item.label.id = id + "-label";
    var picked = el("ul", { "class": "tl-chips", "aria-label": say("Chosen %(field)s", { field: field.label.toLowerCase() }) });
    var listbox = el("ul", { id: listId, role: "listbox", "class": "tl-listbox", "aria-labelledby": item.label.id, hidden: true });
    item.node.insertBefore(picked, input);
    item.node.insertBefore(listbox, item.error);
    item.node.setAttribute("data-where", item.where);
    var matches = [], active = -1, unknown = "";
    function names(entry) { // its id, name, names in the other languages and aliases
      return [entry[0], entry[1]].concat(entry[2].map(function (n) { return n[2]; }), entry[3]).filter(Boolean);
    }
    function find(text) {
      var wanted = fold(text);
      if (!wanted) return [];
      var found = [];
      entries.forEach(function (entry) {
        if (chosen.indexOf(entry[0]) >= 0) return;
        var rank = Infinity;
        names(entry).forEach(function (name) {
          var at = fold(name).indexOf(wanted);
          if (at === 0) rank = Math.min(rank, fold(name) === wanted ? 0 : 1);
          else if (at > 0) rank = Math.min(rank, 2);
        });
        if (rank < Infinity) found.push([rank, entry]);
      });
      found.sort(function (a, b) { return a[0] - b[0] || a[1][1].localeCompare(b[1][1]); });
      return found.slice(0, 10).map(function (pair) { return pair[1]; });
    }
    function label(entry) {
      var text = entry[1], other = entry[3].filter(Boolean);
      if (entry[4]) text += ", " + entry[4];
      if (other.length) text += " (" + other.join(", ") + ")";
      return text;
    }
    function show() {
      listbox.textContent = "";
      matches.forEach(function (entry, n) {
        var option = el("li", { role: "option", id: listId + "-" + n, "aria-selected": n === active ? "true" : "false" },
                        [document.createTextNode(label(entry))]);
        entry[2].forEach(function (other) { // [language, direction, name]
          option.appendChild(document.createTextNode(" "));
          option.appendChild(el("span", { "class": "tl-other-name", lang: other[0], dir: other[1], text: other[2] }));
        });
        option.addEventListener("mousedown", function (event) { event.preventDefault(); pick(entry); });
        listbox.appendChild(option);
      });
      listbox.hidden = !matches.length;
      input.setAttribute("aria-expanded", matches.length ? "true" : "false");
      if (active >= 0) input.setAttribute("aria-activedescendant", listId + "-" + active);
      else input.removeAttribute("aria-activedescendant");
    }
    function pick(entry) {
      chosen.push(entry[0]); input.value = ""; unknown = ""; matches = []; active = -1;
      draw(); show(); self.touched[item.where] = true; self.update(); input.focus();
    }
    function draw() {
      picked.textContent = "";
      chosen.forEach(function (entryId) {
        var entry = self.data.ids[registry][entryId];
        var remove = el("button", { type: "button", "class": "tl-remove", "aria-label": say("Remove %(name)s", { name: entry[1] }), text: "×" });
        remove.addEventListener("click", function () {
          chosen.splice(chosen.indexOf(entryId), 1); draw(); self.update(); input.focus();
        });
        picked.appendChild(el("li", {}, [el("span", { text: entry[1] }), remove]));
      });
      picked.hidden = !chosen.length;
    }
    input.addEventListener("input", function () { unknown = ""; matches = find(input.value); active = -1; show(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!matches.length) matches = find(input.value);
        if (!matches.length) return;
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : matches.length - 1 + (active < 0 ? 1 : 0))) % matches.length;
        show();
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (!strip(input.value)) return;
        var found = matches.length ? matches : find(input.value);
        if (found.length) pick(found[Math.max(active, 0)]);
        else { unknown = strip(input.value); self.touched[item.where] = true; self.update(); }
      } else if (event.key === "Escape") {
        matches = []; active = -1; show();
      }
    });
    input.addEventListener("blur", function () {
      matches = []; active = -1; show();
      if (strip(input.value) || chosen.length) { self.touched[item.where] = true; self.update(); }
    });
    draw();
    item.read = function () { return chosen.slice(); };
    item.extra = function () {  // a name typed that is in no registry: the validator's message for it
      return unknown ? registry + ": '" + unknown + "' is not in " + registry + ".yaml; add it to " + registry + ".yaml, or fix the spelling" : "";
    };
    this.fields.push(item);
    return item.node;
  };

  // The record as it will be saved, and what to do with it.
  Form.prototype.output = function () {
    var self = this, forge = this.data.forge;
    // the words of the id: made from the title unless written here (a title in Arabic has none)
    this.idWords = el("input", { type: "text", autocomplete: "off", spellcheck: "false" });
    var words = new Field({ name: "id", label: say("Id"), required: false,
      doc: say("The words after the date in the file's name and the page's address, made from the title unless you write them here."),
      describe: say("lowercase letters, digits and hyphens") }, this.idWords, ["id"]);
    words.node.setAttribute("data-where", "id");
    words.read = function () { return self.idWords.value; };
    words.outside = true;  // not a field of the record
    this.fields.push(words);
    this.yaml = el("textarea", { id: uid("yaml"), readonly: true, rows: 18, spellcheck: "false", "class": "tl-yaml",
                                 autocapitalize: "off", autocomplete: "off", wrap: "off" });
    this.status = el("p", { "class": "tl-new-status", role: "status" });
    this.problemList = el("ul", { "class": "tl-new-problems" });
    this.propose = el("a", { "class": "md-button md-button--primary", text: say("Propose on %(forge)s", { forge: forge ? forge.name : say("the forge") }) });
    this.long = el("p", { "class": "tl-new-long", id: uid("long"), hidden: true });
    var copy = el("button", { type: "button", "class": "md-button", text: say("Copy") });
    var download = el("button", { type: "button", "class": "md-button", text: say("Download .yaml") });
    this.copied = el("span", { "class": "tl-new-copied", role: "status" });
    copy.addEventListener("click", function () { self.copy(); });
    download.addEventListener("click", function () { self.download(); });
    this.propose.addEventListener("click", function (event) {
      if (self.propose.getAttribute("aria-disabled") === "true") {
        event.preventDefault(); self.showAll = true; self.update();
        var first = self.fields.filter(function (f) { return f.error && !f.error.hidden; })[0];
        if (first && first.control) first.control.focus();
      }
    });
    this.propose.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && self.propose.getAttribute("aria-disabled") === "true") self.propose.click();
    });
    var actions = el("div", { "class": "tl-new-actions" }, forge ? [this.propose, copy, download, this.copied] : [copy, download, this.copied]);
    return el("section", { "class": "tl-new-section tl-new-output" }, [
      el("h2", { text: say("The record") }), words.node, this.where, this.status, this.problemList,
      el("label", { "for": this.yaml.id, text: "YAML" }), this.yaml, this.long, actions]);
  };

  Form.prototype.read = function () {
    var raw = {};
    this.fields.forEach(function (f) {
      var name = f.where.split(".");
      if (name.length === 1 && !f.outside) raw[name[0]] = f.read();
    });
    return raw;
  };

  Form.prototype.update = function () {
    var self = this, raw = this.read(), result = make(this.data, raw, todayOf(new Date()), this.idWords.value);
    this.idWords.placeholder = result.words || "";
    var problems = result.problems.slice();
    this.fields.forEach(function (f) { if (f.extra && f.extra()) problems.push({ where: f.where, text: f.extra() }); });
    this.result = result;
    this.yaml.value = result.yaml;
    // each problem next to its field: the deepest field that holds it
    var byField = {};
    problems.forEach(function (problem) {
      var owner = null;
      self.fields.forEach(function (f) {
        if ((problem.where === f.where || problem.where.indexOf(f.where + ".") === 0) &&
            (!owner || f.where.length > owner.where.length)) owner = f;
      });
      if (owner) (byField[owner.where] = byField[owner.where] || []).push(problem.text);
    });
    this.fields.forEach(function (f) {
      var texts = byField[f.where] || [], shown = texts.length && (self.showAll || self.seen(f.where));
      f.error.hidden = !shown;
      f.error.textContent = shown ? texts.join(" · ") : "";
      (f.controls || [f.control]).forEach(function (c) {
        if (c && c.tagName !== "BUTTON") {
          if (shown) c.setAttribute("aria-invalid", "true"); else c.removeAttribute("aria-invalid");
        }
      });
    });
    this.selects();
    this.where.textContent = "";
    if (result.path) {
      var cut = result.path.lastIndexOf("/") + 1;
      this.where.appendChild(document.createTextNode(say("Folder: ")));
      this.where.appendChild(el("code", { text: result.path.slice(0, cut) }));
      this.where.appendChild(document.createTextNode(say(" File name: ")));
      this.where.appendChild(el("code", { text: result.path.slice(cut) }));
    } else {
      this.where.textContent = say("The file's name and folder come from the date and the title.");
    }
    this.problemList.textContent = "";
    if (this.showAll) {
      problems.forEach(function (p) { self.problemList.appendChild(english(el("li", { text: p.where.replace(/\./g, " ") + ": " + p.text }))); });
    }
    var count = problems.length;
    this.status.textContent = count
      ? (W ? W.counted("The record has %(num)s problem", "The record has %(num)s problems", count)
        : "The record has " + count + (count === 1 ? " problem" : " problems")) +
        say(this.showAll ? ", listed here and next to their fields." : "; each is shown next to its field once you have filled it in.")
      : say("The record is ready.");
    this.link(result, problems.length);
  };

  Form.prototype.seen = function (where) {
    var touched = this.touched;
    return Object.keys(touched).some(function (t) { return t === where || t.indexOf(where + ".") === 0; });
  };

  // The selects of towns and groups (control change, casualty reports) offer the incident's own.
  Form.prototype.selects = function () {
    var self = this, raw = this.read(), civilians = this.data.civilians;
    this.fields.forEach(function (f) {
      var select = f.control;
      if (!select || !select._options) return;
      var ids = (raw[select._options] || []).slice();
      if (select._options === "groups" && /casualties/.test(f.where)) ids.push(civilians);
      var current = select.value;
      if (current && ids.indexOf(current) < 0) ids.push(current);
      var key = ids.join(" ");
      if (select._key === key) return;
      select._key = key;
      select.textContent = "";
      select.appendChild(el("option", { value: "", text: "—" }));
      ids.forEach(function (entryId) {
        var entry = self.data.ids[select._options][entryId];
        select.appendChild(el("option", { value: entryId, text: entry ? entry[1] : entryId }));
      });
      select.value = current;
    });
    // "According to" offers the publishers of the sources
    var publishers = (raw.sources || []).map(function (s) { return strip(s.publisher || ""); }).filter(Boolean);
    if (!this.publishers) {
      this.publishers = el("datalist", { id: uid("publishers") });
      this.form.appendChild(this.publishers);
    }
    if (this.publishers._key !== publishers.join("\n")) {
      this.publishers._key = publishers.join("\n");
      this.publishers.textContent = "";
      publishers.forEach(function (p) { self.publishers.appendChild(el("option", { value: p })); });
    }
    this.fields.forEach(function (f) {
      if (/\.according_to$/.test(f.where)) f.control.setAttribute("list", self.publishers.id);
    });
  };

  Form.prototype.link = function (result, problems) {
    var forge = this.data.forge;
    if (!forge) return;
    var link = this.propose;
    this.long.hidden = true;
    if (problems || !result.path) {
      link.removeAttribute("href");
      link.setAttribute("role", "link");
      link.setAttribute("tabindex", "0");
      link.setAttribute("aria-disabled", "true");
      link.setAttribute("aria-describedby", this.status.id || (this.status.id = uid("status")));
      return;
    }
    var full = forge.new_file + "filename=" + encodeURIComponent(result.path) + "&value=" + encodeURIComponent(result.yaml);
    link.removeAttribute("role"); link.removeAttribute("tabindex"); link.removeAttribute("aria-disabled");
    if (full.length <= this.data.url_limit) {
      link.href = full;
      link.removeAttribute("aria-describedby");
      return;
    }
    link.href = forge.new_file + "filename=" + encodeURIComponent(result.path);
    this.long.hidden = false;
    this.long.textContent = "The record is too long to pass in an address (" + full.length.toLocaleString("en") +
      " characters; the limit is " + this.data.url_limit.toLocaleString("en") + "). Copy it or download it, then " +
      "paste it into " + forge.name + "'s new-file page, which this link opens with the file named.";
    link.setAttribute("aria-describedby", this.long.id);
  };

  Form.prototype.copy = function () {
    var self = this, text = this.yaml.value;
    function done(ok) { self.copied.textContent = say(ok ? "Copied." : "Select the YAML and copy it."); }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback()); });
    } else {
      done(fallback());
    }
    function fallback() {
      self.yaml.focus(); self.yaml.select();
      try { return document.execCommand("copy"); } catch (error) { return false; }
    }
  };

  Form.prototype.download = function () {
    var name = this.result && this.result.id ? this.result.id + ".yaml" : "incident.yaml";
    var url = URL.createObjectURL(new Blob([this.yaml.value], { type: "application/yaml" }));
    var a = el("a", { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  };

  // ------------------------------------------------------------------ the summary's preview

  // A preview of the summary's Markdown: paragraphs, lists, quotes, emphasis, code and http(s)
  // links, what the site keeps of it (markup.py). Made of elements and text, never of HTML.
  function markdown(box, text) {
    box.textContent = "";
    strip(text).split(/\n[ \t]*\n/).forEach(function (block) {
      if (!strip(block)) return;
      var lines = block.split("\n");
      if (lines.every(function (l) { return /^\s*[-*+] /.test(l) || /^\s{2,}\S/.test(l); }) && /^\s*[-*+] /.test(lines[0])) {
        box.appendChild(list("ul", lines, /^\s*[-*+] /));
      } else if (lines.every(function (l) { return /^\s*\d+\. /.test(l) || /^\s{2,}\S/.test(l); }) && /^\s*\d+\. /.test(lines[0])) {
        box.appendChild(list("ol", lines, /^\s*\d+\. /));
      } else if (/^\s*>/.test(lines[0])) {
        var quote = el("blockquote", {});
        quote.appendChild(inline(el("p", {}), lines.map(function (l) { return l.replace(/^\s*> ?/, ""); }).join(" ")));
        box.appendChild(quote);
      } else {
        box.appendChild(inline(el("p", {}), lines.join(" ")));
      }
    });
  }

  function list(tag, lines, marker) {
    var node = el(tag, {}), items = [];
    lines.forEach(function (line) {
      if (marker.test(line)) items.push(line.replace(marker, ""));
      else items[items.length - 1] += " " + strip(line);
    });
    items.forEach(function (item) { node.appendChild(inline(el("li", {}), item)); });
    return node;
  }

  var INLINE = /`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|\*([^*\s][^*]*?)\*|_([^_\s][^_]*?)_|\[([^\]]+)\]\(([^)\s]+)\)/;
  function inline(node, text) {
    var match;
    while ((match = INLINE.exec(text))) {
      if (match.index) node.appendChild(document.createTextNode(text.slice(0, match.index)));
      if (match[1] !== undefined) node.appendChild(el("code", { text: match[1] }));
      else if (match[2] !== undefined || match[3] !== undefined) node.appendChild(inline(el("strong", {}), match[2] || match[3]));
      else if (match[4] !== undefined || match[5] !== undefined) node.appendChild(inline(el("em", {}), match[4] || match[5]));
      else if (/^https?:\/\//i.test(match[7])) {
        node.appendChild(inline(el("a", { href: match[7], rel: "nofollow noopener noreferrer" }), match[6]));
      } else node.appendChild(document.createTextNode(match[0]));
      text = text.slice(match.index + match[0].length);
    }
    if (text) node.appendChild(document.createTextNode(text));
    return node;
  }

  // ------------------------------------------------------------------ start

  // What the tests drive directly: the checks and the writer, without the page's controls.
  window.tlNewRecord = { make: make, dump: dump, plainAllowed: plainAllowed, slugify: slugify, todayOf: todayOf };

  function start() {
    var form = document.querySelector("form.tl-new");
    if (!form) return;
    fetch(form.getAttribute("data-description"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.json();
      })
      .then(function (data) {
        window.tlNewRecord.data = data;
        window.tlNewRecord.form = new Form(form, data);
        form.hidden = false;
        var fallback = document.querySelector(".tl-new-fallback");
        if (fallback) fallback.hidden = true;
        form.setAttribute("data-ready", "true");
      })
      .catch(function (error) {
        var note = document.querySelector(".tl-new-fallback p");
        if (note) note.insertBefore(document.createTextNode(say("The form could not load (%(error)s). ", { error: error.message })), note.firstChild);
      });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
