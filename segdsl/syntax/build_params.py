"""Parse tree -> AST for parameterised segments: declared parameters and the arguments of
`in segment f(...)`. A part of segdsl.syntax.build.AstBuilder."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from segdsl.diagnostics import Diagnostic, Span, error
from segdsl.syntax import ast
from segdsl.syntax.params import Arg, Param

ParseNode = Any


class ParamsBuilder:
    diagnostics: list[Diagnostic]

    def span(self, node: ParseNode) -> Span:
        raise NotImplementedError

    def expr(self, node: ParseNode) -> ast.Expr:
        raise NotImplementedError

    def number(self, tok: ParseNode, text: str | None = None) -> ast.Number:
        raise NotImplementedError

    def params(self, t: ParseNode) -> tuple[Param, ...] | None:
        if t is None:
            return None
        out = []
        for p in t.children:
            if p is None:
                continue
            name, type_name, default = p.children
            out.append(Param(str(name), str(type_name), None if default is None else self.expr(default),
                             self.span(name), self.span(type_name), self.span(p)))
        return tuple(out)

    def args(self, t: ParseNode) -> tuple[Arg, ...] | None:
        if t is None:
            return None
        out = []
        for a in t.children:
            if a is None:
                continue
            name, value = a.children
            out.append(Arg(None if name is None else str(name), self.expr(value),
                           self.span(name) if name is not None else self.span(a), self.span(a)))
        return tuple(out)

    def param_window(self, t: ParseNode) -> ast.Window:
        """`in last n`, n a duration parameter; `in last weeks` (a unit, no number) is a
        syntax error."""
        direction, name = t.children
        if str(name).rstrip("s") in ("minute", "hour", "day", "week", "month", "year"):  # `in last weeks`: no number
            self.diagnostics.append(error(
                "SEG0101", f"expected a number or a calendar period (week, month, quarter, year, "
                f"fiscal_quarter, fiscal_year) after `{direction}`, found `{name}`", self.span(name),
                f"write `in {direction} 2 {name}` or `in {direction} {str(name).rstrip('s')}`"))
            one = ast.Duration(ast.Number(Decimal(1), "1"), str(name), self.span(name), self.span(name))
            return ast.Window(str(direction), one, self.span(t))  # reported: nothing more to say
        amount = ast.Number(Decimal(1), str(name), self.span(name))
        return ast.Window(str(direction), ast.Duration(amount, "days", self.span(name), self.span(name),
                                                       param=str(name)), self.span(t))

    def x_signed_number(self, t: ParseNode, span: Span) -> ast.Expr:
        sign, number = t.children
        n = self.number(number)
        if str(sign) == "+":
            return n
        return ast.Number(-n.value, "-" + n.text, span)

