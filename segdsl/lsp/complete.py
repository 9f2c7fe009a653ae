"""Completion, from the text before the cursor: it works while the definition being typed
does not parse yet (it rarely does, mid-word).

The definition around the cursor is tokenised up to the cursor; the last tokens say what
may come next (a relation's columns after `orders.`, the values of `region` inside the
quotes after `region = "`, event names after `did`, units after a number, ...), and a
small stack of parentheses says whether the cursor is inside a relation's filter, where a
bare name is a column of that relation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from lsprotocol import types

from segdsl.check.functions import AGGREGATES, SCALAR_FUNCTIONS
from segdsl.lsp.complete_uses import after_same, argument_at, events_relation, segment_items

if TYPE_CHECKING:
    from segdsl.lsp.convert import Lines
    from segdsl.project.schema import Schema
    from segdsl.syntax.params import Param
    from segdsl.types import Type

_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<open>"(?:[^"\\\n]|\\.)*$)
  | (?P<date>\d{4}-\d{2}-\d{2})
  | (?P<number>\d+(?:\.\d+)?%?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>!=|<=|>=|[=<>()\[\]{},.:+\-*/])
  | (?P<space>\s+)
""", re.X)
_DEFINITION_START = re.compile(r"^[ \t]*(segment|trait|score|family|split|holdout)\b", re.M)
_DEFINED = re.compile(r"^[ \t]*(segment|trait|score|family|split|holdout)[ \t]+([A-Za-z_][A-Za-z0-9_]*)", re.M)
_KIND_OF = {"family": "trait", "split": "trait", "holdout": "segment"}  # as symbols.definition_kind
MAX_CONTEXT = 20_000  # characters before the cursor looked at: enough for any definition
MAX_ITEMS = 300  # more than this many candidates: only those matching the word typed
MAX_SCANNED = 2_000_000  # a larger file is refused by the parser: its names are not offered

KEYWORDS = ("and", "or", "not", "in", "is", "set", "where", "segment", "has", "no", "did", "between",
            "contains", "starts with", "ends with", "any", "all", "none", "top", "bottom", "by",
            "this", "last", "next", "ago", "anniversary", "today", "before", "after", "on", "at least", "at most",
            "exactly", "times", "true", "false", "first", "but not", "after a gap of", "then", "within",
            "with same")
DEFINITION_KEYWORDS = ("segment", "trait", "score", "family", "split", "holdout")
UNITS = ("days", "weeks", "months", "years")
PERIODS = ("week", "month", "quarter", "year", "fiscal_quarter", "fiscal_year")
WITHIN_UNITS = ("minutes", "hours", "days", "weeks")
K = types.CompletionItemKind


@dataclass
class Token:
    kind: str
    text: str
    start: int  # offset in the text


@dataclass
class _Frame:
    base: str | None  # relation in scope when the frame opened
    rel: str | None  # relation whose columns bare names are, now
    aggregate: bool = False
    agg_rel: str | None = None
    pending: str | None = None  # `has R` / `did "E"` seen: a `where` filters R
    one_predicate: bool = False  # a filter outside parentheses ends at `and` / `or`


@dataclass
class Context:
    tokens: list[Token]
    partial: str  # the word being typed
    partial_start: int
    relation: str | None  # relation in scope at the cursor
    items: list[Any] = field(default_factory=list)


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # a stray character: skip it
            pos += 1
            continue
        kind = cast(str, m.lastgroup)  # every alternative of _TOKEN is a named group
        if kind not in ("space", "comment"):
            out.append(Token(kind, m.group(), pos))
        pos = m.end()
    return out


def scope(tokens: list[Token], schema: Schema | None) -> str | None:
    """The relation whose filter the end of `tokens` stands in, if any."""
    events = [r.name for r in schema.event_relations()] if schema is not None else []
    relations = schema.relations if schema is not None else {}
    stack = [_Frame(None, None)]
    for i, t in enumerate(tokens):
        top = stack[-1]
        word = t.text
        nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if t.kind == "op" and word == "(":
            prev = tokens[i - 1].text if i else ""
            if prev in AGGREGATES:
                stack.append(_Frame(top.rel, None, aggregate=True, agg_rel=nxt if nxt in relations else None))
            else:
                stack.append(_Frame(top.rel, top.rel))
        elif t.kind == "op" and word == ")":
            if len(stack) > 1:
                stack.pop()
        elif t.kind == "name" and word == "has":
            rel = tokens[i + 2].text if nxt == "no" and i + 2 < len(tokens) else nxt
            top.pending = rel if rel in relations else top.pending
        elif t.kind == "name" and word == "did":
            top.pending = events[0] if events else None
        elif t.kind == "name" and word == "where":
            if top.aggregate:
                top.rel = top.agg_rel
            elif top.pending is not None:
                top.rel, top.one_predicate = top.pending, True
            top.pending = None
        elif t.kind == "name" and word in ("and", "or") and top.one_predicate:
            top.rel, top.one_predicate = top.base, False
    return stack[-1].rel


