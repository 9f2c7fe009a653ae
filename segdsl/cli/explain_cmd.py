"""`segdsl explain`: segments in plain English (from the IR) for pull-request reviewers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer


def explain(
    path: Path = typer.Argument(Path("."), help="A project folder or a .seg file in one."),
    segment: Optional[List[str]] = typer.Option(
        None, "--segment", "-s", help="The segment to explain (repeatable). Default: every segment of PATH."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
):
    """Explain segments in plain English: who is in, including what happens to missing values."""
    import segdsl
    from segdsl.cli.common import exit_code
    from segdsl.cli.output import fail, print_diagnostics
    from segdsl.diagnostics import did_you_mean
    from segdsl.explain import explain as explain_segment

    if fmt not in ("text", "json"):
        fail(f"--format: unknown format `{fmt}`; use text or json", 2)
    project = segdsl.load_project(path)
    errors = [d for d in project.check() if d.is_error]  # warnings: the text says it in words
    if errors:
        print_diagnostics(errors, project)
        raise typer.Exit(exit_code(errors))
    names = list(segment) if segment else project.segment_names(selected_only=True)
    for name in names:
        if project.segment_ir(name) is None:
            hint = did_you_mean(name, project.segment_names())
            fail(f"unknown segment `{name}`" + (f"; {hint}" if hint else ""), 2)
    from dataclasses import replace

    from segdsl.cli.output import shown_path

    # "defined in PATH:LINE" as the user finds the file from here (the API's is root-relative)
    explained = [replace(e, path=shown_path(project, e.path))
                 for e in (explain_segment(project, name) for name in names)]
    if fmt == "json":
        typer.echo(json.dumps({"version": 1, "segments": [e.to_json() for e in explained]},
                              indent=2, ensure_ascii=False))
        return
    typer.echo("\n".join(e.text() for e in explained), nl=False)


def register(app: typer.Typer) -> None:
    app.command(name="explain")(explain)
