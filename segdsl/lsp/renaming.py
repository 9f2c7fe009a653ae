"""What a rename does beyond the `.seg` files: the `.segtest` files naming the old name, a
rename started from a `.segtest` file, and a warning when the renamed definition is a split
or a holdout.

A test names a segment in its subject (`segment = "lapsed_vips"`, a family member or split
group as `segment = "lifecycle.champions"`, a parameterised segment as
`segment = 'regulars_in("South")'`), a family or split in `family = "..."` / `split = "..."`
(a holdout too), and a member or group in the values of `assign`. Those strings are edited in
place, in the same WorkspaceEdit as the `.seg` files; so are the named arguments of a
subject (`'regulars_in(r: "South")'`) when a parameter is renamed. A rename may start on a
subject's name in a `.segtest` file: it renames that segment, family, split, member or group
everywhere, as from its definition.

A split's buckets hash its name (`segdsl|<split>|<salt>|<key>`, docs/language.md), salt or
no salt, and a holdout is salted with its own name: renaming either draws every customer
again. The rename still happens (it may be meant); the user is told, and a client that
supports change annotations asks for confirmation before applying it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types

from segdsl.diagnostics import Span
from segdsl.lsp import symbols as sym
from segdsl.lsp.convert import Lines

if TYPE_CHECKING:
    from segdsl.lsp.navigate import Navigator
    from segdsl.lsp.server import SegdslServer
    from segdsl.lsp.workspace import ProjectState

RESHUFFLE = "segdsl.reshuffle"  # the change annotation of a split's or holdout's rename


def segtest_edits(state: ProjectState, o: sym.Occurrence, new: str) -> dict[str, list[types.TextEdit]]:
    """path -> the edits of each `.segtest` file naming what `o` is."""
    from segdsl.segtest.parse import read_file

    out: dict[str, list[types.TextEdit]] = {}
    for path in state.test_paths():
        text = state.text(path) or ""
        if o.name.split(".")[0] not in text:
            continue
        lines = text.splitlines()
        raws, _ = read_file(state.rel(path), text)
        spans: list[Span] = []
        for raw in raws:
            values = raw.located.values
            strings = {k: s for k in ("segment", "family", "split") if (s := _string(lines, values.get((k,))))}
            for key, (span, inner) in strings.items():
                spans += _subject(o, key, span, inner)
            group_of = next((inner for k, (_, inner) in strings.items() if k != "segment"), None)
            # `assign` of that family or split; a holdout's one group is named like it
            member = o.name.split(".", 1)[1] if o.kind == sym.MEMBER else o.name
            if group_of == o.name.split(".", 1)[0] and o.kind in (sym.MEMBER, sym.SEGMENT):
                for where, at in values.items():
                    found = _string(lines, at) if len(where) == 2 and where[0] == "assign" else None
                    if found is not None and found[1] == member:
                        spans.append(_part(found[0], 0, len(member)))
        if spans:
            doc = Lines(text)
            out[path] = [types.TextEdit(doc.range(s), new) for s in spans]
    return out


def subject_at(state: ProjectState, path: str, line: int, col: int) -> sym.Occurrence | None:
    """The name under 1-based (line, col) in a `.segtest` file's subject (`segment`, `family`
    or `split`), as an occurrence spanning it inside the quotes; None elsewhere."""
    from segdsl.segtest.parse import read_file

    text = state.text(path) or ""
    lines = text.splitlines()
    raws, _ = read_file(state.rel(path), text)
    kinds, members = state.kinds(), state.members()
    for raw in raws:
        for key in ("segment", "family", "split"):
            found = _string(lines, raw.located.values.get((key,)))
            if found is None or found[0].line != line:
                continue
            span, inner = found
            name = inner.split("(", 1)[0]
            head, dot, tail = name.partition(".")
            at = col - span.col - 1  # characters into the quoted text
            if key == "segment" and dot and len(head) < at <= len(name) and tail in members.get(head, ()):
                return sym.Occurrence(_part(span, len(head) + 1, len(name)), sym.MEMBER, name)
            if 0 <= at <= len(head) and head in kinds:
                return sym.Occurrence(_part(span, 0, len(head)), kinds[head], head)
    return None


def _named_args(inner: str, param: str) -> list[int]:
    """Where the arguments named `param` start in a subject `f(param: ..., ...)`, quoted
    text left out."""
    blanked = re.sub(r'"(?:[^"\\]|\\.)*"', lambda m: " " * len(m.group()), inner)
    return [m.start(1) for m in re.finditer(r"[(,]\s*(\w+)\s*:", blanked) if m.group(1) == param]


def _subject(o: sym.Occurrence, key: str, span: Span, inner: str) -> list[Span]:
    name = inner.split("(", 1)[0]
    if o.kind == sym.PARAM:
        segment, _, param = o.name.partition(".")
        if key != "segment" or name.strip() != segment:
            return []
        return [_part(span, i, i + len(param)) for i in _named_args(inner, param)]
    if o.kind == sym.MEMBER:
        head, _, member = o.name.partition(".")
        return [_part(span, len(head) + 1, len(o.name))] if key == "segment" and name == o.name else []
    if key != "segment":  # a family, split or holdout
        return [_part(span, 0, len(o.name))] if name == o.name and o.kind in (sym.TRAIT, sym.SEGMENT) else []
    if o.kind == sym.SEGMENT and name == o.name:  # also `f(...)`
        return [_part(span, 0, len(o.name))]
    if o.kind == sym.TRAIT and name.partition(".")[0] == o.name and "." in name:  # `family.member`
        return [_part(span, 0, len(o.name))]
    return []


def _string(lines: list[str], span: Span | None) -> tuple[Span, str] | None:
    """A one-line quoted string without escapes starting at `span`: (span, its text)."""
    if span is None or not span.known or span.line > len(lines):
        return None
    line = lines[span.line - 1]
    start = span.col - 1
    quote = line[start:start + 1]
    if quote not in ('"', "'") or line.startswith(quote * 3, start):
        return None
    end = line.find(quote, start + 1)
    if end < 0 or "\\" in line[start:end]:
        return None
    return span, line[start + 1:end]


def _part(span: Span, start: int, end: int) -> Span:
    """The characters start..end of the text inside the quotes at `span`."""
    return Span(span.path, span.line, span.col + 1 + start, span.line, span.col + 1 + end)


def reshuffle_warning(state: ProjectState, o: sym.Occurrence) -> str | None:
    """What renaming a split or holdout does to its groups (None for anything else)."""
    from segdsl.syntax import ast

    if o.kind not in (sym.SEGMENT, sym.TRAIT):
        return None
    d = next((d for _, d in state.definitions() if d.name == o.name), None)
    if not isinstance(d, ast.SplitDef):
        return None
    if d.holdout:
        return (f"renaming the holdout `{o.name}` draws it again: its name is hashed into each "
                "customer's bucket, so other customers are held out")
    salt = " (the salt does not change that)" if d.salt is not None else ""
    return (f"renaming the split `{o.name}` gives every customer a new bucket{salt}: its name is "
            "hashed, so customers change group; keep the name to keep the groups")


def annotated(edit: types.WorkspaceEdit, warning: str, versions: dict[str, int | None]) -> types.WorkspaceEdit:
    """The edit as document changes whose every edit needs the user's confirmation."""
    changes: list[types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile] = []
    for uri, edits in (edit.changes or {}).items():
        annotated_edits: list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit] = [
            types.AnnotatedTextEdit(range=e.range, new_text=e.new_text, annotation_id=RESHUFFLE) for e in edits]
        changes.append(types.TextDocumentEdit(
            types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=versions.get(uri)), annotated_edits))
    note = types.ChangeAnnotation(label="customers change group", needs_confirmation=True,
                                  description=warning)
    return types.WorkspaceEdit(document_changes=changes, change_annotations={RESHUFFLE: note})


def supports_annotations(caps: types.ClientCapabilities) -> bool:
    ws = caps.workspace
    we = ws.workspace_edit if ws is not None else None
    return we is not None and bool(we.document_changes) and we.change_annotation_support is not None


def warned(ls: SegdslServer, nav: Navigator, path: str, line: int, col: int,
           edit: types.WorkspaceEdit | None) -> types.WorkspaceEdit | None:
    """The rename's edit; for a split or holdout, a warning shown, and the edit marked as
    needing confirmation where the client can ask for it (VS Code shows its preview)."""
    o = nav.target(path, line, col)
    warning = reshuffle_warning(nav.state, o) if o is not None and edit is not None else None
    if warning is None or edit is None:
        return edit
    ls.window_show_message(types.ShowMessageParams(types.MessageType.Warning, f"segdsl: {warning}"))
    if not supports_annotations(ls.client_capabilities):
        return edit
    from segdsl.lsp.convert import path_to_uri, uri_to_path

    versions = {path_to_uri(uri_to_path(u)): d.version for u, d in ls.workspace.text_documents.items()}
    return annotated(edit, warning, versions)
