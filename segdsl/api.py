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

from segdsl.diagnostics import Diagnostic, Span, error, warning
from segdsl.project.load import Sources, read_sources
from segdsl.project.schema import Settings, read_config


class CompileError(Exception):
    """Raised by Project.compile when the project (or the request) has errors."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics if d.is_error) or "compile error")


class Project:
    def __init__(self, sources: Sources):
        self.sources = sources
        self.root: Path | None = sources.root
        self.schema = None
        self.settings = Settings()
        self._config_diags: list[Diagnostic] = list(sources.diagnostics)
        if sources.config is not None:
            shown = str(sources.config_path)
            from segdsl.project.load import display

            shown = display(sources.config_path)
            self.schema, self.settings, diags = read_config(sources.config, shown, sources.config_text)
            self._config_diags += diags

    # ---- stages ----
    @functools.cached_property
    def parsed(self):
        from segdsl.syntax.parse import parse_source

        files, diags = [], []
        for path, text in self.sources.files.items():
            f, d = parse_source(text, path)
            files.append(f)
            diags += d
        return files, diags

    @functools.cached_property
    def resolved(self):
        from segdsl.check.project import Resolved, check_project

        files, _ = self.parsed
        if self.schema is None:
            return Resolved(), []
        return check_project(self.schema, files)

    # ---- public API ----
    @property
    def config_diagnostics(self) -> list[Diagnostic]:
        return list(self._config_diags)

    def check(self) -> list[Diagnostic]:
        """Every diagnostic of the project: configuration, syntax, names and types."""
        found = self.config_diagnostics + self.parsed[1]
        if self.schema is not None:
            found += self.resolved[1]
            from segdsl.check.warnings import project_warnings

            found += project_warnings(self)  # SEG06xx: likely mistakes in code that checks
        return sorted(found, key=lambda d: (d.span.path, d.span.line, d.span.col))

    def source(self, path: str) -> str | None:
        """The text of a project file by its displayed path (for excerpts under diagnostics)."""
        if path in self.sources.files:
            return self.sources.files[path]
        if self.sources.config_path is not None:
            from segdsl.project.load import display

            if path == display(self.sources.config_path):
                return self.sources.config_text
        return None

    def segment_names(self, selected_only: bool = False) -> list[str]:
        resolved, _ = self.resolved
        names = list(resolved.order)
        if selected_only and self.sources.selected is not None:
            from segdsl.project.load import display

            shown = display(self.sources.selected)
            names = [n for n in names if resolved.info[n].path == shown]
        return names

    def segment_info(self, name: str):
        return self.resolved[0].info.get(name)

    def segment_ir(self, name: str):
        return self.resolved[0].segments.get(name)

    def compile(self, name: str, dialect: str | None = None, as_of: dt.date | None = None) -> str:
        """The SQL returning the keys of the members of segment `name`."""
        from segdsl.sql.render import render

        tree = self.compile_tree(name, dialect, as_of)
        return render(tree, self._dialect(dialect).name, copy=False)  # the tree is ours alone

    def compile_tree(self, name: str, dialect: str | None = None, as_of: dt.date | None = None):
        from segdsl.sql.query import build_query

        cond = self._segment_cond(name)
        return build_query(cond, self.schema, self._dialect(dialect), self.settings, as_of)

    def compile_batch(self, names: list[str] | None = None, dialect: str | None = None,
                      as_of: dt.date | None = None) -> str:
        """One query for many segments (default: all): a row per customer with the key and
        one boolean column per segment, named after it."""
        from segdsl.sql.render import render

        tree = self.compile_batch_tree(names, dialect, as_of)
        return render(tree, self._dialect(dialect).name, copy=False)  # the tree is ours alone

    def compile_batch_tree(self, names: list[str] | None = None, dialect: str | None = None,
                           as_of: dt.date | None = None):
        from segdsl.sql.query import build_batch_query

        names = list(names) if names is not None else self.segment_names()
        conds = {name: self._segment_cond(name) for name in names}
        return build_batch_query(conds, self.schema, self._dialect(dialect), self.settings, as_of)

    def trait_names(self) -> list[str]:
        return list(self.resolved[0].traits)

    def compile_values_tree(self, names: list[str], dialect: str | None = None,
                            as_of: dt.date | None = None):
        """One row per customer: the key and one column per trait in `names`, named after it,
        holding the value a segment compares (`trait > x`)."""
        from segdsl.sql.query import build_values_query

        errors = [d for d in self.check() if d.is_error]
        if errors:
            raise CompileError(errors)
        traits = self.resolved[0].traits
        values = {}
        for name in names:
            if name not in traits:
                from segdsl.diagnostics import did_you_mean

                raise CompileError([error("SEG0203", f"unknown trait `{name}`", Span("", 0, 0, 0, 0),
                                          did_you_mean(name, list(traits)))])
            values[name] = traits[name].value()
        return build_values_query(values, self.schema, self._dialect(dialect), self.settings, as_of)

    def _segment_cond(self, name: str):
        errors = [d for d in self.check() if d.is_error]
        if errors:
            raise CompileError(errors)
        cond = self.resolved[0].segments.get(name)
        if cond is None:
            from segdsl.diagnostics import did_you_mean

            raise CompileError([error("SEG0206", f"unknown segment `{name}`", Span("", 0, 0, 0, 0),
                                      did_you_mean(name, self.segment_names()))])
        return cond

    def dialect_warnings(self, dialect: str | None) -> list[Diagnostic]:
        d = self._dialect(dialect)
        if d.tested:
            return []
        return [warning("SEG0501", f"dialect `{d.name}` is not tested: the SQL is generated on a "
                        "best-effort basis and its meaning is not checked", Span("", 0, 0, 0, 0),
                        "tested dialects: duckdb, postgres, bigquery, spark (alias databricks), clickhouse")]

    def _dialect(self, name: str | None):
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
