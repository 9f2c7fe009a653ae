"""How the analyses look in a terminal (rich tables), in a pull request (markdown) and to
bots (JSON). Every cell is a rich Text, so names and values are never read as markup."""

from __future__ import annotations

import json
from typing import Any

from segdsl.analysis.common import pct, share


def _table(title: str | None, columns: list[tuple[str, str]]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    return table


def _row(table: Any, cells: list[str]) -> None:
    from rich.text import Text

    table.add_row(*(Text(c) for c in cells))


def index(members_share: float | None, all_share: float | None) -> str:
    """100 = as common among members as among all customers; 200 = twice as common."""
    if members_share is None or not all_share:
        return ""
    return f"{100 * members_share / all_share:.0f}"


def profile_tables(profile: Any) -> list[Any]:
    tables = []
    for b in profile.breakdowns:
        what = "quartile bands of" if b.kind == "bands" else "by"
        t = _table(f"{what} {b.field}", [(b.field, "left"), ("members", "right"), ("% of members", "right"),
                                         ("all customers", "right"), ("% of all", "right"), ("index", "right")])
        for r in b.rows:
            m, a = share(r.members, profile.size), share(r.population, profile.total)
            _row(t, [r.label, f"{r.members:,}", pct(m), f"{r.population:,}", pct(a), index(m, a)])
        tables.append(t)
    return tables


def profile_json(profile: Any, version: int = 1) -> str:
    return json.dumps({
        "version": version, "segment": profile.segment, "as_of": profile.as_of.isoformat() if profile.as_of else None,
        "size": profile.size, "customers": profile.total,
        "breakdowns": [{"field": b.field, "kind": b.kind, "cuts": [_plain(c) for c in b.cuts],
                        "rows": [{"label": r.label, "value": _plain(r.value), "members": r.members,
                                  "customers": r.population} for r in b.rows]}
                       for b in profile.breakdowns]}, indent=2)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if type(value).__name__ == "Decimal":
        return float(value)
    return str(value)


def overlap_matrix(result: Any) -> Any:
    """Counts, with the Jaccard similarity under each (fits up to ~8 segments)."""
    t = _table(None, [("", "left")] + [(n, "right") for n in result.names])
    for a in result.names:
        cells = [a]
        for b in result.names:
            if a == b:
                cells.append(f"{result.sizes[a]:,}")
            else:
                cells.append(f"{result.count(a, b):,}\nJ {result.jaccard(a, b):.2f}")
        _row(t, cells)
    return t


def overlap_pairs(result: Any, top: int) -> Any:
    pairs = sorted(result.pairs(), key=lambda p: (-result.jaccard(*p), -result.count(*p), p))
    if top:
        pairs = pairs[:top]
    t = _table(None, [("segment a", "left"), ("segment b", "left"), ("in both", "right"),
                      ("% of a", "right"), ("% of b", "right"), ("Jaccard", "right")])
    for a, b in pairs:
        both = result.count(a, b)
        _row(t, [a, b, f"{both:,}", pct(share(both, result.sizes[a])), pct(share(both, result.sizes[b])),
                 f"{result.jaccard(a, b):.3f}"])
    return t


def _keys(keys: list[Any]) -> str:
    return ", ".join(str(k) for k in keys)


def _delta(n: int | None, sign: str) -> str:
    return "" if n is None else (f"{sign}{n:,}" if n else "0")


def _size(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


def diff_table(diff: Any) -> Any:
    t = _table(None, [("segment", "left"), ("change", "left"), ("before", "right"), ("after", "right"),
                      ("entering", "right"), ("leaving", "right")])
    for c in diff.changes:
        if c.error:
            _row(t, [c.name, c.status, "", "", "error", c.error])
            continue
        _row(t, [c.name, c.status, _size(c.before), _size(c.after), _delta(c.entering, "+"),
                 _delta(c.leaving, "−")])
    return t


def diff_samples(diff: Any) -> list[str]:
    """One line per segment and side: long key lists do not fit in a table cell."""
    lines = []
    for c in diff.changes:
        if c.sample_entering:
            lines.append(f"  {c.name} entering, e.g.: {_keys(c.sample_entering)}")
        if c.sample_leaving:
            lines.append(f"  {c.name} leaving, e.g.: {_keys(c.sample_leaving)}")
    return lines


def diff_markdown(diff: Any, sample: int) -> str:
    """A comment for a pull request: what the change does to each segment's membership."""
    changed = [c for c in diff.changes if c.status == "changed"]
    moved = sum((c.entering or 0) + (c.leaving or 0) for c in diff.changes)
    lines = [f"### segdsl diff: {len(diff.changes)} segment{'s' if len(diff.changes) != 1 else ''} "
             "affected" if diff.changes else "### segdsl diff: no segment changes membership", "",
             f"Compared with {_base(diff)} on {diff.dialect}, as of "
             f"{diff.as_of.isoformat()}: {len(changed)} changed, "
             f"{sum(c.status == 'added' for c in diff.changes)} added, "
             f"{sum(c.status == 'removed' for c in diff.changes)} removed, "
             f"{len(diff.unchanged)} unchanged; {moved:,} memberships move.", ""]
    if diff.changes:
        lines += ["| segment | change | before | after | entering | leaving |",
                  "|---|---|--:|--:|--:|--:|"]
        for c in diff.changes:
            if c.error:
                lines.append(f"| `{c.name}` | {c.status} | | | | error: {_md(c.error)} |")
            else:
                lines.append(f"| `{c.name}` | {c.status} | {_size(c.before)} | {_size(c.after)} | "
                             f"{_delta(c.entering, '+')} | {_delta(c.leaving, '−')} |")
        samples = [c for c in diff.changes if c.sample_entering or c.sample_leaving]
        if samples and sample:
            lines += ["", f"<details><summary>Samples (the {sample} smallest keys of each side)</summary>", ""]
            for c in samples:
                if c.sample_entering:
                    lines.append(f"- `{c.name}` entering: {_md(_keys(c.sample_entering))}")
                if c.sample_leaving:
                    lines.append(f"- `{c.name}` leaving: {_md(_keys(c.sample_leaving))}")
            lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def _base(diff: Any) -> str:
    if diff.base == diff.commit:
        return f"`{diff.commit[:10]}`"
    return f"`{diff.base}` (`{diff.commit[:10]}`)"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def history_table(snapshots: list[Any]) -> Any:
    t = _table(None, [("snapshot", "right"), ("as of", "left"), ("taken at (UTC)", "left"),
                      ("members", "right"), ("entered", "right"), ("left", "right")])
    for s in snapshots:
        _row(t, [str(s.snapshot_id), s.as_of.isoformat(), s.taken_at.isoformat(sep=" "), f"{s.size:,}",
                 _delta(s.entered, "+"), _delta(s.left, "−")])
    return t