def context(text: str, offset: int, schema: Schema | None) -> Context:
    start = max(0, offset - MAX_CONTEXT)
    head = text[start:offset]
    starts = [m.start() for m in _DEFINITION_START.finditer(head)]
    if starts:
        head, start = head[starts[-1]:], start + starts[-1]
    tokens = tokenize(head)
    for t in tokens:
        t.start += start
    partial, pstart = "", offset
    if tokens and tokens[-1].kind == "name" and tokens[-1].start + len(tokens[-1].text) == offset:
        partial, pstart = tokens[-1].text, tokens[-1].start
        tokens = tokens[:-1]
    return Context(tokens, partial, pstart, scope(tokens, schema))


class Completer:
    def __init__(self, schema: Schema | None, kinds: dict[str, str], types_of: dict[str, str],
                 members: dict[str, tuple[str, ...]] | None = None,
                 params: dict[str, tuple[Param, ...]] | None = None) -> None:
        self.schema = schema
        self.kinds = kinds  # name -> segment | trait | score
        self.types_of = types_of  # trait/score name -> its type, as text
        self.members = members or {}  # family or split -> its members or groups
        self.params = params or {}  # parameterised segment -> its parameters
        self.incomplete = False  # set when the list was cut: the client asks again as the user types

    def complete(self, text: str, offset: int) -> list[types.CompletionItem]:
        if len(text) <= MAX_SCANNED:
            for m in _DEFINED.finditer(text):  # names of definitions that do not parse yet
                self.kinds.setdefault(m.group(2), _KIND_OF.get(m.group(1), m.group(1)))
        ctx = context(text, offset, self.schema)
        toks = ctx.tokens
        last = toks[-1] if toks else None
        if last is not None and last.kind == "open" and last.start + len(last.text) == offset:
            return self.in_quotes(ctx, last, text, offset)
        words = [t.text for t in toks[-3:]]
        if words[-1:] == ["."] and len(toks) >= 2 and toks[-2].kind == "name":
            if [t.text for t in toks[-4:-2]] == ["in", "segment"] and toks[-2].text in self.members:
                return [_item(m, K.Class, f"member of {toks[-2].text}") for m in self.members[toks[-2].text]]
            return self.columns_of(toks[-2].text)
        param = self.argument(toks)
        if param is not None:
            return [_item(_quote(v), K.EnumMember, "value") for v in self.param_values(param)]
        if after_same([t.text for t in toks]):
            rel = events_relation(self.schema)  # its key is the same on every row: not offered
            key = self.schema.relations[rel].key if self.schema is not None and rel is not None else None
            return [i for i in self.columns_of(rel) if i.label != key] if rel is not None else []
        if words[-1:] == ["did"] or words[-1:] == ["then"] or words[-2:] == ["then", "not"]:
            return self.events(quoted=True)
        if words[-2:] == ["in", "segment"]:
            return self.segments()
        if words[-2:] in (["in", "this"], ["in", "last"], ["in", "next"]):
            return [_item(p, K.Unit, "calendar period") for p in PERIODS]
        if last is not None and last.kind == "number" and not last.text.endswith("%"):
            before = [t.text for t in toks[-3:-1]]
            if before[-2:] in (["at", "least"], ["at", "most"]) or before[-1:] == ["exactly"]:
                return [_item("times", K.Keyword)]
            if before[-1:] == ["within"]:  # a sequence's wait: exact elapsed time
                return [_item(u, K.Unit, "time unit") for u in WITHIN_UNITS]
            return [_item(u, K.Unit, "time unit") for u in UNITS]
        if words[-1:] in (["("],) and len(toks) >= 2 and toks[-2].text in AGGREGATES:
            return self.relations()
        if words[-1:] == ["has"] and not _after_value(toks[:-1]) or words[-2:] == ["has", "no"]:
            return self.relations()
        if words[-1:] in (["="], ["!="]) or words[-1:] == ["has"]:
            values = self.values_before(toks[:-1], ctx.relation)
            if values:
                return [_item(_quote(v), K.EnumMember, "value") for v in values]
        if last is None or last.text in DEFINITION_KEYWORDS:
            return [] if last is not None else [_item(w, K.Keyword) for w in DEFINITION_KEYWORDS]
        return self.general(ctx)

    # ---- contexts ----
    def in_quotes(self, ctx: Context, quote: Token, text: str, offset: int) -> list[types.CompletionItem]:
        toks = ctx.tokens[:-1]
        words = [t.text for t in toks]
        values: Sequence[str] | None
        if words[-1:] in (["did"], ["then"]) or words[-2:] == ["then", "not"]:
            values = self.event_names()
        elif (param := self.argument(toks)) is not None:
            values = self.param_values(param)
        elif words[-1:] in (["="], ["!="], ["has"]):
            values = self.values_before(toks[:-1], ctx.relation)
        elif words[-1:] in (["["], [","]):
            values = self.list_values(toks, ctx.relation)
        else:
            values = []
        close = "" if text[offset:offset + 1] == '"' else '"'
        start = quote.start + 1
        items: list[types.CompletionItem] = []
        for v in values or ():
            item = _item(v, K.EnumMember, "value")
            item.text_edit = _edit(text, start, offset, _escape(v) + close)
            item.filter_text = v
            items.append(item)
        return items

    def values_before(self, toks: list[Token], rel: str | None) -> tuple[str, ...] | None:
        """Values of the enumeration field that ends `toks` (`region`, `orders.status`)."""
        if not toks or toks[-1].kind != "name" or self.schema is None:
            return None
        name = toks[-1].text
        if len(toks) >= 3 and toks[-2].text == ".":
            r = self.schema.relations.get(toks[-3].text)
            col = r.columns.get(name) if r is not None else None
        elif rel is not None and name in self.schema.relations[rel].columns:
            col = self.schema.relations[rel].columns[name]
        else:
            col = self.schema.entity.columns.get(name)
        return col.type.values if col is not None else None

    def list_values(self, toks: list[Token], rel: str | None) -> tuple[str, ...] | None:
        depth, i = 0, len(toks) - 1
        while i >= 0:  # back to the `[` that opened the list
            t = toks[i].text
            if t == "]":
                depth += 1
            elif t == "[":
                if depth == 0:
                    break
                depth -= 1
            i -= 1
        before = toks[:max(i, 0)]
        words = [t.text for t in before]
        if words[-1:] == ["in"]:
            before = before[:-2] if words[-2:-1] == ["not"] else before[:-1]
        elif words[-1:] in (["any"], ["all"], ["none"]) and words[-2:-1] == ["has"]:
            before = before[:-2]
        else:
            return None
        return self.values_before(before, rel)

    def general(self, ctx: Context) -> list[types.CompletionItem]:
        # candidates as plain tuples (label, kind, detail, doc, sort, filter): a large project has
        # thousands, and protocol objects are built only for those sent
        cands: list[tuple[Any, ...]] = []
        schema = self.schema
        if ctx.relation is not None and schema is not None:
            rel = schema.relations[ctx.relation]
            cands += [(c.name, K.Field, f"{c.type} · {rel.name}", _values_doc(c.type), "0", None)
                      for c in rel.columns.values()]
        if schema is not None:
            cands += [(c.name, K.Field, f"{c.type} · {schema.entity.name}", _values_doc(c.type), "1", None)
                      for c in schema.entity.columns.values()]
            cands += [(r.name, K.Module, f"relation · table {r.table}", None, "3", None)
                      for r in schema.relations.values()]
        for name, kind in self.kinds.items():
            if kind in ("trait", "score"):
                cands.append((name, K.Variable, f"{kind} · {self.types_of.get(name, '')}".strip(" ·"), None, "1", None))
            else:
                cands.append((f"in segment {name}", K.Class, "segment", None, "2", name))
        cands += [(f"in segment {fam}.{m}", K.Class, f"member of {fam}", None, "2", f"{fam}.{m}")
                  for fam, names in self.members.items() for m in names]
        cands += [(f, K.Function, "function", None, "3", "()") for f in SCALAR_FUNCTIONS + AGGREGATES]
        cands += [(w, K.Keyword, None, None, "4", None) for w in KEYWORDS]
        seen: set[str] = set()  # inside a filter a relation's column hides the field of that name
        cands = [c for c in cands if not (c[0] in seen or cast(object, seen.add(c[0])))]
        if len(cands) > MAX_ITEMS:
            # a large project: send what matches the word typed so far (the client asks again
            # as the word grows: the list is marked incomplete)
            word = ctx.partial.lower()
            key: Callable[[tuple[Any, ...]], str] = lambda c: (c[5] if c[5] not in (None, "()") else c[0]).lower()  # noqa: E731
            cands = [c for c in cands if word in key(c)]
            cands.sort(key=lambda c: (not key(c).startswith(word), c[4], c[0]))
            if len(cands) > MAX_ITEMS:
                self.incomplete = True
                cands = cands[:MAX_ITEMS]
        items: list[types.CompletionItem] = []
        for label, kind, detail, doc, sort, filter_text in cands:
            if filter_text == "()":  # a function: its parentheses come with it
                item = _item(label, kind, detail, doc, sort=sort)
                item.insert_text, item.insert_text_format = f"{label}($1)", types.InsertTextFormat.Snippet
            else:
                item = _item(label, kind, detail or "", doc, sort=sort, filter_text=filter_text)
            items.append(item)
        return items

    def columns_of(self, relation: str, sort: str = "0") -> list[types.CompletionItem]:
        if self.schema is None:
            return []
        if relation == self.schema.entity.name:
            return [_item(c.name, K.Field, str(c.type), _values_doc(c.type), sort=sort)
                    for c in self.schema.entity.columns.values()]
        r = self.schema.relations.get(relation)
        if r is None:
            return []
        return [_item(c.name, K.Field, f"{c.type} · {relation}", _values_doc(c.type), sort=sort)
                for c in r.columns.values()]

    def relations(self, sort: str = "0") -> list[types.CompletionItem]:
        if self.schema is None:
            return []
        return [_item(r.name, K.Module, f"relation · table {r.table}", sort=sort)
                for r in self.schema.relations.values()]

    def event_names(self) -> list[str]:
        out: list[str] = []
        if self.schema is None:
            return out
        for r in self.schema.event_relations():
            values = r.columns[r.event].type.values if r.event in r.columns else None
            out += [v for v in values or () if v not in out]
        return out

    def events(self, quoted: bool) -> list[types.CompletionItem]:
        return [_item(_quote(v) if quoted else v, K.Event, "event", filter_text=v)
                for v in self.event_names()]

    def segments(self) -> list[types.CompletionItem]:
        return segment_items(self.kinds, self.params, self.members)

    def argument(self, toks: list[Token]) -> Param | None:
        return argument_at([t.text for t in toks], self.params)

    def param_values(self, param: Param) -> tuple[str, ...]:
        col = self.schema.entity.columns.get(param.type) if self.schema is not None else None
        return col.type.values or () if col is not None else ()


