"""`segdsl test`: run the project's `.segtest` files, or write one with `--generate`.

Each test's rows go into a fresh in-memory DuckDB (or a throwaway schema on the Postgres
`--url`, dropped afterwards); its subject is compiled as of the test's `as_of` and run.
Output: `text` on stdout (a line per file, then each failure); `json` one object on stdout
("version": 1); `github` annotations on stdout and the text on stderr. Exit codes: 0 all
tests pass, 1 a test fails or has errors, 2 usage or configuration.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from segdsl.cli.options import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    AsOfOpt,
    DbOpt,
    ForceOpt,
    OutputOpt,
    UrlOpt,
    check_format,
    command,
    fail,
    format_option,
)


def test(
    path: Annotated[Path, typer.Argument(
        metavar="PATH", readable=False, help="Project folder, a folder in it, or a .segtest file. Default: .")] = Path("."),
    engine: Annotated[Optional[str], typer.Option(
        "--engine", "-e", metavar="ENGINE", help="duckdb (default) or postgres (needs --url).")] = None,
    url: UrlOpt = None,
    segment: Annotated[Optional[str], typer.Option(
        "--segment", "-s", metavar="NAME", help="Only the tests of this segment, family or split.")] = None,
    fmt: Annotated[str, format_option("text", "json", "github")] = "text",
    generate: Annotated[Optional[str], typer.Option(
        "--generate", metavar="NAME", help="Write a test of segment NAME from the rows of --db.")] = None,
    db: DbOpt = None,
    sample: Annotated[int, typer.Option(
        "--sample", min=1, metavar="N", help="With --generate: N members and N non-members.")] = 3,
    output: OutputOpt = None,
    force: ForceOpt = False,
    as_of: AsOfOpt = None,
):
    """Run the segment tests (.segtest files) on DuckDB or Postgres."""
    fmt = check_format(fmt, "text", "json", "github")
    if generate is None and (db is not None or output is not None or as_of is not None):
        fail("--db, --output and --as-of go with --generate (a test states its own as_of and rows)", EXIT_USAGE)
    if generate is not None:
        from segdsl.cli.test_generate import generate_test

        generate_test(path, generate, db, url, sample, output, force, as_of)
        return
    engine = engine or ("postgres" if url else "duckdb")
    if engine not in ("duckdb", "postgres"):
        fail(f"--engine: unknown engine `{engine}`; use duckdb or postgres", EXIT_USAGE)
    if engine == "postgres" and not url:
        fail("--engine postgres needs --url postgresql://user@host/dbname (the tests run in a throwaway "
             "schema there, dropped afterwards)", EXIT_USAGE)
    if engine == "duckdb" and url:
        fail("--url is a Postgres server: use it with --engine postgres", EXIT_USAGE)
    project, selected = _load(path)
    raise typer.Exit(_run(project, selected, engine, url, segment, fmt))


def _load(path: Path):
    """The project and the tests PATH selects (a .segtest file, or the tests below a folder)."""
    import segdsl
    from segdsl.cli.common import exit_code
    from segdsl.cli.output import print_diagnostics
    from segdsl.project.load import find_root, relative

    if not path.exists():
        fail(f"no such file or folder: {path}", EXIT_USAGE)
    if path.is_file() and path.suffix not in (".segtest", ".seg", ".toml"):
        fail(f"{path} is neither a project folder nor a .segtest file", EXIT_USAGE)
    root = find_root(path.resolve())
    project = segdsl.load_project(root if root is not None else path)
    if project.schema is None or project.root is None:
        print_diagnostics(project.check(), project)
        raise typer.Exit(exit_code([d for d in project.check() if d.is_error], project) or EXIT_USAGE)
    where = relative(path.resolve(), project.root.resolve())
    if path.is_file() and path.suffix == ".segtest":
        return project, lambda p: p == where
    if path.is_dir() and where not in (".", ""):
        return project, lambda p: p.startswith(where.rstrip("/") + "/")
    return project, lambda p: True


def _run(project, selected, engine: str, url: str | None, segment: str | None, fmt: str) -> int:
    import json
    import sys
    import time

    from segdsl.cli.interrupt import interrupted
    from segdsl.cli.output import relocate
    from segdsl.segtest.run import Outcome, run_test, why_available

    tests, diags = project.segtests
    tests = [t for t in tests if selected(t.path)]
    diags = [d for d in diags if selected(d.span.path)]
    if segment is not None:
        subjects = {t.subject for t in tests}
        if segment not in subjects and segment not in project.segment_names():
            from segdsl.diagnostics import did_you_mean

            fail(f"no test of `{segment}` here " + did_you_mean(segment, sorted(subjects)), EXIT_USAGE)
        tests = [t for t in tests if t.subject == segment or t.subject.startswith(segment + "(")]
    if engine == "postgres":
        _check_server(url)
    shown, source_of = relocate(diags, project)
    start = time.perf_counter()
    outcomes: list[Outcome] = []
    text_out = sys.stderr if fmt == "github" else sys.stdout
    by_file: dict[str, list] = {}
    for t in tests:
        by_file.setdefault(t.path, []).append(t)
    for path, file_tests in by_file.items():
        began = time.perf_counter()
        done = []
        for t in file_tests:
            done.append(run_test(project, t, engine, url) if t.ok else None)
            if interrupted():  # a query the interrupt cancelled is not a failure of the test
                raise KeyboardInterrupt
        outcomes += [o for o in done if o is not None]
        if fmt != "json":
            _file_line(project, path, file_tests, done, time.perf_counter() - began, text_out)
            for o in done:
                if o is not None and not o.passed:
                    print(_failure_text(project, o), file=text_out, flush=True)
    seconds = time.perf_counter() - start
    broken = sum(1 for t in tests if not t.ok)
    failed = sum(1 for o in outcomes if not o.passed)
    passed = len(outcomes) - failed
    errors = [d for d in diags if d.is_error]
    summary = {"tests": len(tests), "passed": passed, "failed": failed, "not_run": broken,
               "errors": len(errors), "seconds": round(seconds, 3), "engine": engine}
    if fmt == "json":
        from segdsl.cli import formats

        checked = json.loads(formats.to_json([formats.Report(d, source_of(d.span.path)) for d in shown], {}))
        print(json.dumps({"version": 1, "tests": [o.as_dict() for o in outcomes],
                          "diagnostics": checked["diagnostics"], "summary": summary,
                          "why": why_available()}, indent=2, ensure_ascii=False, default=str))
    else:
        if fmt == "github":
            _annotations(project, shown, source_of, outcomes)
        from segdsl.cli.output import print_text

        if shown:
            print_text(shown, source_of, stream=sys.stderr, segments=None)  # diagnostics: stderr
        print(_summary(summary, not tests), file=text_out)
    return EXIT_PROBLEMS if failed or broken or errors else 0


def _check_server(url: str | None) -> None:
    from segdsl.warehouse.connection import WarehouseError, connect

    try:
        connect(url=url).close()
    except WarehouseError as e:
        fail(str(e), EXIT_USAGE)


def _file_line(project, path: str, tests, done, seconds: float, out) -> None:
    from segdsl.cli.output import shown_path

    failed = sum(1 for o in done if o is not None and not o.passed)
    broken = sum(1 for o in done if o is None)
    state = ", ".join(p for p in (f"{failed} failed" if failed else "", f"{broken} with errors" if broken else "") if p)
    n = len(tests)
    print(f"{shown_path(project, path)}: {n} test{'s' if n != 1 else ''}, {state or 'all passed'} "
          f"({seconds:.2f}s)", file=out, flush=True)


def _failure_text(project, o) -> str:
    from segdsl.cli.output import shown_path

    t = o.test
    lines = [f'FAILED {shown_path(project, t.path)}:{t.span.line}: test "{t.name}" '
             f"({t.kind} {t.subject}, as of {t.as_of})"]
    if o.error is not None:
        lines.append(f"  could not run: {o.error}")
    for label, keys in (("in the segment, but not expected", o.unexpected),
                        ("expected, but not in the segment", o.missing)):
        if keys:
            lines.append(f"  {label}: {', '.join(map(str, keys))}")
            lines += _why_lines(o, keys)
    for key, stated, found in o.misassigned:
        lines.append(f"  customer {key}: expected in `{stated}`, found in "
                     + (f"`{found}`" if found is not None else "no member"))
        lines += _why_lines(o, [key])
    return "\n".join(lines) + "\n"


def _why_lines(o, keys) -> list[str]:
    out = []
    for key in keys:
        if key in o.why:
            out.append(f"    why {key}:")
            out += ["      " + line for line in o.why[key].splitlines()]
    return out


def _summary(s: dict, none: bool) -> str:
    if none:
        return "no tests found (tests are .segtest files in the project; see docs/testing.md)"
    parts = [f"{s['passed']} passed"]
    if s["failed"]:
        parts.append(f"{s['failed']} failed")
    if s["not_run"]:
        parts.append(f"{s['not_run']} with errors (not run)")
    return f"{s['tests']} test{'s' if s['tests'] != 1 else ''}: {', '.join(parts)} in {s['seconds']:.2f}s on {s['engine']}"


def _annotations(project, shown, source_of, outcomes) -> None:
    from segdsl.cli import formats
    from segdsl.cli.output import shown_path
    from segdsl.diagnostics import Span, error

    reports = [formats.Report(d, source_of(d.span.path)) for d in shown]
    for o in outcomes:
        if o.passed:
            continue
        t = o.test
        span = Span(shown_path(project, t.path), t.span.line, t.span.col, t.span.end_line, t.span.end_col)
        reports.append(formats.Report(error("test", _failure_text(project, o).strip(), span), None))
    text = formats.to_github(reports)
    if text:
        print(text)


def register(app: typer.Typer) -> None:
    command(app, test)
