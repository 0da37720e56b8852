"""A static chart of incidents and reported deaths over time: inline SVG, then the same numbers
as a table, for screen readers and for reading exact values. No script; every text escaped.

One bar per month across the span of the incidents, or per year when that span is longer than
MAX_MONTHS. Deaths are a range per bar (lookups.total: each incident counts each side once, from
the lowest to the highest figure its sources give), drawn solid to the lowest and faint to the
highest. Colours are currentColor, set once on the <svg> and inherited, so the chart follows the
theme's text colour in dark mode.

Its words (headings, captions, the description, the table) are the edition's (`words`: its
gettext catalogue), its numbers and months CLDR's for the edition's locale.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from markupsafe import Markup, escape

from .i18n import N_, Words
from .lookups import total
from .model import PartialDate

MAX_MONTHS = 180  # a longer span is charted by year
WIDTH, LEFT, PANEL, GAP, TOP = 720, 44, 100, 44, 24
PANELS = (N_("Incidents"), N_("Reported deaths (lowest to highest)"))
ENGLISH = Words()


def _month(incident) -> int:
    return incident.date.year * 12 + incident.date.month - 1


def buckets(incidents) -> tuple[str, list[tuple[tuple, list]], list]:
    """("month" or "year", [(key, incidents)] for every month or year of the span, and the
    incidents known only to the year, which have no month to go in)."""
    incidents = list(incidents)
    years = [i.date.year for i in incidents]
    months = sorted(_month(i) for i in incidents if i.date.month)
    if (months and months[-1] - months[0] >= MAX_MONTHS) or (years and not months):
        grouped = defaultdict(list)
        for i in incidents:
            grouped[(i.date.year,)].append(i)
        return "year", [((y,), grouped[(y,)]) for y in range(min(years), max(years) + 1)], []
    grouped = defaultdict(list)
    for i in incidents:
        grouped[_month(i) if i.date.month else None].append(i)
    keys = range(months[0], months[-1] + 1) if months else ()
    rows = [((m // 12, m % 12 + 1), grouped[m]) for m in keys]
    return "month", rows, grouped[None]


def label(key: tuple, words: Words = ENGLISH) -> str:
    """A bar's month or year, as the edition writes it ("August 2015", "آب 2015")."""
    return words.label(PartialDate(*key))


def _n(value: float) -> str:
    """A coordinate to a tenth, without a trailing ".0"."""
    return f"{value:.1f}".removesuffix(".0")


def _bar(x: float, width: float, base: float, height: float, cls: str = "") -> str:
    """A bar; its opacity is its panel's group's (tl-chart-count, tl-chart-deaths), unless
    its own class gives another (timeline.css)."""
    css = f' class="{cls}"' if cls else ""
    return f'<rect{css} x="{_n(x)}" y="{_n(base - height)}" width="{_n(width)}" height="{_n(height)}"/>'


def _text(x: float, y: float, text) -> str:
    at = f' y="{_n(y)}"' if y else ""  # 0 is SVG's default
    return f'<text x="{_n(x)}"{at}>{escape(text)}</text>'


