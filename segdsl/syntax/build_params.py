"""Parse tree -> AST for parameterised segments: declared parameters and the arguments of
`in segment f(...)`. A part of segdsl.syntax.build.AstBuilder."""

from __future__ import annotations

from typing import Any

from segdsl.diagnostics import Span
from segdsl.syntax import ast
from segdsl.syntax.params import Arg, Param

ParseNode = Any


class ParamsBuilder:
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

    def x_signed_number(self, t: ParseNode, span: Span) -> ast.Expr:
        sign, number = t.children
        n = self.number(number)
        if str(sign) == "+":
            return n
        return ast.Number(-n.value, "-" + n.text, span)

