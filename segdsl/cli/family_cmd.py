"""`segdsl family PATH NAME`: per rule of a family, the customers its condition matches alone,
the customers it gets after priority, the overlap between rules, and the customers in no rule,
in one query on the warehouse (DuckDB --db or Postgres --url, as `overlap`)."""

from __future__ import annotations

from typing import Annotated

import typer

from segdsl.cli.options import (
    JSON_VERSION,
    AsOfOpt,
    DbOpt,
    PathArg,
    UrlOpt,
    check_format,
    command,
    format_option,
)


def family(path: PathArg, name: Annotated[str, typer.Argument(metavar="NAME", help="The family's name.")],
           db: DbOpt = None, url: UrlOpt = None, as_of: AsOfOpt = None,
           format: Annotated[str, format_option("text", "json")] = "text") -> None:
    """How a family's rules split the customers: alone, after priority, overlaps, in no rule."""
    import json

    from rich.table import Table

    from segdsl.analysis.family import FamilyError, compute_family
    from segdsl.cli.analyze_cmd import Session, _consoles, _errors, _fail
    from segdsl.cli.run_cmd import EXIT_USAGE

    format = check_format(format, "text", "json")
    s = Session(path, db, url, as_of)
    out, _ = _consoles()
    try:
        with _errors():
            try:
                report = compute_family(s.conn, s.project, name, as_of=s.as_of)
            except FamilyError as exc:
                raise _fail(str(exc), EXIT_USAGE) from None
    finally:
        s.close()
    if format == "json":
        typer.echo(json.dumps({"version": JSON_VERSION} | report.as_dict() | {"as_of": s.as_of.isoformat()},
                              indent=2))
        return
    typer.echo(f"family {name}: {report.customers:,} customers as of {s.as_of} on {s.conn.dialect}")
    rules = Table("member", "matched alone", "assigned", "lost to earlier rules")
    for m in report.members:
        rules.add_row(m, f"{report.alone[m]:,}", f"{report.assigned[m]:,}", f"{report.alone[m] - report.assigned[m]:,}")
    if report.otherwise is not None:
        rules.add_row(f"else {report.otherwise}", "", f"{report.assigned[report.otherwise]:,}", "")
    out.print(rules)
    typer.echo(f"in no rule: {report.in_no_rule:,}" + ("" if report.otherwise is not None
                                                        else " (in no member: the family has no else)"))
    if report.both:
        pairs = Table("rule", "and rule", "both")
        for (a, b), n in report.both.items():
            pairs.add_row(a, b, f"{n:,}")
        out.print(pairs)


def register(app: "typer.Typer") -> None:
    command(app, family)
