"""What `segdsl check` does once its options are read (segdsl/cli/check_cmd.py declares the
command), and `quick`: a plain `segdsl check` command line read without typer.

`segdsl check` is the CI gate and the editor's pre-commit hook, run on every commit: reading
its command line through typer would load typer and pydantic, a good part of the time a
whole check of a large project takes. `quick` reads only the plain forms (paths, `--format`,
`--color`, `--warnings-as-errors`, each value one the command accepts) and answers None for
anything else (`--help`, `--base`, an unknown option or value, `--`), which typer then reads
as before, with its usage errors and help.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

FORMATS = ("text", "json", "github", "sarif")  # the writers are in segdsl.cli.formats
COLORS = ("auto", "always", "never")


def quick(argv: list[str]) -> int | None:
    """The exit code of `segdsl check ...` run at once, or None when typer has to read the
    command line."""
    if not argv or argv[0] != "check" or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return None
    paths: list[Path] = []
    options = {"--format": "text", "--color": "auto"}
    warnings_as_errors = False
    args = iter(argv[1:])
    for arg in args:
        if not arg.startswith("-"):
            paths.append(Path(arg))
            continue
        if arg == "--warnings-as-errors":
            warnings_as_errors = True
            continue
        name, eq, value = arg.partition("=")
        name = "--format" if name == "-f" and not eq else name
        if name not in options:
            return None
        if not eq:
            value = next(args, "")
        if value not in (FORMATS + ("table",) if name == "--format" else COLORS):
            return None
        options[name] = value
    if any(not str(p) for p in paths):
        return None
    fmt = "text" if options["--format"] == "table" else options["--format"]
    try:
        return report(_load(paths or [Path(".")]), fmt, warnings_as_errors, options["--color"])
    except OSError as e:  # a closed pipe (`segdsl check -f json | head`): as click ends it
        if e.errno != errno.EPIPE:
            raise
        _pacify()
        return 1


def _pacify() -> None:
    """After a broken pipe: no second error when Python flushes the streams at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError):
            pass


def _split_changes(projects: list, base: str) -> dict[int, list]:
    """id(project) -> its reshuffle warnings against `base`."""
    from segdsl.analysis.gitrev import GitError
    from segdsl.analysis.split_base import split_changes

    out = {}
    for project in projects:
        try:
            out[id(project)] = split_changes(project, base)
        except GitError as e:
            from segdsl.cli.output import fail

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
