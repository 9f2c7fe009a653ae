"""How much of a split's bucket space changes group between two versions of a project.

`segdsl check --base REV` compares the splits of the working tree with those at REV and warns
(SEG0613) for each split whose customers would change group, so that CI can stop an
experiment from being reshuffled by accident (`--warnings-as-errors`). The bucket of a key
depends only on the split's name and salt, so:

- a group that keeps its range keeps its customers, whatever its name (a renamed group is
  the one at the same place whose old name is gone);
- changing shares moves the buckets between the old and the new boundaries;
- a new salt, or a new name for the split or holdout, draws every bucket anew: 100%.
"""

from __future__ import annotations

from collections.abc import Sequence

from segdsl.check.splits import BUCKETS, CheckedSplit, Range
from segdsl.diagnostics import Diagnostic, Span, warning


def group_at(ranges: Sequence[Range]) -> list[str | None]:
    """The group of every bucket (None for buckets in no group: those past a holdout)."""
    out: list[str | None] = [None] * BUCKETS
    for r in ranges:
        out[r.first:r.end] = [r.group] * (r.end - r.first)
    return out


def renamed(old: Sequence[Range], new: Sequence[Range]) -> dict[str, str]:
    """New group name -> the old group it renames: a group whose name is new, at the place of
    an old group whose name is gone."""
    old_names = [r.group for r in old]
    new_names = {r.group for r in new}
    out = {}
    for i, r in enumerate(new):
        if r.group not in old_names and i < len(old) and old_names[i] not in new_names:
            out[r.group] = old_names[i]
    return out


def moved_buckets(old: Sequence[Range], new: Sequence[Range]) -> int:
    """Buckets whose group is another one in `new` than in `old` (same name and salt)."""
    aliases = renamed(old, new)
    before, after = group_at(old), group_at(new)
    return sum(1 for b, a in zip(before, after) if (aliases.get(a, a) if a is not None else None) != b)


def reshuffle_warnings(old: dict[str, CheckedSplit], new: dict[str, CheckedSplit],
                       spans: dict[str, Span], base: str) -> list[Diagnostic]:
    """One SEG0613 per split of `new` whose customers change group since `base`; `spans`:
    where each split of `new` is named."""
    found = []
    gone = {n: s for n, s in old.items() if n not in new}
    for name, split in new.items():
        kind = "holdout" if split.holdout else "split"
        before = old.get(name)
        reason = ""
        if before is None:
            previous = _previous_name(split, gone)
            if previous is None:
                continue  # a new split: nobody had a group yet
            reason = f"renamed from `{previous}`: the name is hashed, so every customer is drawn again"
            moved = BUCKETS
        elif before.salt != split.salt:
            reason = f"salt changed from \"{before.salt}\" to \"{split.salt}\": every customer is drawn again"
            moved = BUCKETS
        else:
            moved = moved_buckets(before.ranges, split.ranges)
            if moved:
                reason = "shares changed: " + _shares(before.ranges) + " -> " + _shares(split.ranges)
        if not moved:
            continue
        found.append(warning(
            "SEG0613", f"the {kind} `{name}` moves {_percent(moved)} of its customers to another group "
            f"since {base}", spans[name], reason,
            "customers already in an experiment change group: keep the shares and salt, or start a new "
            "split; `--warnings-as-errors` stops this in CI"))
    return found


def _previous_name(split: CheckedSplit, gone: dict[str, CheckedSplit]) -> str | None:
    """The removed split this one renames: one of the same kind with the same groups."""
    for name, old in gone.items():
        if old.holdout != split.holdout:
            continue
        # a holdout's one group bears its name: the same share marks the renamed one
        same = [r.end - r.first for r in old.ranges] == [r.end - r.first for r in split.ranges] \
            if split.holdout else [r.group for r in old.ranges] == [r.group for r in split.ranges]
        if same:
            return name
    return None


def _shares(ranges: Sequence[Range]) -> str:
    return ", ".join(f"{r.group} {_percent(r.end - r.first)}" for r in ranges)


def _percent(buckets: int) -> str:
    whole, rest = divmod(buckets, 100)
    return f"{whole}%" if not rest else f"{whole}.{rest:02d}".rstrip("0") + "%"
