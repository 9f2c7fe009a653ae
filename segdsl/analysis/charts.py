"""Inline SVG charts for the HTML report: no library, no network, readable without JS.

Every text that comes from a project (segment names, values) is escaped; tooltips are SVG
<title> elements, which browsers show on hover without any script.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

MEMBERS = "#2563eb"
EVERYONE = "#cbd5e1"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _svg(width: float, height: float, body: list[str], css_class: str, label: str) -> str:
    return (f'<svg class="{css_class}" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'aria-label="{escape(label)}" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" {FONT}>' + "".join(body) + "</svg>")


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def bar_chart(items: list[tuple[str, int, str, str | None]], *, label: str, width: int = 760) -> str:
    """Horizontal bars: (label, value, note shown after the bar, link or None)."""
    row, left, right = 22, 190, 130
    top = max((v for _, v, _, _ in items), default=0) or 1
    span = width - left - right
    body = []
    for i, (name, value, note, href) in enumerate(items):
        y = i * row
        w = max(span * value / top, 1 if value else 0)
        bar = (f'<rect class="bar" x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
               f'fill="{MEMBERS}"><title>{escape(name)}: {value:,} ({escape(note)})</title></rect>')
        text = f'<text x="{left - 8}" y="{y + row / 2 + 4}" text-anchor="end">{escape(_clip(name, 28))}</text>'
        if href:
            text = f'<a href="{escape(href)}">{text}</a>'
        body.append(text + bar + f'<text x="{left + w + 6:.1f}" y="{y + row / 2 + 4}" fill="#334155">'
                    f'{value:,} · {escape(note)}</text>')
    return _svg(width, max(len(items), 1) * row, body, "chart bars", label)


def _heat(value: float) -> str:
    """White (0) to dark blue (1), through light blue: readable at both ends."""
    lo, hi = (248, 250, 252), (30, 58, 138)
    v = min(max(value, 0.0), 1.0) ** 0.6  # small overlaps stay visible
    r, g, b = (round(a + (c - a) * v) for a, c in zip(lo, hi))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(names: list[str], jaccard: Callable[[str, str], float], both: Callable[[str, str], int], *,
            label: str) -> str:
    """An n x n grid coloured by Jaccard similarity; tooltips give the shared count."""
    n = len(names)
    cell = 14 if n > 20 else 22 if n > 8 else 34
    left = top = 8 + 6.5 * min(max((len(x) for x in names), default=4), 24)
    body = []
    for i, a in enumerate(names):
        y = top + i * cell
        body.append(f'<text x="{left - 6}" y="{y + cell / 2 + 4}" text-anchor="end">{escape(_clip(a, 24))}</text>')
        x = left + i * cell + cell / 2
        body.append(f'<text transform="translate({x + 4:.1f},{top - 6}) rotate(-90)">{escape(_clip(a, 24))}</text>')
        for j, b in enumerate(names):
            j_value = 1.0 if i == j else jaccard(a, b)
            tip = (f"{a}: {both(a, a):,} members" if i == j else
                   f"{a} and {b}: {both(a, b):,} in both, Jaccard {j_value:.2f}")
            body.append(f'<rect class="cell" x="{left + j * cell}" y="{y}" width="{cell - 1}" '
                        f'height="{cell - 1}" fill="{_heat(j_value)}"><title>{escape(tip)}</title></rect>')
            if cell >= 34 and i != j:
                colour = "#fff" if j_value > 0.45 else "#0f172a"
                body.append(f'<text x="{left + j * cell + cell / 2 - 0.5}" y="{y + cell / 2 + 4}" '
                            f'text-anchor="middle" font-size="10" fill="{colour}">{_two_places(j_value)}</text>')
    return _svg(left + n * cell + 10, top + n * cell + 10, body, "chart heatmap", label)


def _two_places(value: float) -> str:
    """0.00 only for no overlap at all: a small overlap reads "<.01", not zero."""
    return "<.01" if 0 < value < 0.005 else f"{value:.2f}"


def heat_legend() -> str:
    stops = "".join(f'<rect x="{i * 24}" y="0" width="24" height="12" fill="{_heat(i / 10)}"/>' for i in range(11))
    return _svg(300, 30, [stops, '<text x="0" y="26">0 (no overlap)</text>',
                          '<text x="264" y="26" text-anchor="end">1 (same members)</text>'],
                "legend", "colour scale: Jaccard similarity from 0 to 1")


def compare_bars(labels: list[str], members: list[float], everyone: list[float], *, label: str,
                 width: int = 360) -> str:
    """Per value, the share of the segment's members (blue) above the share of all
    customers (grey): a value is over-represented when blue is longer."""
    row, left, right = 30, 110, 50
    top = max(members + everyone + [0.0001])
    span = width - left - right
    body = []
    for i, (name, m, e) in enumerate(zip(labels, members, everyone)):
        y = i * row
        body.append(f'<text x="{left - 6}" y="{y + row / 2 + 4}" text-anchor="end">{escape(_clip(name, 16))}</text>')
        for k, (share, colour, who) in enumerate(((m, MEMBERS, "members"), (e, EVERYONE, "all customers"))):
            w = span * share / top
            body.append(f'<rect class="bar {"members" if k == 0 else "everyone"}" x="{left}" '
                        f'y="{y + 3 + k * 12}" width="{w:.1f}" height="11" fill="{colour}">'
                        f'<title>{escape(name)}: {100 * share:.1f}% of {who}</title></rect>')
            body.append(f'<text x="{left + w + 4:.1f}" y="{y + 12 + k * 12}" font-size="10" fill="#475569">'
                        f'{100 * share:.0f}%</text>')
    return _svg(width, max(len(labels), 1) * row, body, "chart compare", label)


def line_chart(points: list[tuple[str, int]], *, label: str, width: int = 360, height: int = 140) -> str:
    """Size per snapshot, in snapshot order; each point's tooltip has its date and size."""
    left, right, top, bottom = 50, 16, 12, 28
    high = max((v for _, v in points), default=0) or 1
    step = (width - left - right) / max(len(points) - 1, 1)

    def xy(i: int, v: int) -> tuple[float, float]:
        return left + i * step, top + (height - top - bottom) * (1 - v / high)

    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#94a3b8"/>',
            f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="10">{high:,}</text>',
            f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="10">0</text>']
    coords = [xy(i, v) for i, (_, v) in enumerate(points)]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline class="line" points="{path}" fill="none" stroke="{MEMBERS}" stroke-width="2"/>')
    for (x, y), (name, v) in zip(coords, points):
        body.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{MEMBERS}">'
                    f'<title>{escape(name)}: {v:,} members</title></circle>')
    if points:
        body.append(f'<text x="{left}" y="{height - 8}" font-size="10">{escape(points[0][0])}</text>')
        body.append(f'<text x="{width - right}" y="{height - 8}" font-size="10" text-anchor="end">'
                    f'{escape(points[-1][0])}</text>')
    return _svg(width, height, body, "chart history", label)
