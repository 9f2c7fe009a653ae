"""Parameterised segments: declared parameters, arguments bound to them, and the canonical
name of each instantiation.

A parameter is bound to a literal. The literal is checked by the expression checker like
any literal written in a condition, and the typed IR value it gives stands wherever the body
names the parameter, so every instantiation is an ordinary segment with no parameter left
in its IR. (A `duration` parameter is bound to its checked length, used by `in last n`.)
The body is checked once with each parameter bound to a value of its type (its default, or
a stand-in), so mistakes in the body are reported once, at the definition; an
instantiation only reports what its own arguments get wrong, at the use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from segdsl.check.typed import Typed
from segdsl.diagnostics import Span, error, suggestion
from segdsl.syntax import ast
from segdsl.syntax.params import Arg, Param
from segdsl.types import BOOLEAN, DATE, INTEGER, NUMBER, STRING, Type

if TYPE_CHECKING:
    from segdsl.check.project import ProjectChecker

# the types a parameter may have besides a field's name (whose type and enumeration it takes)
PLAIN_TYPES: dict[str, Type | None] = {"number": NUMBER, "integer": INTEGER, "text": STRING, "date": DATE,
                                       "boolean": BOOLEAN, "duration": None}
_STAND_INS: dict[str, ast.Expr] = {
    "number": ast.Number(Decimal(1), "1"), "integer": ast.Number(Decimal(1), "1"),
    "text": ast.String("x"), "date": ast.DateLit(dt.date(2000, 1, 1), "2000-01-01"),
    "boolean": ast.Bool(True), "duration": ast.Length(ast.Duration(ast.Number(Decimal(1), "1"), "day")),
}


@dataclass(frozen=True)
class Bound:
    """A parameter's value in one instantiation: the checked literal, or its length."""
    literal: ast.Expr
    typed: Typed | None  # None for a duration
    duration: ast.Duration | None


Frame = dict[str, Bound]


def param_type(pc: ProjectChecker, p: Param) -> Type | None:
    """The value type of a parameter (None for `duration`); KeyError for an unknown type."""
    if p.type in PLAIN_TYPES:
        return PLAIN_TYPES[p.type]
    col = pc.schema.entity.columns.get(p.type)
    if col is None:
        raise KeyError(p.type)
    return col.type


def check_declaration(pc: ProjectChecker, d: ast.SegmentDef) -> Frame | None:
    """Report mistakes in the parameter list; the frame the body is checked in once."""
    assert d.params is not None
    frame: Frame = {}
    ok = True
    for p in d.params:
        if p.name in frame:
            pc.diags.append(error("SEG0371", f"parameter `{p.name}` is declared twice", p.name_span))
            ok = False
            continue
        if p.name in pc.schema.entity.columns or p.name in pc.defs or p.name in pc.schema.relations:
            pc.diags.append(error(
                "SEG0372", f"parameter `{p.name}` has the name of a field, relation or definition", p.name_span,
                "rename the parameter: inside the body a name means one thing only",
                f"to take a value of that field, write `{p.name[:1]}: {p.name}`" if p.name in pc.schema.entity.columns else ""))
            ok = False
            continue
        try:
            param_type(pc, p)
        except KeyError:
            choices = list(PLAIN_TYPES) + list(pc.schema.entity.columns)
            hint, fixes = suggestion(p.type, choices, p.type_span)
            pc.diags.append(error("SEG0370", f"unknown parameter type `{p.type}`", p.type_span, hint,
                                  "types: " + ", ".join(PLAIN_TYPES) + ", or a field's name (its values)",
                                  fixes=fixes))
            ok = False
            continue
        literal = p.default if p.default is not None else _stand_in(pc, p)
        bound = _bind_one(pc, p, literal)
        if bound is None:
            ok = False
            continue
        frame[p.name] = bound
    return frame if ok else None


def _stand_in(pc: ProjectChecker, p: Param) -> ast.Expr:
    if p.type in _STAND_INS:
        return _STAND_INS[p.type]
    t = pc.schema.entity.columns[p.type].type
    if t.values:
        return ast.String(t.values[0])
    return {"integer": _STAND_INS["integer"], "number": _STAND_INS["number"], "boolean": _STAND_INS["boolean"],
            "date": _STAND_INS["date"], "timestamp": _STAND_INS["date"]}.get(t.kind, _STAND_INS["text"])


