"""Completion of the uses of segments and of sequences: family members and split groups
after `in segment` (`lifecycle.champions`), a parameterised segment with its parameters to
fill in (`regulars_in(${1:r}, ${2:3})`), which parameter an argument is for (its values
when its type is an enumeration field), and where `with same` wants a column. Pure
functions of the tokens before the cursor (as text) and of what the project defines."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from segdsl.lsp.workspace import ProjectState
    from segdsl.project.schema import Schema
    from segdsl.syntax.params import Param

_SUBJECT = re.compile(r'^[ \t]*(segment|family|split)[ \t]*=[ \t]*"([^"\n]*)\Z', re.M)


def segment_items(kinds: dict[str, str], params: dict[str, tuple[Param, ...]],
                  members: dict[str, tuple[str, ...]]) -> list[types.CompletionItem]:
    """What may follow `in segment `: segments (holdouts too), parameterised segments as
    snippets, and every family member and split group by its dotted name."""
    from segdsl.format.flat import params_text
    from segdsl.lsp.programmes import snippet

    kind = types.CompletionItemKind.Class
    items: list[types.CompletionItem] = []
    for n, k in kinds.items():
        if n in params:
            label, body = snippet(n, params[n])
            items.append(types.CompletionItem(
                label=label, kind=kind, detail=f"segment {n}{params_text(params[n])}", filter_text=n,
                insert_text=body, insert_text_format=types.InsertTextFormat.Snippet))
        elif k == "segment":
            items.append(types.CompletionItem(label=n, kind=kind, detail="segment"))
    for family, names in members.items():
        items += [types.CompletionItem(label=f"{family}.{m}", kind=kind, detail=f"member of {family}")
                  for m in names]
    return items


def argument_at(words: list[str], params: dict[str, tuple[Param, ...]]) -> Param | None:
    """The parameter whose argument comes next after `words`, inside `in segment f(...`:
    the next positional one after `(` or `,`, or the one named before `:`."""
    depth, i = 0, len(words) - 1
    while i >= 0:  # back to the `(` that opened the argument list
        if words[i] == ")":
            depth += 1
        elif words[i] == "(":
            if depth == 0:
                break
            depth -= 1
        i -= 1
    if i < 3 or words[i - 3:i - 1] != ["in", "segment"] or words[i - 1] not in params:
        return None
    declared = params[words[i - 1]]
    groups: list[list[str]] = [[]]
    for w in words[i + 1:]:
        if w == ",":
            groups.append([])
        else:
            groups[-1].append(w)
    *before, now = groups
    if len(now) == 2 and now[1] == ":":  # `name: `
        return next((p for p in declared if p.name == now[0]), None)
    if now:
        return None
    position = sum(1 for g in before if g[1:2] != [":"])
    return declared[position] if position < len(declared) else None


def after_same(words: list[str]) -> bool:
    """Whether the words end with `with same` or `with same a, b,`: a column comes next."""
    i = len(words) - 1
    while i >= 2 and words[i] == "," and words[i - 1] not in (",", "same"):
        i -= 2
    return i >= 1 and words[i] == "same" and words[i - 1] == "with"


def events_relation(schema: Schema | None) -> str | None:
    """The relation whose columns `with same` names: the relation with events."""
    events = schema.event_relations() if schema is not None else []
    return events[0].name if events else None


def subject_items(state: ProjectState, text: str, offset: int) -> list[types.CompletionItem]:
    """In a `.segtest` file, inside the quotes of `segment = "`, `family = "` or `split = "`:
    the names a test may give there."""
    from segdsl.lsp.complete import _edit

    line_start = text.rfind("\n", 0, offset) + 1
    m = _SUBJECT.match(text, line_start, offset)
    if m is None:
        return []
    subjects = state.subjects()
    kind = m.group(1)
    names = subjects.segments if kind == "segment" else tuple(
        subjects.families if kind == "family" else subjects.splits)
    close = "" if text[offset:offset + 1] == '"' else '"'
    return [types.CompletionItem(label=n, kind=types.CompletionItemKind.Class, detail=kind, filter_text=n,
                                 text_edit=_edit(text, m.start(2), offset, n + close)) for n in names]
