"""Ranking (`top`, `bottom`, `percentile`, `bucket`): window functions over every customer,
in levels: a ranking whose value uses another ranking is one level later, so windows never
nest. A level is narrow (the key, its windows and what later levels read), because window
operators sort every column they carry.
"""

from __future__ import annotations

from decimal import Decimal

from sqlglot import exp

from segdsl import ir
from segdsl.sql.dialects import _cast, _data_type
from segdsl.sql.naming import ENTITY, RANK, ROWS, WINDOW_NODES, col as _col, ident as _id, table as _table
from segdsl.sql.values import DOUBLE, Lowerer, fresh


class Rankings:
    """QueryBuilder's ranking levels (a mixin: it shares the builder's state)."""

    def _rank_cte(self, name: str, columns: list, low: Lowerer) -> None:
        """A ranking level: window functions over every customer. Window operators sort
        every column they carry, so a level is narrow: the key, the windows, and what
        later levels read (entity columns, aggregates); the first level joins only the
        relation passes the rankings read, a later one reads the previous level.

        The relation passes are read again by the final select when it needs them. Engines
        that compute a CTE read twice only once (dialect.materializes_ctes) are fine with
        that; for the others the first level carries every aggregate instead, and the final
        select reads them from the ranking (so each relation is still aggregated once)."""
        key = self.schema.entity.key
        moved: dict = {}
        if self.rank is None:
            carried = [_col(key, ENTITY)] + [_col(c, ENTITY) for c in self.window_columns]
            if self.d.materializes_ctes:
                wanted = {n for w in self._all_windows for n in ir.walk(w.value)}
                joins = [j for j in self.joins if self.join_nodes.get(id(j), set()) & wanted]
                carried += self._carried(moved, RANK, only=self.late_nodes)
            else:
                joins = self.joins
                carried += self._carried(moved, RANK)
                self.joins = []  # consumed: the final select reads the aggregates from "r"
            select = exp.select(*carried, *columns, copy=False).from_(
                _table(self.schema.entity.table, ENTITY), copy=False)
            for join in joins:
                select = select.join(join if not self.d.materializes_ctes else join.copy(), copy=False)
        else:
            select = exp.select(exp.Column(this=exp.Star(), table=_id(RANK)), *columns, copy=False) \
                .from_(_table(self.rank, RANK), copy=False)
        self.ctes.append(exp.CTE(this=select, alias=exp.TableAlias(this=_id(name))))
        self.refs.update(moved)
        self.rank = name
        if self.d.materializes_ctes and not self.level:
            # the final select joins only the passes read outside the rankings
            self.joins = [j for j in self.joins if self.join_nodes.get(id(j), set()) & self.outside_nodes]
    def _ranking_level(self, level: int, windows: list) -> None:
        source = ENTITY if self.rank is None else RANK  # where this level reads values
        low = Lowerer(self.d, self.tz, self.as_of, self.refs, source, ROWS)
        key = _col(self.schema.entity.key, source)
        columns, aliases = [], []
        for w in windows:
            self.windows += 1
            aliases.append(f"__w{self.windows}")
            columns.append(exp.alias_(self._window(w, low, key), aliases[-1], quoted=True, copy=False))
        self._rank_cte(f"__rank{level}", columns, low)
        for w, alias in zip(windows, aliases):
            self.refs[w] = _col(alias, RANK)
            self.carry[w] = alias

    def _window(self, w, low: Lowerer, key) -> exp.Expression:
        # the value is lowered afresh wherever it appears (cheaper than copying a tree)
        nullable = low.nullable(w.value)
        desc = isinstance(w, ir.Ranked) and w.direction == "top"

        def value():
            return low.value(w.value)

        def is_null():
            return exp.Is(this=value(), expression=exp.Null())

        def over(fn, ordered=True):
            spec = {"this": fn}
            if nullable:
                spec["partition_by"] = [is_null()]
            if ordered:
                spec["order"] = exp.Order(expressions=[exp.Ordered(this=value(), desc=desc, nulls_first=False),
                                                       exp.Ordered(this=fresh(key), desc=False, nulls_first=False)])
            return exp.Window(**spec)

        def n():
            return exp.Window(this=exp.Count(this=value()))

        row = over(exp.RowNumber())
        if isinstance(w, ir.Bucket):
            ntile = over(exp.Ntile(this=exp.Literal.number(w.buckets)))
            return exp.Case(ifs=[exp.If(this=is_null(), true=exp.Null())], default=ntile) if nullable else ntile
        if isinstance(w, ir.Percentile):
            share = exp.Div(
                this=_cast(exp.Mul(this=exp.Literal.number(100), expression=exp.Paren(this=exp.Sub(this=row, expression=exp.Literal.number(1)))), _data_type(DOUBLE)),
                expression=_cast(exp.Sub(this=n(), expression=exp.Literal.number(1)), _data_type(DOUBLE)))
            ifs = [exp.If(this=exp.EQ(this=n(), expression=exp.Literal.number(1)),
                          true=_cast(exp.Literal.number(100), _data_type(DOUBLE)))]
            if nullable:
                ifs.insert(0, exp.If(this=is_null(), true=exp.Null()))
            return exp.Case(ifs=ifs, default=share)
        # Ranked: the first `limit` rows, or the first ceil(n * P / 100): with P = a / 10^k,
        # row r is in when (r - 1) * 100 * 10^k < n * a (exact integer arithmetic).
        if w.limit is not None:
            inside = exp.LTE(this=row, expression=exp.Literal.number(w.limit))
        else:
            a, scale = _ratio(w.percent)
            inside = exp.LT(this=exp.Mul(this=exp.Paren(this=exp.Sub(this=row, expression=exp.Literal.number(1))),
                                         expression=exp.Literal.number(100 * scale)),
                            expression=exp.Mul(this=n(), expression=exp.Literal.number(a)))
        if nullable:
            inside = exp.and_(exp.Not(this=is_null()), inside, copy=False)
        return inside


def _ratio(percent: Decimal) -> tuple[int, int]:
    scale = 1
    while percent * scale != (percent * scale).to_integral_value():
        scale *= 10
    return int(percent * scale), scale


def window_levels(nodes) -> list[list]:
    """Window nodes grouped by level: a window whose value uses another is one level later."""
    windows = list(dict.fromkeys(n for n in nodes if isinstance(n, WINDOW_NODES)))
    level: dict = {}

    def level_of(w) -> int:
        if w not in level:
            inner = [n for n in ir.walk(w.value) if isinstance(n, WINDOW_NODES)]
            level[w] = 1 + max((level_of(x) for x in inner), default=0)
        return level[w]

    groups: dict[int, list] = {}
    for w in windows:
        groups.setdefault(level_of(w), []).append(w)
    return [groups[k] for k in sorted(groups)]