def _bind_one(pc: ProjectChecker, p: Param, literal: ast.Expr) -> Bound | None:
    """Check one literal against a parameter's type."""
    span = _span_of(literal)
    if p.type == "duration":
        if not isinstance(literal, ast.Length):
            pc.diags.append(error("SEG0376", f"`{p.name}` is a duration: write a length such as `30 days`", span))
            return None
        if pc.exprs.duration(literal.duration) is None:
            return None
        return Bound(literal, None, literal.duration)
    t = param_type(pc, p)
    assert t is not None
    if t.values is not None and isinstance(literal, ast.String) and literal.value not in t.values:
        hint, fixes = suggestion(literal.value, t.values, span, quote=True)
        pc.diags.append(error("SEG0377", f"\"{literal.value}\" is not a value of {p.type}", span, hint,
                              f"values of {p.type}: " + ", ".join(t.values[:10]) + (", ..." if len(t.values) > 10 else ""),
                              fixes=fixes))
        return None
    if not _fits(literal, t):
        pc.diags.append(error("SEG0376", f"`{p.name}` takes {_describe(p, t)}", span,
                              f"`{p.name}: {p.type}` is declared at line {p.span.line}"))
        return None
    typed = pc.exprs.check(literal)
    if typed is None:
        return None
    return Bound(literal, typed, None)


def _fits(literal: ast.Expr, t: Type) -> bool:
    if t.kind == "integer":
        return isinstance(literal, ast.Number) and "." not in literal.text
    if t.kind == "number":
        return isinstance(literal, ast.Number)
    if t.kind == "string":
        return isinstance(literal, ast.String)
    if t.kind in ("date", "timestamp"):
        return isinstance(literal, ast.DateLit)
    if t.kind == "boolean":
        return isinstance(literal, ast.Bool)
    return False  # lists: no literal of a list type


def _describe(p: Param, t: Type) -> str:
    return {"integer": "a whole number", "number": "a number", "string": "a text in quotes",
            "date": "a date such as 2024-06-01", "timestamp": "a date such as 2024-06-01",
            "boolean": "true or false"}.get(t.kind, f"a value of {p.type}")


def bind_args(pc: ProjectChecker, d: ast.SegmentDef, args: tuple[Arg, ...] | None, use: Span) -> Frame | None:
    """The frame of one use `in segment f(args)` (None when a mistake is reported)."""
    params = d.params or ()
    given: dict[str, ast.Expr] = {}
    ok = True
    positional = [a for a in args or () if a.name is None]
    named = [a for a in args or () if a.name is not None]
    if len(positional) > len(params):
        extra = positional[len(params)]
        what = f"takes {len(params)} argument{'s' if len(params) != 1 else ''}" if params else "has no parameters"
        pc.diags.append(error("SEG0373", f"too many arguments: segment `{d.name}` {what}", extra.span,
                              related=[(d.name_span, f"`{d.name}` is defined here")]))
        return None
    for p, a in zip(params, positional):
        given[p.name] = a.value
    names = [p.name for p in params]
    for a in named:
        assert a.name is not None
        if a.name not in names:
            hint, fixes = suggestion(a.name, names, a.name_span)
            pc.diags.append(error("SEG0374", f"segment `{d.name}` has no parameter `{a.name}`", a.name_span, hint,
                                  "parameters: " + (", ".join(names) or "none"), fixes=fixes))
            ok = False
        elif a.name in given:
            pc.diags.append(error("SEG0371", f"argument `{a.name}` is given twice", a.span))
            ok = False
        else:
            given[a.name] = a.value
    frame: Frame = {}
    missing = [p for p in params if p.name not in given and p.default is None]
    if missing:
        listed = ", ".join(f"`{p.name}: {p.type}`" for p in missing)
        pc.diags.append(error("SEG0375", f"segment `{d.name}` needs {listed}", use,
                              f"write `in segment {d.name}({', '.join(p.name + ': ...' for p in missing)})`",
                              related=[(d.name_span, f"`{d.name}` is defined here")]))
        return None
    for p in params:
        if not ok:
            break
        if p.name in given:
            bound = _bind_one(pc, p, given[p.name])
        else:
            assert p.default is not None
            bound = _bind_one(pc, p, p.default)
        if bound is None:
            ok = False
        else:
            frame[p.name] = bound
    return frame if ok else None


