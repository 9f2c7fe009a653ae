"""`segdsl fmt`: rewrite .seg files in the canonical layout (docs/formatting.md).

Files are rewritten atomically (a temporary file in the same folder, then os.replace), and
only when they change. A file with syntax errors is never rewritten: its diagnostics are
printed and the exit code is 1. `--check` rewrites nothing and exits 1 when a file would
change. `-` formats standard input to standard output.
Exit codes: 0 ok, 1 files would change (--check) or have errors, 2 usage, 3 formatter bug.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from segdsl.cli.options import command

_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".hypothesis", ".pytest_cache"}


def fmt(
    paths: Annotated[Optional[List[Path]], typer.Argument(
        metavar="PATH", readable=False, help="Files or folders (default: .); - reads standard input.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Change nothing; exit 1 if a file would change.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Show the changes as a unified diff (implies --check).")] = False,
):
    """Format .seg files in one canonical layout (comments kept, meaning unchanged)."""
    from segdsl.cli.output import fail

    paths = paths or [Path(".")]
    for p in paths:
        if p != Path("-") and p.suffix != ".seg" and (p.is_file() or p.suffix == ".toml"):
            fail(f"{p} is not a .seg file: `segdsl fmt` formats segment files only "
                 "(segdsl.toml keeps the layout you give it)", 2)
    if Path("-") in paths:
        if len(paths) > 1:
            fail("`-` (standard input) cannot be mixed with paths", 2)
        raise typer.Exit(_stdin())
    files: list[Path] = []
    for p in paths:
        if not p.exists():
            fail(f"no such file or folder: {p}", 2)
        files += sorted(_seg_files(p)) if p.is_dir() else [p]
    state = {"changed": 0, "same": 0, "errors": 0, "bugs": 0}
    for f in dict.fromkeys(files):  # each file once, in order
        _one(f, check or diff, diff, state)
    _summary(state, check or diff)
    if state["bugs"]:
        raise typer.Exit(3)
    raise typer.Exit(1 if state["errors"] or ((check or diff) and state["changed"]) else 0)


def _seg_files(root: Path):
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in names:
            if name.endswith(".seg"):
                yield Path(folder) / name


def _read(path: Path, shown: str):
    """(text, None) or (None, diagnostic)."""
    from segdsl.diagnostics import Span, error

    try:
        raw = path.read_bytes()
    except OSError as e:
        return None, error("SEG0407", f"cannot read {shown}: {e.strerror or e}", Span(shown, 0, 0, 0, 0))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[:e.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, error("SEG0104", f"{shown} is not UTF-8 text (byte 0x{raw[e.start]:02x} at line {line})",
                           Span(shown, line, col, line, col + 1), "save the file as UTF-8")
    return (text[1:] if text.startswith("\ufeff") else text), None


def _one(path: Path, check: bool, diff: bool, state: dict) -> None:
    from segdsl.cli.output import print_text
    from segdsl.format import FormatError, FormatterBug, format_source
    from segdsl.project.load import display

    shown = display(path)
    text, problem = _read(path, shown)
    if problem is not None:
        print_text([problem], lambda _: None)
        state["errors"] += 1
        return
    try:
        new = format_source(text, shown)
    except FormatError as e:
        print_text(e.diagnostics, lambda _: text)
        typer.echo(f"{shown}: not formatted: fix the syntax errors first", err=True)
        state["errors"] += 1
        return
    except FormatterBug as e:
        typer.echo(f"segdsl: internal error in the formatter ({e}). This is a bug; please report "
                   "it with the file. The file was left as it was.", err=True)
        state["bugs"] += 1
        return
    if new == text:
        state["same"] += 1
        return
    state["changed"] += 1
    if diff:
        import difflib

        sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True),
                                                   shown, shown + " (formatted)"))
    if check:
        typer.echo(f"would reformat {shown}", err=True)
        return
    try:
        write_atomically(path, new)
    except OSError as e:
        typer.echo(f"error: cannot write {shown}: {e.strerror or e}", err=True)
        state["errors"] += 1
        return
    typer.echo(f"reformatted {shown}", err=True)


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of it; the mode is kept, and a
    symbolic link stays a link (its target is rewritten)."""
    path = path.resolve()
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _summary(state: dict, check: bool) -> None:
    changed, same, errors = state["changed"], state["same"], state["errors"]
    verb = "would be reformatted" if check else "reformatted"
    parts = [f"{changed} file{'s' if changed != 1 else ''} {verb}", f"{same} unchanged"]
    if errors:
        parts.append(f"{errors} with errors")
    typer.echo(", ".join(parts) + ".", err=True)


def _stdin() -> int:
    from segdsl.cli.output import print_text
    from segdsl.format import FormatError, FormatterBug, format_source

    try:
        text = sys.stdin.buffer.read().decode("utf-8")
    except UnicodeDecodeError as e:
        typer.echo(f"error[SEG0104]: standard input is not UTF-8 text (byte at offset {e.start})", err=True)
        return 1
    text = text[1:] if text.startswith("\ufeff") else text
    try:
        sys.stdout.write(format_source(text, "<stdin>"))
    except FormatError as e:
        print_text(e.diagnostics, lambda _: text)
        return 1
    except FormatterBug as e:
        typer.echo(f"segdsl: internal error in the formatter ({e}). This is a bug; please report it.",
                   err=True)
        return 3
    return 0


def register(app: typer.Typer) -> None:
    command(app, fmt)
