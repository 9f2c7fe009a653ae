"""The Python API; the CLI is a thin shell over it.

    project = segdsl.load_project("path/to/project")
    diagnostics = project.check()
    sql = project.compile("west_coast_regulars", dialect="postgres", as_of=date(2024, 6, 30))

Stages: read sources -> parse (syntax) -> check (names, types -> IR) -> lower (sqlglot tree)
-> render. Each stage is a pure function; the project memoises their results.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from typing import TYPE_CHECKING, Any

from segdsl.as_of import AsOf
from segdsl.as_of import coerce as coerce_as_of
from segdsl.diagnostics import Diagnostic, Span, error, warning
from segdsl.project.load import CONFIG_NAME, Sources, read_sources
from segdsl.project.schema import Schema, Settings, read_config


if TYPE_CHECKING:
    from sqlglot import exp

    from segdsl import ir
    from segdsl.check.project import Resolved, SegmentInfo
    from segdsl.segtest.model import SegTest
    from segdsl.sql.dialects import Dialect
    from segdsl.syntax import ast

AsOfLike = AsOf | dt.date | dt.datetime | str | None


class CompileError(Exception):
    """Raised by Project.compile when the project (or the request) has errors."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics if d.is_error) or "compile error")


class Project:
    def __init__(self, sources: Sources):
        self.sources = sources
        self.root: Path | None = sources.root
        self.schema: Schema | None = None
        self.settings = Settings()
        self._config_diags: list[Diagnostic] = list(sources.diagnostics)
        if sources.config is not None:
            self.schema, self.settings, diags = read_config(sources.config, self._config_shown(),
                                                            sources.config_text)
            self._config_diags += diags

    @classmethod
    def from_sources(cls, schema: str | dict[str, Any], files: dict[str, str],
                     root: str | Path | None = None) -> Project:
        """A project from memory: `schema` is segdsl.toml's text (or the dict it parses to),
        `files` maps .seg paths (relative to the project root) to their text. Nothing is read
        from disk; `root` only says where relative paths such as `[project] warehouse` are."""
        from segdsl.project.load import sources_from_texts

        return cls(sources_from_texts(schema, files, root))

    def _config_shown(self) -> str:
        return CONFIG_NAME  # at the root, which diagnostic paths are relative to

    # ---- stages ----
    @functools.cached_property
    def parsed(self) -> tuple[list[ast.File], list[Diagnostic]]:
        from segdsl.syntax.parse import parse_source

        files: list[ast.File] = []
        diags: list[Diagnostic] = []
        for path, text in self.sources.files.items():
            f, d = parse_source(text, path)
            files.append(f)
            diags += d
        return files, diags

    @functools.cached_property
    def resolved(self) -> tuple[Resolved, list[Diagnostic]]:
        from segdsl.check import project as checking

        files, _ = self.parsed
        if self.schema is None:
            return checking.Resolved(), []
        return checking.check_project(self.schema, files)

    # ---- public API ----
    @property
    def config_diagnostics(self) -> list[Diagnostic]:
        return list(self._config_diags)

    def check(self) -> list[Diagnostic]:
        """Every diagnostic of the project: configuration, syntax, names and types."""
        return list(self._diagnostics)

    @functools.cached_property
    def _diagnostics(self) -> list[Diagnostic]:
        found = self.config_diagnostics + self.parsed[1]
        if self.schema is not None:
            found += self.resolved[1]
            from segdsl.check.warnings import project_warnings

            found += project_warnings(self)  # SEG06xx: likely mistakes in code that checks
            from segdsl.activation.config import activation_diagnostics

            found += activation_diagnostics(self)  # SEG048x: the [activation] table
            found += self.segtests[1]  # SEG07xx: the .segtest files
        return sorted(found, key=lambda d: (d.span.path, d.span.line, d.span.col))

    @functools.cached_property
    def segtests(self) -> tuple[list[SegTest], list[Diagnostic]]:
        """The tests of the `.segtest` files (segdsl/segtest/) and their diagnostics."""
        from segdsl.segtest.project import project_tests

        return project_tests(self)

    def blocking(self, name: str) -> list[Diagnostic]:
        """The errors that keep segment (or trait) `name` from compiling: those of the
        configuration and of the definitions it uses, itself included. An error in an
        unrelated segment does not block it."""
        from segdsl.project.blocking import blocking

        errors = [d for d in self.check() if d.is_error]
        if not errors or self.schema is None:
            return errors
        return blocking(errors, name, self.parsed[0])

    def source(self, path: str) -> str | None:
        """The text of a project file by its displayed path (for excerpts under diagnostics)."""
        if path in self.sources.files:
            return self.sources.files[path]
        if path in self.sources.tests:
            return self.sources.tests[path]
        if self.sources.config_path is not None and path == self._config_shown():
            return self.sources.config_text
        return None

    def segment_names(self, selected_only: bool = False) -> list[str]:
        resolved, _ = self.resolved
        names = list(resolved.order)
        if selected_only and self.sources.selected is not None and self.root is not None:
            from segdsl.project.load import relative

            shown = relative(self.sources.selected, self.root)
            names = [n for n in names if resolved.info[n].path == shown]
        return names

    def segment_info(self, name: str) -> SegmentInfo | None:
        return self.resolved[0].info.get(name)

    def segment_ir(self, name: str) -> ir.Cond | None:
        return self.resolved[0].segments.get(name) or self._split_group(name)

    def reference(self, as_of: AsOfLike = None) -> AsOf | None:
        """The reference date a compilation uses: `as_of` (a date, a datetime read in the
        project time zone, an AsOf or an ISO string), else `[project] as_of`, else None (the
        SQL reads the warehouse's clock). Raises AsOfError outside 1900-01-01 … 2199-12-31."""
        if as_of is None:
            return self.settings.as_of
        return coerce_as_of(as_of, self.settings.timezone)

    def compile(self, name: str, dialect: str | None = None, as_of: AsOfLike = None, *,
                ordered: bool = True) -> str:
        """The SQL returning the keys of the members of segment `name` (ordered by key unless
        ordered=False). Errors elsewhere in the project do not matter unless `name` uses them."""
        from segdsl.sql.render import render

        tree = self.compile_tree(name, dialect, as_of, ordered=ordered)
        return render(tree, self._dialect(dialect).name, copy=False)  # the tree is ours alone

    def compile_tree(self, name: str, dialect: str | None = None, as_of: AsOfLike = None, *,
                     ordered: bool = True) -> exp.Select:
        """The sqlglot tree of compile(): a new tree on every call, the caller's to change."""
        from segdsl.sql.query import build_query

        cond = self._segment_cond(name)
        return build_query(cond, self.schema, self._dialect(dialect), self.settings,
                           self.reference(as_of), ordered=ordered)

    def compile_batch(self, names: list[str] | None = None, dialect: str | None = None,
                      as_of: AsOfLike = None, *, ordered: bool = True) -> str:
        """One query for many segments (default: all): a row per customer with the key and
        one boolean column per segment, named after it."""
        from segdsl.sql.render import render

        tree = self.compile_batch_tree(names, dialect, as_of, ordered=ordered)
        return render(tree, self._dialect(dialect).name, copy=False)  # the tree is ours alone

    def compile_batch_tree(self, names: list[str] | None = None, dialect: str | None = None,
                           as_of: AsOfLike = None, *, ordered: bool = True) -> exp.Select:
        from sqlglot import exp

        from segdsl.sql.query import build_batch_query

        from segdsl.check.params import safe_name

        names = list(names) if names is not None else self.segment_names()
        conds = {name: self._segment_cond(name) for name in names}
        tree = build_batch_query(conds, self.schema, self._dialect(dialect), self.settings,
                                 self.reference(as_of), ordered=ordered)
        # the column of an argument list `f("South", 3)` is named by its safe identifier
        safe = {name: safe_name(name) for name in names if safe_name(name) != name}
        for column in tree.expressions if safe else ():
            if isinstance(column, exp.Alias) and column.alias in safe:
                column.set("alias", exp.to_identifier(safe[column.alias], quoted=True))
        return tree

    def trait_names(self) -> list[str]:
        return list(self.resolved[0].traits)

    def compile_values_tree(self, names: list[str], dialect: str | None = None,
                            as_of: AsOfLike = None, *, ordered: bool = True) -> exp.Select:
        """One row per customer: the key and one column per trait in `names`, named after it,
        holding the value a segment compares (`trait > x`). A column of the entity table may
        be named too: its column holds the field's value."""
        from segdsl import ir
        from segdsl.sql.query import build_values_query

        traits = self.resolved[0].traits
        values: dict[str, ir.Value] = {}
        for name in names:
            columns = self.schema.entity.columns if self.schema is not None else {}
            if name not in traits and name in columns:
                values[name] = ir.Col(name, columns[name].type)
                continue
            errors = self.blocking(name)
            if errors:
                raise CompileError(errors)
            if name not in traits:
                from segdsl.diagnostics import did_you_mean

                raise CompileError([error("SEG0203", f"unknown trait `{name}`", Span("", 0, 0, 0, 0),
                                          did_you_mean(name, list(traits)))])
            values[name] = traits[name].value()
        return build_values_query(values, self.schema, self._dialect(dialect), self.settings,
                                  self.reference(as_of), ordered=ordered)

    def segment_name(self, text: str) -> str:
        """The name segment `text` goes by: itself, or for an instantiation of a parameterised
        segment (`regulars_in("South")`, `regulars_in(r: "South", min_orders: 3)`, or the bare
        name when every parameter has a default) its canonical name, `regulars_in("South", 3)`,
        checked and ready to compile. Raises CompileError on a wrong argument."""
        from segdsl.project.instances import instantiate

        return instantiate(self, text)

    def segment_condition(self, name: str) -> ir.Cond:
        """The checked condition of segment (or split group) `name`, references to other
        segments included; raises CompileError as compile() does."""
        return self._segment_cond(name)

    def _segment_cond(self, name: str) -> ir.Cond:
        resolved = self.resolved[0]
        if name not in resolved.segments and name not in resolved.info:
            name = self.segment_name(name)
        errors = self.blocking(resolved.bases.get(name, name))
        if errors:
            raise CompileError(errors)
        cond = self.resolved[0].segments.get(name) or self._split_group(name)
        if cond is None:
            raise CompileError([self._not_a_segment(name)])
        return cond

    def split_group_names(self) -> list[str]:
        """`split.group` for every group of every split that checks (each compiles like a
        segment; holdouts are segments themselves)."""
        return [f"{name}.{r.group}" for name, s in self.resolved[0].splits.items() if not s.holdout
                for r in s.ranges]

    def _split_group(self, name: str) -> ir.Cond | None:
        """`split.group`: a group of a split compiles like a segment."""
        split, _, group = name.partition(".")
        checked = self.resolved[0].splits.get(split)
        return checked.groups.get(group) if checked is not None and not checked.holdout else None

    def dotted_parts(self, name: str) -> tuple[str, list[str]] | None:
        """For a family or a split: its kind and the names selected in its place (its members
        or groups, `name.part`, each a segment); None for anything else."""
        kinds = {d.name: type(d).__name__ for f in self.parsed[0] for d in f.definitions}
        if kinds.get(name) == "FamilyDef":
            return "family", [n for n in self.segment_names() if n.startswith(name + ".")]
        if kinds.get(name) == "SplitDef" and name in self.resolved[0].splits and not self.resolved[0].splits[name].holdout:
            return "split", [n for n in self.split_group_names() if n.startswith(name + ".")]
        return None

    def _not_a_segment(self, name: str) -> Diagnostic:
        from segdsl.diagnostics import did_you_mean

        parts = self.dotted_parts(name)
        if parts is not None:
            owner, names = parts
            what = "members" if owner == "family" else "groups"
            return error("SEG0211", f"`{name}` is a {owner}, not a segment: each of its {what} is one",
                         Span("", 0, 0, 0, 0),
                         f"select one of its {what}, e.g. " + ", ".join(f"`--segment {m}`" for m in names[:3]))
        kinds = {d.name: type(d).__name__ for f in self.parsed[0] for d in f.definitions}
        kind = {"TraitDef": "trait", "ScoreDef": "score"}.get(kinds.get(name, ""))
        if kind is not None:
            return error("SEG0211", f"`{name}` is a {kind}, not a segment: it gives each customer "
                         "a value, not a yes or no", Span("", 0, 0, 0, 0),
                         f"compare it in a segment, e.g. `segment high_{name} where {name} > 100`")
        return error("SEG0206", f"unknown segment `{name}`", Span("", 0, 0, 0, 0),
                     did_you_mean(name, self.segment_names() + self.split_group_names()))

    def materialize(self, warehouse: Any, segments: list[str] | None = None, as_of: AsOfLike = None,
                    schema: str | None = None) -> Any:
        """Write current memberships and enter/exit events into the warehouse (a Warehouse, a
        DuckDB path or a Postgres URL), in one transaction; see segdsl/activation/membership.py.
        Returns a MaterializeResult (members, entered, exited per segment)."""
        from segdsl.activation import api

        return api.materialize(self, warehouse, segments, as_of, schema)

    def export(self, segment: str, to: str, warehouse: Any, as_of: AsOfLike = None, raw: bool = False,
               ignore_consent: bool = False) -> Any:
        """The rows of an audience file for `to` (google, meta, tiktok, keys): an Export with
        `header`, `rows` and `summary()` (identifiers dropped, by reason)."""
        from segdsl.activation import api

        return api.export(self, segment, to, warehouse, as_of, raw, ignore_consent)

    def dbt_models(self, dialect: str | None = None) -> Any:
        """A dbt models folder for the project (segdsl/dbt/): a DbtModels with `files`
        (relative path -> text), the models and the `.segtest` tests left out (with why)."""
        from segdsl.dbt.generate import generate

        return generate(self, dialect)

    def dialect_warnings(self, dialect: str | None) -> list[Diagnostic]:
        d = self._dialect(dialect)
        if d.tested:
            return []
        return [warning("SEG0501", f"dialect `{d.name}` is not tested: the SQL is generated on a "
                        "best-effort basis and its meaning is not checked", Span("", 0, 0, 0, 0),
                        "tested dialects: duckdb, postgres, bigquery, spark (alias databricks), clickhouse")]

    def _dialect(self, name: str | None) -> Dialect:
        from segdsl.sql.dialects import get_dialect, known_dialects

        name = name or self.settings.dialect
        d = get_dialect(name)
        if d is None:
            from segdsl.diagnostics import did_you_mean

            raise CompileError([error("SEG0502", f"unknown dialect `{name}`", Span("", 0, 0, 0, 0),
                                      did_you_mean(name, known_dialects()),
                                      "tested dialects: duckdb, postgres, bigquery, spark (alias databricks), clickhouse")])
        return d


def load_project(path: str | Path = ".") -> Project:
    """Read a project: a folder with segdsl.toml, or a .seg file inside one. Never raises on
    bad input: problems are in `project.check()`."""
    return Project(read_sources(path))
