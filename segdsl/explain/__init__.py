"""`segdsl explain`: a segment in plain English, derived from its IR, for reviewers who do
not read the language.

    from segdsl.explain import explain
    e = explain(project, "lapsed_vips")   # None for an unknown segment
    print(e.text())                      # or e.to_json()

The IR is what the SQL is generated from, so the explanation says what the segment does,
not what its source looks like: traits are expanded (and named), `!=` reads as a negation
that includes customers with no value, windows as "in the last 90 days".
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from segdsl.explain.phrases import Clause, Phrases

if TYPE_CHECKING:
    from segdsl.api import Project

WIDTH = 100
_HEADINGS = {"all": "who meet all of these conditions:", "any": "who meet at least one of these:",
             "none": "who meet none of these:", "not_all": "who do not meet all of these:"}


@dataclass
class Explanation:
    name: str
    title: str | None
    description: str | None
    owner: str | None
    tags: tuple[str, ...]
    path: str
    line: int
    condition: Clause
    traits: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        """The condition as one sentence (nested groups in parentheses)."""
        c = self.condition
        if c.kind == "leaf":
            return f"Customers {c.text}."
        if not _one_sentence(c):
            return "Customers " + _HEADINGS[c.kind].rstrip(":") + " (see below)."
        if c.kind == "all":
            return "Customers " + _join([i.text for i in c.items], "and") + "."
        if c.kind == "any":
            return "Customers " + _join([i.text for i in c.items], "or") + "."
        return "Customers " + _HEADINGS[c.kind].rstrip(":") + " (see below)."

    def text(self) -> str:
        lines = [f"segment {self.name}" + (f' "{self.title}"' if self.title else "")]
        for key in ("description", "owner"):
            if getattr(self, key):
                lines.append(f"  {key}: {getattr(self, key)}")
        if self.tags:
            lines.append(f"  tags: {', '.join(self.tags)}")
        lines.append(f"  defined in {self.path}:{self.line}")
        lines.append("")
        c = self.condition
        if c.kind == "leaf" or (_one_sentence(c) and len(self.summary()) <= 3 * WIDTH):
            lines += textwrap.wrap(self.summary(), WIDTH, break_on_hyphens=False)
        else:
            lines.append("Customers " + _HEADINGS[c.kind])
            lines += _outline(c, 1)
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "segment": self.name, "title": self.title,
            "description": self.description, "owner": self.owner, "tags": list(self.tags),
            "path": self.path, "line": self.line, "summary": self.summary(),
            "condition": self.condition.to_json(), "traits": self.traits,
        }


def _one_sentence(c: Clause) -> bool:
    """Whether an `and`/`or` of conditions reads unambiguously as one sentence: only plain
    leaves, none of them with a relation's filter (whose own `and`/`or` would run into the
    list's: "did X, counting only events whose city is A or whose city is B" could be one
    filter or a filter and a condition on the customer)."""
    return c.kind in ("all", "any") and all(i.kind == "leaf" and not i.filtered for i in c.items)


def _join(parts: list[str], word: str) -> str:
    if len(parts) <= 2:
        return f" {word} ".join(parts)
    return ", ".join(parts[:-1]) + f", {word} " + parts[-1]


def _outline(c: Clause, depth: int) -> list[str]:
    pad = "  " * depth
    out = []
    for item in c.items:
        if item.kind == "leaf":
            out += textwrap.wrap(item.text, WIDTH, initial_indent=pad + "- ",
                                 subsequent_indent=pad + "  ", break_on_hyphens=False)
        else:
            out.append(f"{pad}- {_HEADINGS[item.kind]}")
            out += _outline(item, depth + 1)
    return out


def explain(project: Project, name: str) -> Explanation | None:
    cond = project.segment_ir(name)
    info = project.segment_info(name)
    if cond is None or info is None:
        return None
    phrases = Phrases(project)
    clause = phrases.clause(cond)
    traits = {n: d for n, d in phrases.explained.items() if d}
    return Explanation(name, info.title, info.description, info.owner, tuple(info.tags),
                       info.path, info.span.line, clause, traits)
