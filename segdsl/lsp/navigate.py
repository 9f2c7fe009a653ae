"""Go to definition, references, rename, hover and symbols, all from the occurrences of
names in the project's files (segdsl.lsp.symbols)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types

from segdsl.lsp import programmes, renaming
from segdsl.lsp import symbols as sym
from segdsl.lsp.convert import Lines, path_to_uri
from segdsl.syntax import ast

if TYPE_CHECKING:
    from segdsl.diagnostics import Span
    from segdsl.lsp.workspace import ProjectState
    from segdsl.project.schema import Schema
    from segdsl.types import Type

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
RESERVED = {"and", "or", "not", "in", "is", "where", "segment", "trait", "score", "has", "did",
            "between", "when", "true", "false", "today"}
FUNCTION_DOCS = {
    "days_since": "`days_since(d)`: whole days from d to today",
    "years_since": "`years_since(d)`: completed years from d to today",
    "days_between": "`days_between(a, b)`: whole days from date a to date b (b − a)",
    "coalesce": "`coalesce(x, y)`: x, or y where x is missing",
    "lower": "`lower(s)`: the text in lower case", "upper": "`upper(s)`: the text in upper case",
    "round": "`round(x[, digits])`: x rounded half away from zero",
    "abs": "`abs(x)`: the absolute value", "year": "`year(d)`: the year of a date",
    "month": "`month(d)`: the month (1-12) of a date",
    "percentile": "`percentile(X)`: 100 × (rank − 1) / (n − 1) over the customers with a value",
    "bucket": "`bucket(X, N)`: 1..N, the N-tile of X in ascending order",
}


class Navigator:
    def __init__(self, state: ProjectState) -> None:
        self.state = state
        self._occ: dict[str, tuple[object, list[sym.Occurrence]]] = {}

    # ---- occurrences ----
    def occurrences(self, path: str) -> list[sym.Occurrence]:
        if not path.endswith(".seg"):  # a .segtest file has no names of its own
            return []
        f, _ = self.state.parse(path)
        hit = self._occ.get(path)
        kinds = self.state.kinds()
        members = self.state.members()
        declared = {name: tuple(p.name for p in ps) for name, ps in self.state.params().items()}
        key = (id(f), tuple(sorted(kinds.items())) if len(kinds) < 2000 else len(kinds),
               tuple(sorted(members.items())), tuple(sorted(declared.items())))
        if hit is not None and hit[0] == key:
            return hit[1]
        found = sym.Occurrences(self.schema, kinds, members, declared).file(f)
        self._occ[path] = (key, found)
        return found

    @property
    def schema(self) -> Schema | None:
        project = self.state.project
        return project.schema if project is not None else None

    def at(self, path: str, line: int, col: int) -> sym.Occurrence | None:
        return sym.at(self.occurrences(path), line, col)

    def everywhere(self, target: sym.Occurrence) -> list[tuple[str, sym.Occurrence]]:
        out = []
        for p in self.state.seg_paths():
            out += [(p, o) for o in self.occurrences(p) if sym.same_target(o, target)]
        return out

    # ---- definition and references ----
    def definition(self, path: str, line: int, col: int) -> list[types.Location]:
        if path.endswith(".segtest"):
            return programmes.subject_definition(self, path, line, col)
        o = self.at(path, line, col)
        if o is None:
            return []
        if o.kind in sym.DEFINED:
            for p, d in self.state.definitions():
                if d.name == o.name:
                    return [self.location(p, d.name_span)]
            return []
        if o.kind in (sym.MEMBER, sym.PARAM):  # declared in a family, split or segment
            return [self.location(p, x.span) for p, x in self.everywhere(o) if x.declaration][:1]
        span = self.schema_span(o)
        return [span] if span is not None else []

    def references(self, path: str, line: int, col: int, declaration: bool) -> list[types.Location]:
        o = self.at(path, line, col)
        if o is None or o.kind in (sym.UNKNOWN, sym.FUNCTION, sym.SEQUENCE):
            return []
        found = [self.location(p, x.span) for p, x in self.everywhere(o) if declaration or not x.declaration]
        if declaration and o.kind not in (*sym.DEFINED, sym.MEMBER, sym.PARAM):
            span = self.schema_span(o)
            if span is not None:
                found.append(span)
        return found

    def schema_span(self, o: sym.Occurrence) -> types.Location | None:
        """Where a field, column, relation or event value is declared in segdsl.toml."""
        from segdsl.project.schema import Locator

        text = self.state.text(self.state.config_path)
        if text is None:
            return None
        loc = Locator(self.state.config_path, text)
        if o.kind == sym.FIELD:
            at = loc.keys.get(("entity.columns", o.name))
        elif o.kind == sym.COLUMN:
            rel, col = o.name.split(".", 1)
            at = loc.keys.get((f"relations.{rel}.columns", col))
        elif o.kind == sym.RELATION:
            at = loc.tables.get(f"relations.{o.name}")
        else:
            return None
        if at is None:
            return None
        line, start, end = at
        lines = Lines(text)
        span_range = types.Range(lines.position(line, start), lines.position(line, end))
        return types.Location(path_to_uri(self.state.config_path), span_range)

    def location(self, path: str, span: Span) -> types.Location:
        return types.Location(path_to_uri(path), Lines(self.state.text(path)).range(span))

    # ---- rename ----
    def target(self, path: str, line: int, col: int) -> sym.Occurrence | None:
        """What a rename at (line, col) renames: a name in a `.seg` file, or the one a
        `.segtest` file's subject names."""
        if path.endswith(".segtest"):
            return renaming.subject_at(self.state, path, line, col)
        return self.at(path, line, col)

    def prepare_rename(self, path: str, line: int, col: int) -> types.Range | None:
        o = self.target(path, line, col)
        if o is None or o.kind not in sym.RENAMED:
            return None
        return Lines(self.state.text(path)).range(o.span)

    def rename(self, path: str, line: int, col: int, new_name: str) -> types.WorkspaceEdit | None:
        o = self.target(path, line, col)
        if o is None or o.kind not in sym.RENAMED:
            return None
        problem = self.bad_name(new_name, o.name, o.kind)
        if problem:
            raise ValueError(problem)
        changes: dict[str, list[types.TextEdit]] = {}
        for p, x in self.everywhere(o):
            r = Lines(self.state.text(p)).range(x.span)
            changes.setdefault(path_to_uri(p), []).append(types.TextEdit(r, new_name))
        for p, edits in renaming.segtest_edits(self.state, o, new_name).items():  # the tests' subjects
            changes.setdefault(path_to_uri(p), []).extend(edits)
        return types.WorkspaceEdit(changes=changes)

    def bad_name(self, new: str, old: str, kind: str = sym.SEGMENT) -> str | None:
        if not NAME.match(new) or new in RESERVED:
            return f"`{new}` is not a name: use letters, digits and _, not starting with a digit, not a keyword"
        if kind == sym.PARAM:  # unique among the segment's parameters, and no other name (SEG0372)
            segment, param = old.split(".", 1)
            if new != param and new in [p.name for p in self.state.params().get(segment, ())]:
                return f"`{new}` is already a parameter of `{segment}`"
            if new != param and new in self.state.kinds():
                return f"`{new}` is already defined in this project"
        elif kind == sym.MEMBER:  # unique among the family's members or the split's groups
            family, member = old.split(".", 1)
            taken = self.state.members().get(family, ())
            return f"`{new}` is already a member of `{family}`" if new != member and new in taken else None
        elif new != old and new in self.state.kinds():
            return f"`{new}` is already defined in this project"
        schema = self.schema
        if schema is not None and (new in schema.entity.columns or new in schema.relations):
            return f"`{new}` is a field or relation of the schema"
        return None

    # ---- symbols ----
    def document_symbols(self, path: str) -> list[types.DocumentSymbol]:
        if not path.endswith(".seg"):
            return []
        f, _ = self.state.parse(path)
        lines = Lines(self.state.text(path))
        out = []
        for d in f.definitions:
            kind = sym.definition_kind(d)
            detail = getattr(d, "title", None) or kind
            out.append(types.DocumentSymbol(name=d.name, kind=_SYMBOL_KIND[kind], range=lines.range(d.span),
                                            selection_range=lines.range(d.name_span), detail=detail))
        return out

    def workspace_symbols(self, query: str) -> list[types.SymbolInformation]:
        q = query.lower()
        out = []
        for p, d in self.state.definitions():
            if q in d.name.lower():
                kind = sym.definition_kind(d)
                out.append(types.SymbolInformation(name=d.name, kind=_SYMBOL_KIND[kind],
                                                   location=self.location(p, d.name_span),
                                                   container_name=kind))
        return out

    # ---- hover ----
    def hover(self, path: str, line: int, col: int) -> types.Hover | None:
        o = self.at(path, line, col)
        if o is None:
            return None
        text = self.describe(o, path)
        if not text:
            return None
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text),
                           Lines(self.state.text(path)).range(o.span))

    def describe(self, o: sym.Occurrence, path: str = "") -> str | None:
        schema = self.schema
        if o.kind == sym.MEMBER:
            return programmes.describe_member(self, o)
        if o.kind == sym.PARAM:
            return programmes.describe_param(self, o)
        if o.kind == sym.SEQUENCE:
            return programmes.describe_sequence(self, path, o)
        if o.kind == sym.SEGMENT and o.whole is not None:
            return programmes.describe_call(self, path, o)
        if o.kind == sym.FIELD and schema is not None:
            c = schema.entity.columns[o.name]
            return _column_text(o.name, c.type, f"field of {schema.entity.name} (table `{schema.entity.table}`)")
        if o.kind == sym.COLUMN and schema is not None:
            rel, col = o.name.split(".", 1)
            c = schema.relations[rel].columns[col]
            return _column_text(o.name, c.type, f"column of the relation {rel} (table `{schema.relations[rel].table}`)")
        if o.kind == sym.RELATION and schema is not None and o.name in schema.relations:
            r = schema.relations[o.name]
            cols = ", ".join(f"`{c.name}` {c.type}" for c in r.columns.values())
            extra = (f", time `{r.time}`" if r.time else "") + (f", events in `{r.event}`" if r.event else "")
            return f"**{r.name}**: relation, table `{r.table}`, key `{r.key}`{extra}\n\ncolumns: {cols}"
        if o.kind == sym.FUNCTION:
            return FUNCTION_DOCS.get(o.name)
        if o.kind in (sym.ENUM_VALUE, sym.EVENT):
            return f'`"{o.name}"`: ' + ("an event name" if o.kind == sym.EVENT else "a value of the field")
        if o.kind in sym.DEFINED:
            return self.describe_definition(o.name)
        return None

    def describe_definition(self, name: str) -> str | None:
        for p, d in self.state.definitions():
            if d.name != name:
                continue
            kind = sym.definition_kind(d)
            source = "\n".join(Lines(self.state.text(p)).lines[d.span.line - 1:min(d.span.end_line, d.span.line + 30)])
            parts = [f"```seg\n{source}\n```"]
            if isinstance(d, ast.SegmentDef) and d.params is not None:  # its argument lists in use
                meaning = programmes.describe_parameterised(self, d)
            elif isinstance(d, ast.SplitDef) and d.holdout:  # a segment the incremental check does not explain
                meaning = programmes.describe_holdout(self, d.name)
            else:
                meaning = self.meaning(kind, name)
            if meaning:
                parts.append(meaning)
            return "\n\n".join(parts)
        return None

    def meaning(self, kind: str, name: str) -> str | None:
        """The plain-English sentence of segdsl explain (None while the definition has errors)."""
        try:
            project = self.state.full_project()
            if kind == "segment":
                from segdsl.explain import explain

                e = explain(project, name)
                if e is None:
                    return None
                out = e.summary()
                if e.description:
                    out = f"*{e.description}*\n\n{out}"
                if e.traits:
                    out += "\n\n" + "\n".join(f"- `{n}`: {t}" for n, t in e.traits.items())
                return out
            typed = project.resolved[0].traits.get(name)
            if typed is None:
                return None
            from segdsl.explain.phrases import Phrases

            phrases = Phrases(project)
            if typed.is_cond:  # a true/false trait: the customers it holds for
                return f"{kind} (true/false): true for customers {phrases.inline(typed.node, None)}"
            return f"{kind} ({typed.type}): {phrases.value(typed.node)}"
        except Exception:  # an explanation is a nicety: never let it break hover
            return None


def _column_text(name: str, t: Type, what: str) -> str:
    text = f"**{name}**: {t}, {what}"
    if t.values:
        text += "\n\nvalues: " + ", ".join(f'`"{v}"`' for v in t.values)
    return text


_SYMBOL_KIND = {"segment": types.SymbolKind.Class, "trait": types.SymbolKind.Property,
                "score": types.SymbolKind.Number}