def _after_value(toks: list[Token]) -> bool:
    """Whether the tokens end with a value, so a following `has` tests a list field."""
    return bool(toks) and (toks[-1].kind in ("name", "string", "number") or toks[-1].text in (")", "]")) \
        and toks[-1].text not in ("and", "or", "not", "where", "segment")


def _item(label: str, kind: types.CompletionItemKind, detail: str = "", doc: str | None = None, sort: str = "",
          filter_text: str | None = None) -> types.CompletionItem:
    return types.CompletionItem(label=label, kind=kind, detail=detail or None,
                                documentation=types.MarkupContent(types.MarkupKind.Markdown, doc) if doc else None,
                                sort_text=f"{sort}{label}" if sort else None, filter_text=filter_text)


def _values_doc(t: Type) -> str | None:
    return "values: " + ", ".join(f"`{v}`" for v in t.values) if t.values else None


def _escape(v: str) -> str:
    return v.replace("\\", "\\\\").replace('"', '\\"')


def _quote(v: str) -> str:
    return f'"{_escape(v)}"'


def _edit(text: str, start: int, end: int, new_text: str) -> types.TextEdit:
    from segdsl.lsp.convert import Lines

    lines = Lines(text)
    return types.TextEdit(types.Range(_pos(lines, text, start), _pos(lines, text, end)), new_text)


def _pos(lines: Lines, text: str, offset: int) -> types.Position:
    line = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1)
    return lines.position(line + 1, col + 1)
