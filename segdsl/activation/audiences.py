"""What `materialize` writes: the project's segments, and the kinds of segment with named
members (families and splits) as one segment_id whose rows carry the member's name.

A family `tiers { gold ... silver ... else bronze }` is checked into the segments
`tiers.gold`, `tiers.silver`, `tiers.bronze`; here it becomes one Audience `tiers` with those
three members. A split `campaign { control 20% treatment 80% }` becomes one Audience
`campaign` whose members are its groups (`campaign.control`, `campaign.treatment` compile like
segments). A holdout is a segment of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Audience:
    segment_id: str  # the segment's canonical name, or the family's
    kind: str  # "segment", "family" or "split"
    members: tuple[tuple[str | None, str], ...]  # (member name or None, the segment computing it)
    title: str | None = None
    description: str | None = None
    owner: str | None = None
    tags: tuple[str, ...] = ()


class AudienceError(Exception):
    """An unknown name asked for (a usage error); one line."""


def _definitions(project: Any) -> dict[str, Any]:
    return {d.name: d for f in project.parsed[0] for d in f.definitions}


def audiences(project: Any, wanted: list[str] | None = None) -> list[Audience]:
    """Every audience of the project (segments and families in source order, then splits),
    or those named in `wanted` (a segment, a family, a split, or a member `family.member` or
    group `split.group`, which stands for its family or split)."""
    defs = _definitions(project)
    found: dict[str, Audience] = {}
    for name in project.segment_names():
        family, _, member = name.partition(".")
        definition = defs.get(family)
        if member and type(definition).__name__ == "FamilyDef":
            if family not in found:
                found[family] = _family(project, definition)
            continue
        info = project.segment_info(name)
        found[name] = Audience(name, "segment", ((None, name),), info.title, info.description,
                               info.owner, tuple(info.tags))
    groups: dict[str, list[tuple[str | None, str]]] = {}
    for name in project.split_group_names():
        split, _, group = name.partition(".")
        groups.setdefault(split, []).append((group, name))
    for split, members in groups.items():
        found[split] = Audience(split, "split", tuple(members))
    if wanted is None:
        return list(found.values())
    chosen: dict[str, Audience] = {}
    for name in wanted:
        key = name if name in found else name.partition(".")[0]
        if key not in found:
            from segdsl.diagnostics import did_you_mean

            hint = did_you_mean(name, list(found))
            raise AudienceError(f"no segment or family named `{name}`" + (f" ({hint})" if hint else ""))
        chosen[key] = found[key]
    return list(chosen.values())


def _family(project: Any, definition: Any) -> Audience:
    names = [r.name for r in definition.rules]
    if definition.otherwise is not None:
        names.append(definition.otherwise.name)
    meta = {m.key: m.value for m in definition.meta}
    description, owner = meta.get("description"), meta.get("owner")
    tags = meta.get("tags", ())
    return Audience(definition.name, "family",
                    tuple((m, f"{definition.name}.{m}") for m in names), definition.title,
                    description if isinstance(description, str) else None,
                    owner if isinstance(owner, str) else None,
                    tuple(tags) if isinstance(tags, tuple) else ())
