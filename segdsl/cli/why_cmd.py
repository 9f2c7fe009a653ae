"""`segdsl why PATH --segment NAME --key K`: why a customer is (not) in a segment, as the
segment's condition tree with each node's value for that customer and the values it compared.
One query on the warehouse (DuckDB --db or Postgres --url, as `run`).

Exit codes: 0 shown (member or not), 1 a key that is no customer or a problem in the segment
or the data, 2 usage (bad options, key text the key's type cannot read)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from segdsl.cli.options import AsOfOpt, DbOpt, PathArg, SegmentOpt, UrlOpt, check_format, command, format_option

if TYPE_CHECKING:
    from segdsl.why import WhyError

KeyOpt = Annotated[str, typer.Option("--key", "-k", metavar="KEY", help="The customer's key, e.g. 42.")]


def why(path: PathArg, segment: SegmentOpt, key: KeyOpt, db: DbOpt = None, url: UrlOpt = None,
        as_of: AsOfOpt = None, format: Annotated[str, format_option("text", "json")] = "text") -> None:
    """Why a customer is (not) in a segment: its condition as a tree with the customer's values."""
    import json

    from segdsl.cli.analyze_cmd import Session, _errors
    from segdsl.cli.run_cmd import EXIT_PROBLEMS, EXIT_USAGE
    from segdsl.why import WhyError, explain_key, parse_key

    format = check_format(format, "text", "json")
    s = Session(path, db, url, as_of)
    try:
        with _errors():
            try:
                k = parse_key(s.project, key)
            except WhyError as exc:
                raise _diagnostic(exc, EXIT_USAGE) from None
            try:
                result = explain_key(s.project, segment, k, connection=s.conn, as_of=s.reference)
            except WhyError as exc:
                raise _diagnostic(exc, EXIT_PROBLEMS) from None
    finally:
        s.conn.close()
    if format == "json":
        typer.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    typer.echo(result.to_text(unicode=_utf8()))


def _diagnostic(exc: WhyError, code: int) -> typer.Exit:
    typer.echo(exc.diagnostic.render(), err=True)
    return typer.Exit(code)


def _utf8() -> bool:
    """✓/✗ only where the terminal can show them; ASCII marks elsewhere."""
    encoding = getattr(sys.stdout, "encoding", None) or ""
    return encoding.lower().replace("-", "") in ("utf8", "utf_8")


def register(app: "typer.Typer") -> None:
    command(app, why)
