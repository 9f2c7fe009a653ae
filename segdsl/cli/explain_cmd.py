"""`segdsl explain`: segments in plain English (from the IR) for pull-request reviewers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from segdsl.cli.options import PathDefaultArg, SegmentsOpt, check_format, command, format_option


def explain(
    path: PathDefaultArg = Path("."),
    segment: SegmentsOpt = None,
    fmt: Annotated[str, format_option("text", "json")] = "text",
):
    """Explain segments in plain English, missing values included."""
    import segdsl
    from segdsl.cli.common import exit_code
    from segdsl.cli.output import fail, print_diagnostics
    from segdsl.diagnostics import did_you_mean
    from segdsl.explain import explain as explain_segment

    fmt = check_format(fmt, "text", "json")
    project = segdsl.load_project(path)
    errors = [d for d in project.check() if d.is_error]  # warnings: the text says it in words
    if errors:
        print_diagnostics(errors, project)
        raise typer.Exit(exit_code(errors))
    from segdsl.cli.common import canonical_segments

    names = (canonical_segments(project, list(segment)) or []) if segment else project.segment_names(selected_only=True)
    for name in names:
        if project.segment_ir(name) is None:
            if name in project.trait_names():
                fail(f"`{name}` is a trait, not a segment: explain the segments that use it", 2)
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
    command(app, explain)