def canonical_name(d: ast.SegmentDef, frame: Frame) -> str:
    """`regulars_in("South", 3)`: every argument, defaults written out, in declaration order,
    each literal in the language's own spelling."""
    return f"{d.name}(" + ", ".join(literal_text(frame[p.name].literal) for p in d.params or ()) + ")"


def literal_text(e: ast.Expr) -> str:
    from segdsl.format.flat import string_text

    if isinstance(e, ast.String):
        return string_text(e.value)
    if isinstance(e, ast.Number):  # by value: 3, 3.0 and 3.00 are one argument
        return _plain(e.value)
    if isinstance(e, ast.DateLit):
        return e.text
    if isinstance(e, ast.Bool):
        return "true" if e.value else "false"
    if isinstance(e, ast.Length):
        return f"{_plain(e.duration.amount.value)} {e.duration.unit}"
    raise AssertionError(f"not a literal: {type(e).__name__}")


def _plain(n: Decimal) -> str:
    text = format(n.normalize(), "f")
    return "0" if text in ("-0", "0") else text


_UNSAFE = re.compile(r"[^a-z0-9]+")


def safe_name(name: str) -> str:
    """An identifier for a segment's batch column, CSV header or file name: the name itself
    when it is one, else `regulars_in__south_3_76e200` (the arguments' letters and digits,
    and six hex digits of the canonical name so that `"South"` and `"south"` differ)."""
    if "(" not in name:
        return name
    base, _, rest = name.partition("(")
    words = _UNSAFE.sub("_", rest.rstrip(")").lower()).strip("_")
    digest = hashlib.sha1(name.encode()).hexdigest()[:6]
    return f"{base}__{words}_{digest}" if words else f"{base}__{digest}"


def _span_of(e: ast.Expr) -> Span:
    span: Span = e.span
    return span


def instance(pc: ProjectChecker, d: ast.SegmentDef, args: tuple[Arg, ...] | None, use: Span) -> str | None:
    """Check one use of a parameterised segment; its canonical name (None: reported)."""
    using = [n.partition("(")[0] for n, _ in pc.visiting]
    if d.name in using:
        chain = " -> ".join(n for n, _ in pc.visiting[using.index(d.name):]) + f" -> {d.name}(...)"
        pc.diags.append(error("SEG0378", f"segment `{d.name}` uses itself through an instantiation: {chain}", use,
                              "a parameterised segment cannot use itself, whatever the arguments",
                              related=[(d.name_span, f"`{d.name}` is defined here")]))
        return None
    if pc.resolve(d.name, use) is None:
        return None  # the body or the parameters have a mistake, reported at the definition
    frame = bind_args(pc, d, args, use)
    if frame is None:
        return None
    name = canonical_name(d, frame)
    if name not in pc.done:
        assert d.where is not None
        seen = {(x.code, x.span, x.message) for x in pc.diags}
        before = len(pc.diags)
        pc.visiting.append((name, use))
        pc.frames.append(frame)
        try:
            cond = pc.exprs.condition(d.where)
        finally:
            pc.frames.pop()
            pc.visiting.pop()
        # the body's own mistakes were reported once, at the definition
        pc.diags[before:] = [x for x in pc.diags[before:] if (x.code, x.span, x.message) not in seen]
        pc.done[name] = None if cond is None else Typed(cond, BOOLEAN, d.span)
        pc.instances.setdefault(d.name, []).append(name)
    return name if pc.done[name] is not None else None


def lookup(pc: ProjectChecker, name: str, span: Span) -> Typed | None:
    """A parameter's value where the body names it (the caller knows it is a parameter)."""
    bound = pc.frames[-1][name]
    if bound.typed is None:
        pc.diags.append(error("SEG0379", f"`{name}` is a duration parameter: use it as a window, "
                              f"`in last {name}`", span))
        return None
    return Typed(bound.typed.node, bound.typed.type, span)


def duration(pc: ProjectChecker, name: str, span: Span) -> ast.Duration | None:
    """The length a `duration` parameter is bound to, for `in last n` (None: reported)."""
    bound = pc.frames[-1].get(name) if pc.frames else None
    if bound is None or bound.duration is None:
        what = "a parameter of another type" if bound is not None else "not a parameter of this segment"
        pc.diags.append(error("SEG0379", f"`in last {name}`: `{name}` is {what}", span,
                              "a window takes a length such as `30 days`, or a parameter declared `n: duration`"))
        return None
    return bound.duration
