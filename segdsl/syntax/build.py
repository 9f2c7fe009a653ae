"""Lark parse tree -> AST (segdsl.syntax.ast). Called only on trees whose depth was checked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from typing import Any

from lark import Token

from segdsl.diagnostics import Diagnostic, Span, error
from segdsl.syntax import ast
from segdsl.syntax.build_params import ParamsBuilder

# A node of Lark's parse tree (a Tree or a Token): Lark's own types say little about which
# children a rule has, so the builder reads them as the grammar defines them.
ParseNode = Any

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


class AstBuilder(ParamsBuilder):
    def __init__(self, path: str, line_offset: int) -> None:
        self.path = path
        self.line_offset = line_offset
        self.diagnostics: list[Diagnostic] = []

    # ---- positions ----
    def span(self, node: ParseNode) -> Span:
        if isinstance(node, Token):  # tokens from the parser always carry positions
            assert node.line is not None and node.end_line is not None
            assert node.column is not None and node.end_column is not None
            return Span(self.path, node.line + self.line_offset, node.column,
                        node.end_line + self.line_offset, node.end_column)
        meta = node.meta
        if getattr(meta, "empty", True):
            return Span.none()
        return Span(self.path, meta.line + self.line_offset, meta.column,
                    meta.end_line + self.line_offset, meta.end_column)

    # ---- definitions ----
    def file(self, tree: ParseNode) -> list[ast.Definition]:
        return [self.definition(child) for child in tree.children]

    def definition(self, t: ParseNode) -> ast.Definition:
        kind = t.data
        if kind == "segment_inline":
            name, params, title, where = t.children
            return ast.SegmentDef(str(name), self.string_value(title) if title else None, (),
                                  self.expr(where), self.span(name), self.span(t), self.params(params))
        if kind == "segment_block":
            name, params, title, *rest = t.children
            metas, where = [], None
            for child in rest:
                if child is None:
                    continue
                if child.data == "block_where":
                    where = self.expr(child.children[0])
                else:
                    metas.append(self.meta(child))
            return ast.SegmentDef(str(name), self.string_value(title) if title else None,
                                  tuple(metas), where, self.span(name), self.span(t), self.params(params))
        if kind == "trait_def":
            name, expr = t.children
            return ast.TraitDef(str(name), self.expr(expr), self.span(name), self.span(t))
        if kind == "score_def":
            name, *rules = t.children
            built = []
            for r in rules:
                if r is None:
                    continue
                sign, points, cond = r.children
                value = Decimal(str(points)) * (-1 if str(sign) == "-" else 1)
                built.append(ast.ScoreRule(value, self.expr(cond), self.span(r)))
            return ast.ScoreDef(str(name), tuple(built), self.span(name), self.span(t))
        if kind == "family_def":
            return self.family(t)
        if kind == "split_def":
            _, name, _, salt, where, *groups = t.children
            salt_node = ast.String(self.string_value(salt), self.span(salt)) if salt is not None else None
            return ast.SplitDef(str(name), salt_node, self.expr(where) if where is not None else None,
                                tuple(self.split_group(g) for g in groups if g is not None),
                                False, self.span(name), self.span(t))
        if kind == "holdout_def":
            _, name, share = t.children
            group = ast.SplitGroup(str(name), self.number(share, str(share).rstrip("%")),
                                   self.span(name), self.span(t))
            return ast.SplitDef(str(name), None, None, (group,), True, self.span(name), self.span(t))
        raise AssertionError(f"unknown definition {kind}")

    def family(self, t: ParseNode) -> ast.FamilyDef:
        name, title, *rest = t.children
        metas, rules, otherwise = [], [], None
        for child in rest:
            if child is None:
                continue
            if child.data == "family_rule":
                member, where = child.children
                rules.append(ast.FamilyRule(str(member), self.expr(where), self.span(member), self.span(child)))
            elif child.data == "family_else":
                member = child.children[1]
                otherwise = ast.FamilyRule(str(member), None, self.span(member), self.span(child))
            else:
                metas.append(self.meta(child))
        return ast.FamilyDef(str(name), self.string_value(title) if title else None, tuple(metas),
                             tuple(rules), otherwise, self.span(name), self.span(t))

    def split_group(self, t: ParseNode) -> ast.SplitGroup:
        name, share = t.children
        return ast.SplitGroup(str(name), self.number(share, str(share).rstrip("%")),
                              self.span(name), self.span(t))

    def meta(self, t: ParseNode) -> ast.Meta:
        key, value = t.children
        if value.data == "meta_string":
            v: str | tuple[str, ...] = self.string_value(value.children[0])
        else:
            v = tuple(self.string_value(x) if x.type == "STRING" else str(x)
                      for x in value.children if x is not None)
        return ast.Meta(str(key), v, self.span(t))

    # ---- expressions ----
    def expr(self, node: ParseNode) -> ast.Expr:
        if isinstance(node, Token):  # only bare NUMBER-like tokens reach here via inlining
            raise AssertionError(f"unexpected token {node!r}")
        method = getattr(self, "x_" + node.data)
        built: ast.Expr = method(node, self.span(node))
        return built

    def x_or_expr(self, t: ParseNode, span: Span) -> ast.Expr:
        return ast.Or(tuple(self.expr(c) for c in t.children), span)

    def x_and_expr(self, t: ParseNode, span: Span) -> ast.Expr:
        return ast.And(tuple(self.expr(c) for c in t.children), span)

    def x_not_op(self, t: ParseNode, span: Span) -> ast.Expr:
        return ast.Not(self.expr(t.children[1]), span)

    def x_paren(self, t: ParseNode, span: Span) -> ast.Expr:
        return self.expr(t.children[0])

    def x_compare(self, t: ParseNode, span: Span) -> ast.Expr:
        left, op, right = t.children
        return ast.Compare(str(op), self.expr(left), self.expr(right), self.span(op), span)

    def x_in_list(self, t: ParseNode, span: Span) -> ast.Expr:
        value, negated, items = t.children
        return ast.InList(self.expr(value), self.items(items), negated is not None, span)

    def items(self, t: ParseNode) -> tuple[ast.Expr, ...]:
        if t is None:
            return ()
        return tuple(self.expr(c) for c in t.children if c is not None)

    def x_between(self, t: ParseNode, span: Span) -> ast.Expr:
        value, low, high = t.children
        return ast.Between(self.expr(value), self.expr(low), self.expr(high), span)

    def x_is_set(self, t: ParseNode, span: Span) -> ast.Expr:
        value, negated = t.children
        return ast.IsSet(self.expr(value), negated is not None, span)

    def _text(self, kind: str, t: ParseNode, span: Span) -> ast.Expr:
        value, pattern = t.children
        return ast.TextMatch(kind, self.expr(value), self.expr(pattern), span)

    def x_contains(self, t: ParseNode, span: Span) -> ast.Expr:
        return self._text("contains", t, span)

    def x_starts_with(self, t: ParseNode, span: Span) -> ast.Expr:
        return self._text("starts_with", t, span)

    def x_ends_with(self, t: ParseNode, span: Span) -> ast.Expr:
        return self._text("ends_with", t, span)

    def x_has_one(self, t: ParseNode, span: Span) -> ast.Expr:
        value, item = t.children
        return ast.ListHas(self.expr(value), "one", (self.expr(item),), span)

    def x_has_many(self, t: ParseNode, span: Span) -> ast.Expr:
        value, quant, items = t.children
        return ast.ListHas(self.expr(value), str(quant), self.items(items), span)

    def x_in_window(self, t: ParseNode, span: Span) -> ast.Expr:
        value, window = t.children
        built = self.window(window)
        assert isinstance(built, (ast.Window, ast.PeriodWindow))  # in_window always has `in ...`
        return ast.InWindow(self.expr(value), built, span)

    def x_anniversary(self, t: ParseNode, span: Span) -> ast.Expr:
        value, _, window = t.children
        built = self.window(window)
        assert isinstance(built, (ast.Window, ast.PeriodWindow))  # the grammar's `window`
        return ast.Anniversary(self.expr(value), built, span)

    def x_anniversary_today(self, t: ParseNode, span: Span) -> ast.Expr:
        return ast.Anniversary(self.expr(t.children[0]), None, span)

    def x_has_rows(self, t: ParseNode, span: Span) -> ast.Expr:
        no, rel, window, flt = t.children
        return ast.HasRows(no is not None, str(rel), self.window(window), self.filter(flt),
                           self.span(rel), span)

    def x_did(self, t: ParseNode, span: Span) -> ast.Expr:
        event, count, window, flt = t.children
        did_count = None
        if count is not None:
            if count.data == "did_at":
                kind_tok, number = count.children
                kind = "at_least" if str(kind_tok) == "least" else "at_most"
            else:
                kind, number = "exactly", count.children[0]
            did_count = ast.DidCount(kind, self.number(number), self.span(count))
        return ast.Did(ast.String(self.string_value(event), self.span(event)), did_count,
                       self.window(window), self.filter(flt), span)

    # ---- lifecycle forms: the rows (`did "E"` or `has R`) then the form's own parts ----
    def _lc_rows(self, head: ParseNode, flt: ParseNode, span: Span) -> ast.HasRows | ast.Did:
        if head.type == "STRING":
            return ast.Did(ast.String(self.string_value(head), self.span(head)), None, None, self.filter(flt), span)
        return ast.HasRows(False, str(head), None, self.filter(flt), self.span(head), span)

    def _lc_pick(self, t: ParseNode, span: Span) -> ast.Expr:
        which, head, window, flt = t.children
        return ast.Lifecycle(str(which), self._lc_rows(head, flt, span), self.window(window), span=span)

    def _lc_but_not(self, t: ParseNode, span: Span) -> ast.Expr:
        head, flt, _not, window = t.children
        return ast.Lifecycle("but_not", self._lc_rows(head, flt, span), self.window(window), span=span)

    def _lc_gap(self, t: ParseNode, span: Span) -> ast.Expr:
        head, window, _after, gap, flt = t.children
        return ast.Lifecycle("gap", self._lc_rows(head, flt, span), self.window(window),
                             length=self.duration(gap), span=span)

    def _lc_days(self, t: ParseNode, span: Span) -> ast.Expr:
        head, _on, count, unit, window, flt = t.children
        return ast.Lifecycle("days", self._lc_rows(head, flt, span), self.window(window), self._lc_count(count),
                             unit=str(unit), unit_span=self.span(unit), span=span)

    def _lc_periods(self, t: ParseNode, span: Span) -> ast.Expr:
        head, count, _last, duration, flt = t.children
        return ast.Lifecycle("periods", self._lc_rows(head, flt, span), None, self._lc_count(count),
                             length=self.duration(duration), span=span)

    def _lc_count(self, t: ParseNode) -> ast.DidCount:
        if t.data == "lc_at":
            kind_tok, number = t.children
            kind = "at_least" if str(kind_tok) == "least" else "at_most"
        else:
            kind, number = "exactly", t.children[0]
        return ast.DidCount(kind, self.number(number), self.span(t))

    x_lc_did_pick = x_lc_has_pick = _lc_pick
    x_lc_did_but_not = x_lc_has_but_not = _lc_but_not
    x_lc_did_gap = x_lc_has_gap = _lc_gap
    x_lc_did_days = x_lc_has_days = _lc_days
    x_lc_did_periods = x_lc_has_periods = _lc_periods

    def x_did_sequence(self, t: ParseNode, span: Span) -> ast.Expr:
        event, window, flt, *steps = t.children
        return self.sequence(event, self.window(window), flt, steps, span)

    def sequence(self, event: ParseNode, window: ast.RowsWindow | None, flt: ParseNode,
                 steps: list[ParseNode], span: Span) -> ast.Expr:
        return ast.Sequence(ast.String(self.string_value(event), self.span(event)), window,
                            self.filter(flt), tuple(self.then_step(s) for s in steps), span)

    def then_step(self, t: ParseNode) -> ast.ThenStep:
        no, event, flt, same, within = t.children
        refs = tuple(self.same_column(n) for n in same.children) if same is not None else ()
        built = None
        if within is not None:
            number, unit = within.children
            built = ast.Within(self.number(number), str(unit), self.span(unit), self.span(within))
        return ast.ThenStep(no is not None, ast.String(self.string_value(event), self.span(event)),
                            self.filter(flt), refs, built, self.span(t))

    def same_column(self, tok: ParseNode) -> ast.Ref:
        """A column of `with same`: the NAME, or a SAME_MORE token `, name` (its name part)."""
        text = str(tok)
        name = text.lstrip(", \t")
        span = self.span(tok)
        skipped = len(text) - len(name)
        return ast.Ref(name, Span(span.path, span.line, span.col + skipped, span.end_line, span.end_col))

    def x_in_segment(self, t: ParseNode, span: Span) -> ast.Expr:
        name, member, args = t.children
        if member is None:
            return ast.InSegment(str(name), self.span(name), span, self.args(args))
        # a family's member or a split's group (`in segment lifecycle.champions`,
        # `in segment checkout_test.variant`): one dotted name, resolved by the checker
        return ast.InSegment(f"{name}.{member}", self.span(name).to(self.span(member)), span, self.args(args))

    def x_in_snapshot(self, t: ParseNode, span: Span) -> ast.Expr:
        name, at = t.children
        return ast.InSnapshot(str(name), self.expr(at) if at is not None else None, self.span(name), span)

    def x_rank(self, t: ParseNode, span: Span) -> ast.Expr:
        direction, amount, by, per = t.children
        percent = amount.type == "PERCENT"
        number = self.number(amount, str(amount).rstrip("%"))
        return ast.Rank(str(direction), number, percent, self.expr(by), span, self.per(per))

    def per(self, t: ParseNode | None) -> ast.Ref | None:
        """`per FIELD` (a `per` subtree: the keyword and the name), or None."""
        if t is None:
            return None
        _, name = t.children
        return ast.Ref(str(name), self.span(name))

    def x_sum_expr(self, t: ParseNode, span: Span) -> ast.Expr:
        return self._chain(t)

    def x_product(self, t: ParseNode, span: Span) -> ast.Expr:
        return self._chain(t)

    def _chain(self, t: ParseNode) -> ast.Expr:
        # flat `a + b - c` -> left-associative binary nodes (depth bounded by the chain
        # limit checked before building)
        children = t.children
        result = self.expr(children[0])
        for i in range(1, len(children), 2):
            right = self.expr(children[i + 1])
            result = ast.Arith(str(children[i]), result, right, result.span.to(right.span))
        return result

    def x_negate(self, t: ParseNode, span: Span) -> ast.Expr:
        sign, operand = t.children
        if str(sign) == "+":  # a unary plus changes nothing
            return self.expr(operand)
        return ast.Negate(self.expr(operand), span)

    def x_number(self, t: ParseNode, span: Span) -> ast.Expr:
        return self.number(t.children[0])

    def x_string(self, t: ParseNode, span: Span) -> ast.Expr:
        return ast.String(self.string_value(t.children[0]), span)

    def x_date(self, t: ParseNode, span: Span) -> ast.Expr:
        text = str(t.children[0])
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            value = None
        return ast.DateLit(value, text, span)

    def x_true(self, t: ParseNode, span: Span) -> ast.Expr:
        return ast.Bool(True, span)

    def x_false(self, t: ParseNode, span: Span) -> ast.Expr:
        return ast.Bool(False, span)

    def x_today(self, t: ParseNode, span: Span) -> ast.Expr:
        return ast.Today(span)

    def x_ago(self, t: ParseNode, span: Span) -> ast.Expr:
        return ast.Ago(self.duration(t.children[0]), span)

    def x_length(self, t: ParseNode, span: Span) -> ast.Expr:
        return ast.Length(self.duration(t.children[0]), span)

    def x_ref(self, t: ParseNode, span: Span) -> ast.Expr:
        return ast.Ref(str(t.children[0]), span)

    def x_dotted(self, t: ParseNode, span: Span) -> ast.Expr:
        rel, col = t.children
        return ast.Dotted(str(rel), str(col), span)

    def x_call(self, t: ParseNode, span: Span) -> ast.Expr:
        name, *args = t.children
        per = [a for a in args if getattr(a, "data", None) == "per"]
        values = [a for a in args if a is not None and getattr(a, "data", None) != "per"]
        return ast.Call(str(name), tuple(self.expr(a) for a in values), self.span(name), span,
                        self.per(per[0] if per else None))

    def x_aggregate(self, t: ParseNode, span: Span) -> ast.Expr:
        fn, rel, col, window, flt = t.children
        return ast.Aggregate(str(fn), str(rel), str(col) if col is not None else None,
                             self.window(window), self.expr(flt) if flt is not None else None,
                             self.span(rel), self.span(col) if col is not None else Span.none(),
                             span)

    # ---- pieces ----
    def window(self, t: ParseNode) -> ast.RowsWindow | None:
        if t is None:
            return None
        if t.data == "period_window":
            direction, unit = t.children
            return ast.PeriodWindow(str(direction), str(unit), self.span(unit), self.span(t))
        if t.data == "window_at":
            op, date = t.children
            return ast.RangeWindow(str(op), self.expr(date), None, self.span(t))
        if t.data == "window_between":
            low, high = t.children
            return ast.RangeWindow("between", self.expr(low), self.expr(high), self.span(t))
        if t.data == "param_window":  # `in last n` with a duration parameter n
            return self.param_window(t)
        direction, duration = t.children
        return ast.Window(str(direction), self.duration(duration), self.span(t))

    def duration(self, t: ParseNode) -> ast.Duration:
        number, unit = t.children
        return ast.Duration(self.number(number), str(unit), self.span(unit), self.span(t))

    def filter(self, t: ParseNode) -> ast.Expr | None:
        return None if t is None else self.expr(t.children[0])

    def number(self, tok: ParseNode, text: str | None = None) -> ast.Number:
        text = text if text is not None else str(tok)
        return ast.Number(Decimal(text), text, self.span(tok))

    def string_value(self, tok: ParseNode) -> str:
        raw = str(tok)[1:-1]
        out, i = [], 0
        while i < len(raw):
            ch = raw[i]
            if ch == "\\":
                nxt = raw[i + 1] if i + 1 < len(raw) else ""
                if nxt in _ESCAPES:
                    out.append(_ESCAPES[nxt])
                else:
                    col = tok.column + 1 + i
                    self.diagnostics.append(error(
                        "SEG0108", f"unknown escape `\\{nxt}` in a string",
                        Span(self.path, tok.line + self.line_offset, col,
                             tok.line + self.line_offset, col + 2),
                        'inside "...", write \\" for a quote, \\\\ for a backslash, \\n for a newline, \\t for a tab'))
                    out.append(nxt)
                i += 2
                continue
            out.append(ch)
            i += 1
        return "".join(out)