def monthly_chart(incidents, caption: str, words: Words = ENGLISH) -> Markup:
    """The chart of `incidents` as SVG plus an HTML table with the same numbers, in the
    language of `words` (English by default)."""
    by, rows, unplaced = buckets(incidents)
    _, number = words._, words.number
    counts = [len(group) for _, group in rows]
    deaths = [total(group) for _, group in rows]
    data = repr(
        (caption, words.code, by, [(k, c, d) for (k, _), c, d in zip(rows, counts, deaths, strict=True)])
    )
    uid = "tl-chart-" + hashlib.sha1(data.encode()).hexdigest()[:10]
    step = (WIDTH - LEFT - 8) / max(len(rows), 1)
    bases = (TOP + PANEL, 2 * TOP + 2 * PANEL + GAP)
    tallest = (max(counts, default=0) or 1, max((d[1] for d in deaths if d), default=0) or 1)
    headings, scale, axes, counted, dead_bars, years = [], [], [], [], [], []
    for base, name, top in zip(bases, PANELS, tallest, strict=True):
        headings.append(_text(LEFT, base - PANEL - 8, _(name)))
        scale.append(_text(LEFT - 4, base - PANEL + 4, number(top)) + _text(LEFT - 4, base, number(0)))
        axes.append(f'<line x1="{LEFT}" x2="{WIDTH - 8}" y1="{base}" y2="{base}"/>')
    # each panel's figures end at its axis, and the axes are stroked: said once, by their group
    parts = [
        *headings,
        f'<g text-anchor="end">{"".join(scale)}</g>',
        f'<g stroke="currentColor">{"".join(axes)}</g>',
    ]
    for n, ((key, _incidents), count, dead) in enumerate(zip(rows, counts, deaths, strict=True)):
        if not count:
            continue  # an empty month draws nothing: a town's chart stays small over a long war
        width = min(step * 0.8, 40)
        x = LEFT + n * step + (step - width) / 2
        what = words.ngettext(
            "%(period)s: %(num)s incident", "%(period)s: %(num)s incidents", count, period=label(key, words)
        )
        counted.append(
            f"<g><title>{escape(what)}</title>{_bar(x, width, bases[0], PANEL * count / tallest[0])}</g>"
        )
        if dead and dead[1]:  # reported as none killed: no bar to draw (the table says 0)
            low, high = (PANEL * d / tallest[1] for d in dead)
            dead_text = words.ngettext(  # "1 reported death": the plural form of the highest figure
                "%(period)s: %(range)s reported death",
                "%(period)s: %(range)s reported deaths",
                _range_form(dead),
                period=label(key, words),
                range=words.figure_range(dead),
            )
            drawn = _bar(x, width, bases[1], high, "tl-chart-high") + _bar(x, width, bases[1], low)
            dead_bars.append(f"<g><title>{escape(dead_text)}</title>{drawn}</g>")
    every = max(1, -(-len({k[0] for k, _ in rows}) // 12))  # at most about 12 year labels
    for n, (key, _incidents) in enumerate(rows):
        first = n == 0 and (len(key) == 1 or step * (13 - key[1]) >= 32)  # clear of the next label
        if (first or len(key) == 1 or key[1] == 1) and (key[0] - rows[0][0][0]) % every == 0:
            years.append(_text(LEFT + n * step, 0, number(key[0])))
    parts.append(
        f'<g class="tl-chart-count">{"".join(counted)}</g><g class="tl-chart-deaths">{"".join(dead_bars)}</g>'
    )
    parts.append(f'<g transform="translate(0 {bases[1] + 16})">{"".join(years)}</g>')  # the years' y, once
    height = bases[1] + 24
    summary = _summary(rows, counts, len(unplaced), by, words)
    if not any(deaths):
        parts.append(_text(LEFT + 8, bases[1] - 8, _("No deaths reported")))
    svg = (
        f'<svg class="tl-chart" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" fill="currentColor" font-size="11">'
        f'<title id="{uid}-title">{escape(caption)}</title><desc id="{uid}-desc">{escape(summary)}.</desc>'
        + "".join(parts)
        + "</svg>"
    )
    return Markup(
        f'<div class="tl-chart-figure">{svg}{_table(rows, counts, deaths, unplaced, caption, words)}</div>'
    )


def _range_form(figures: tuple[int, int]) -> int:
    """The number whose plural form a range of figures takes (CLDR's plural ranges): its
    highest's, but "0–1" takes 0's ("0–1 reported deaths"; Arabic's zero form)."""
    low, high = figures
    return low if high == 1 and low != high else high


def _summary(rows, counts, unplaced: int, by: str, words: Words) -> str:
    """The chart's description, for screen readers: its span, its busiest bar, what it leaves out."""
    _ = words._
    total_count = sum(counts)
    if by == "month":
        summary = words.ngettext("%(num)s incident by month", "%(num)s incidents by month", total_count)
    else:
        summary = words.ngettext("%(num)s incident by year", "%(num)s incidents by year", total_count)
    if rows:
        peak = max(range(len(rows)), key=lambda n: (counts[n], -n))
        summary += _(
            " from %(first)s to %(last)s, the most (%(most)s) in %(peak)s",
            first=label(rows[0][0], words),
            last=label(rows[-1][0], words),
            most=words.number(counts[peak]),
            peak=label(rows[peak][0], words),
        )
    if unplaced:
        summary += words.ngettext(
            "; %(num)s more known only to the year is in the table, not the chart",
            "; %(num)s more known only to the year are in the table, not the chart",
            unplaced,
        )
    return summary


def _table(rows, counts, deaths, unplaced, caption: str, words: Words) -> str:
    """Rows for the buckets with incidents (empty months are left out), then the unplaced."""
    _, number, none = words._, words.number, words._("none reported")
    lines = [
        (label(key, words), number(count), words.figure_range(dead) or none)
        for (key, _ignored), count, dead in zip(rows, counts, deaths, strict=True)
        if count
    ]
    by_year = defaultdict(list)
    for i in unplaced:
        by_year[i.date.year].append(i)
    lines += [
        (_("%(year)s, month unknown", year=number(y)), number(len(g)), words.figure_range(total(g)) or none)
        for y, g in sorted(by_year.items())
    ]
    body = "".join(
        f'<tr><th scope="row">{escape(a)}</th><td>{escape(b)}</td><td>{escape(c)}</td></tr>'
        for a, b, c in lines
    )
    numbers = escape(_("%(caption)s: the numbers", caption=caption))
    head = "".join(
        f'<th scope="col">{escape(name)}</th>' for name in (_("Period"), _("Incidents"), _("Reported deaths"))
    )
    return (
        f'<details class="tl-chart-table"><summary>{numbers}</summary>'
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></details>"
    )
