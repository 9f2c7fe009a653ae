"""`segdsl check`: the CI gate.

Output: `text` on stderr (coloured only on a terminal without NO_COLOR); `json` and `sarif`
on stdout; `github` prints workflow commands (annotations) on stdout and the text on stderr
for the log. Exit codes: 0 clean, 1 errors in segments, 2 usage or configuration errors.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from segdsl.cli.options import check_format, command, fail, format_option

FORMATS = ("text", "json", "github", "sarif")  # the writers are in segdsl.cli.formats


def check(
    paths: Annotated[Optional[List[Path]], typer.Argument(
        metavar="PATH", help="Project folders or .seg files (default: .).")] = None,
    warnings_as_errors: Annotated[bool, typer.Option(
        "--warnings-as-errors", help="Fail on warnings too.")] = False,
    fmt: Annotated[str, format_option("text", "json", "github", "sarif")] = "text",
    color: Annotated[str, typer.Option(
        "--color", metavar="WHEN", help="Colour the text output: auto, always or never.")] = "auto",
    base: Annotated[Optional[str], typer.Option(
        "--base", metavar="REV",
        help="Also warn (SEG0613) for each split whose customers change group since git revision REV.")] = None,
):
    """Check segments against the schema: syntax, names, types.

    Exit 1 on errors (or warnings, with --warnings-as-errors)."""
    fmt = check_format(fmt, *FORMATS)
    if color not in ("auto", "always", "never"):
        fail(f"--color: `{color}`; use auto, always or never", 2)
    projects = _load(paths or [Path(".")])
    extra = _split_changes(projects, base) if base is not None else {}
    raise typer.Exit(report(projects, fmt, warnings_as_errors, color, extra))


def _split_changes(projects: list, base: str) -> dict[int, list]:
    """id(project) -> its reshuffle warnings against `base`."""
    from segdsl.analysis.gitrev import GitError
    from segdsl.analysis.split_base import split_changes

    out = {}
    for project in projects:
        try:
            out[id(project)] = split_changes(project, base)
        except GitError as e:
            fail(f"--base: {e}", 2)
    return out


def _load(paths: list[Path]) -> list:
    """One project per segdsl.toml: several files of one project (as pre-commit passes them)
    are checked once, together."""
    import segdsl
    from segdsl.project.load import find_root

    projects, seen = [], set()
    for path in paths:
        try:
            root = find_root(path.resolve()) if path.exists() else None
        except OSError:
            root = None
        key = root or path
        if key in seen:
            continue
        seen.add(key)
        projects.append(segdsl.load_project(root if root is not None else path))
    return projects


def report(projects: list, fmt: str, warnings_as_errors: bool, color: str = "auto",
           extra: dict[int, list] | None = None) -> int:
    from segdsl import __version__
    from segdsl.cli import formats
    from segdsl.cli.common import exit_code
    from segdsl.cli.output import print_text, promote, relocate, use_color

    reports, sources = [], {}
    segments = 0
    broken_config = False
    for project in projects:
        diags = promote(project.check() + (extra or {}).get(id(project), []), warnings_as_errors)
        # a segdsl.toml that cannot be read or used (not UTF-8, say) is a configuration
        # problem whatever its code: exit 2
        broken_config |= project.schema is None and any(d.is_error for d in diags)
        segments += len(project.segment_names()) if project.schema is not None else 0
        # paths relative to the working folder for people, to the git root for CI annotations
        diags, source_of = relocate(diags, project, _git_root(project) if fmt in ("github", "sarif") else None)
        for d in diags:
            sources[d.span.path] = source_of(d.span.path)
            reports.append(formats.Report(d, sources[d.span.path]))
    diags = [r.diagnostic for r in reports]
    errors = [d for d in diags if d.is_error]
    summary = {"errors": len(errors), "warnings": len(diags) - len(errors),
               "projects": len(projects), "segments": segments}
    if fmt in ("text", "github"):
        if fmt == "github":
            text = formats.to_github(reports)
            if text:
                print(text)
        print_text(diags, sources.get, color=use_color(sys.stderr, color), segments=segments,
                   quiet_ok=False)
    elif fmt == "json":
        print(formats.to_json(reports, summary))
    else:
        print(formats.to_sarif(reports, __version__))
    return 2 if broken_config else exit_code(errors)


def _git_root(project) -> Path | None:
    """The git work tree holding the project (SARIF and GitHub paths are relative to it);
    None outside git, and then the working folder is used."""
    if project.root is None:
        return None
    from segdsl.analysis.gitrev import GitError, repo_root

    try:
        return repo_root(Path(project.root))
    except GitError:
        return None


def register(app: typer.Typer) -> None:
    command(app, check)
