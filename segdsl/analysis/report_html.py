"""The report as one self-contained HTML file: inline CSS, inline SVG, a few lines of
inline JS (a filter box). Nothing is fetched when it is opened, so it can be mailed,
attached to a ticket or opened offline; every project text is escaped.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from typing import Any

from segdsl.analysis import charts
from segdsl.analysis.report import ReportData, SegmentCard

CSS = """
:root { color-scheme: light; --ink: #0f172a; --muted: #475569; --line: #e2e8f0; --blue: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
       background: #f8fafc; }
header { background: #0f172a; color: #f8fafc; padding: 20px 32px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #cbd5e1; }
nav { padding: 8px 32px; background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0; }
nav a { margin-right: 16px; color: var(--blue); text-decoration: none; }
main { padding: 8px 32px 48px; max-width: 1200px; }
section { margin-top: 24px; }
h2 { font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted { color: var(--muted); }
.scroll { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
table { border-collapse: collapse; }
td, th { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
.card h3 { margin: 0; font-size: 16px; }
.card code.name { color: var(--muted); }
.tag { display: inline-block; background: #e0e7ff; color: #3730a3; border-radius: 10px; padding: 0 8px;
       margin-right: 4px; font-size: 12px; }
.size { font-size: 20px; font-weight: 600; }
.grid { display: flex; flex-wrap: wrap; gap: 16px 32px; margin-top: 8px; }
.grid figure { margin: 0; }
figcaption { font-size: 12px; color: var(--muted); }
pre { background: #0f172a; color: #e2e8f0; padding: 12px; border-radius: 6px; overflow-x: auto; font-size: 12px; }
input#filter { padding: 6px 10px; width: 320px; border: 1px solid #94a3b8; border-radius: 6px; font-size: 14px; }
.explain { border-left: 3px solid #c7d2fe; padding-left: 10px; }
.explain p { margin: 4px 0; }
.key span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; }
"""

# Filters the segment cards by name, title or tag as one types. data-ready tells a test
# (or a curious reader of the DOM) that the script ran to its end.
JS = """
(function () {
  var box = document.getElementById("filter");
  var cards = document.querySelectorAll(".card");
  var shown = document.getElementById("shown");
  if (!box) { return; }
  box.addEventListener("input", function () {
    var q = box.value.trim().toLowerCase(), n = 0;
    cards.forEach(function (card) {
      var hit = q === "" || card.getAttribute("data-search").indexOf(q) >= 0;
      card.hidden = !hit;
      if (hit) { n += 1; }
    });
    shown.textContent = n + " of " + cards.length;
  });
  document.documentElement.setAttribute("data-ready", "1");
})();
"""


def anchor(name: str) -> str:
    return "seg-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def _pct(count: int, total: int) -> str:
    if not total:
        return ""
    share = count / total
    return "<0.1%" if 0 < share < 0.0005 else f"{100 * share:.1f}%"


def _value_label(value: Any) -> str:
    if value is None:
        return "(missing)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def render_report(data: ReportData) -> str:
    overlap = data.overlap
    names = [s.name for s in data.segments]
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
             f"<title>Segments of {escape(data.project)} — segdsl report</title><style>{CSS}</style></head><body>",
             f"<header><h1>Segments of {escape(data.project)}</h1><p>{len(names)} segments · "
             f"{data.total:,} customers · as of {data.as_of.isoformat()} · {escape(data.dialect)} "
             f"({escape(data.warehouse)}) · generated {data.generated_at.isoformat(sep=' ')} UTC</p></header>",
             '<nav><a href="#sizes">Sizes</a><a href="#overlaps">Overlaps</a>'
             '<a href="#history">History</a><a href="#segments">Segments</a></nav><main>']

    by_size = sorted(data.segments, key=lambda s: (-s.size, s.name))
    parts.append('<section id="sizes"><h2>Sizes</h2><p class="muted">Members of each segment and their '
                 'share of all customers. Click a name to see the segment.</p><div class="scroll">')
    parts.append(charts.bar_chart([(s.name, s.size, _pct(s.size, data.total), "#" + anchor(s.name))
                                   for s in by_size], label="segment sizes"))
    parts.append("</div></section>")

    parts.append('<section id="overlaps"><h2>Overlaps</h2><p class="muted">Jaccard similarity of every '
                 'pair: customers in both divided by customers in either. Hover a cell for the count.</p>')
    if overlap is not None and len(names) > 1:
        parts.append('<div class="scroll">' + charts.heat_legend() + "<br>" +
                     charts.heatmap(names, overlap.jaccard, overlap.count, label="overlap heat map"))
        top = sorted(overlap.pairs(), key=lambda p: (-overlap.jaccard(*p), p))[:10]
        parts.append("<h3>Most similar pairs</h3><table><tr><th>segments</th><th>in both</th>"
                     "<th>Jaccard</th></tr>")
        for a, b in top:
            parts.append(f"<tr><td>{escape(a)} · {escape(b)}</td><td class=\"n\">{overlap.count(a, b):,}</td>"
                         f"<td class=\"n\">{overlap.jaccard(a, b):.2f}</td></tr>")
        parts.append("</table></div>")
    else:
        parts.append("<p>One segment: nothing to compare.</p>")
    parts.append("</section>")

    parts.append('<section id="history"><h2>Size history</h2>')
    if data.history:
        parts.append('<p class="muted">Members per stored snapshot (<code>segdsl snapshot</code>), '
                     'in the order they were taken.</p><div class="grid">')
        for name in names:
            if name in data.history:
                parts.append(_history_figure(name, data.history[name]))
        parts.append("</div>")
    else:
        parts.append("<p class=\"muted\">No snapshots yet: <code>segdsl snapshot PATH</code> stores "
                     "today's members; take two to see a trend.</p>")
    parts.append("</section>")

    parts.append('<section id="segments"><h2>Segments</h2><p><input id="filter" type="search" '
                 'placeholder="Filter by name, title or tag" aria-label="filter segments"> '
                 f'<span class="muted" id="shown">{len(names)} of {len(names)}</span></p>'
                 f'<p class="key muted"><span style="background:{charts.MEMBERS}"></span>members'
                 f'<span style="background:{charts.EVERYONE}"></span>all customers</p>')
    for card in data.segments:
        parts.append(_card(card, data))
    parts.append(f"</section></main><script>{JS}</script></body></html>")
    return "\n".join(parts)


def _history_figure(name: str, points: list[tuple[int, dt.date, int]]) -> str:
    chart = charts.line_chart([(f"#{sid} {as_of}", size) for sid, as_of, size in points],
                              label=f"size history of {name}")
    return f"<figure>{chart}<figcaption>{escape(name)}: {len(points)} snapshot(s)</figcaption></figure>"


_KINDS = {"all": "who meet all of these conditions:", "any": "who meet at least one of these:",
          "none": "who meet none of these:", "not_all": "who do not meet all of these:"}


def _explanation(data: dict[str, Any]) -> str:
    """The summary sentence, or for nested conditions an outline of them."""
    summary = data["summary"]
    condition = data.get("condition") or {}
    body = ""
    if summary.endswith("(see below).") and condition.get("kind") in _KINDS:
        summary = f"Customers {_KINDS[condition['kind']]}"
        body = _clauses(condition)
    return f'<div class="explain"><p>{escape(summary)}</p>{body}</div>'


def _clauses(clause: dict[str, Any]) -> str:
    items = []
    for item in clause.get("items", []):
        if item.get("kind") in _KINDS:
            items.append(f"<li>{escape(_KINDS[item['kind']])}{_clauses(item)}</li>")
        else:
            items.append(f"<li>{escape(str(item.get('text', '')))}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _card(card: SegmentCard, data: ReportData) -> str:
    search = " ".join([card.name, card.title or "", *card.tags]).lower()
    head = [f'<article class="card" id="{anchor(card.name)}" data-search="{escape(search)}">',
            # the name once: as the heading when there is no title, next to the title otherwise
            (f"<h3>{escape(card.title)} <code class=\"name\">{escape(card.name)}</code></h3>" if card.title
             else f"<h3><code>{escape(card.name)}</code></h3>"),
            f'<p><span class="size">{card.size:,}</span> members · {_pct(card.size, data.total)} of '
            f"customers"]
    if card.owner:
        head.append(f" · owner {escape(card.owner)}")
    head.append("</p>")
    if card.tags:
        head.append("<p>" + "".join(f'<span class="tag">{escape(t)}</span>' for t in card.tags) + "</p>")
    if card.description:
        head.append(f"<p>{escape(card.description)}</p>")
    if card.explanation:
        head.append(_explanation(card.explanation))
    figures = []
    for b in data.breakdowns:
        members = b.members[card.name]
        if card.size == 0:
            break
        labels = [_value_label(v) for v in b.values]
        chart = charts.compare_bars(labels, [m / card.size for m in members],
                                    [p / data.total if data.total else 0 for p in b.population],
                                    label=f"{card.name} by {b.attribute}")
        figures.append(f"<figure>{chart}<figcaption>by {escape(b.attribute)}</figcaption></figure>")
    if card.name in data.history:
        figures.append(_history_figure(card.name, data.history[card.name]))
    if figures:
        head.append('<div class="grid">' + "".join(figures) + "</div>")
    head.append(f"<details><summary>SQL ({escape(data.dialect)})</summary><pre><code>{escape(card.sql)}"
                "</code></pre></details></article>")
    return "".join(head)
