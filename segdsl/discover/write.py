"""The `.seg` text discover and predict write: built as text, laid out by the formatter
(segdsl fmt), then checked with the project it joins. A text that does not check is never
returned (or written)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from segdsl.discover.common import EXIT_USAGE, MlError, fail, number_text
from segdsl.discover.tree_to_family import Bounds

RESERVED_FREE = "member"


def condition(names: list[str], integer: list[bool], bounds: Bounds) -> str:
    """One leaf's ranges as a condition: `x between a and b` for whole numbers."""
    parts = []
    for name, whole, (lo, hi) in zip(names, integer, bounds.ranges):
        if lo is None and hi is None:
            continue
        if whole:
            top = None if hi is None else hi - 1  # x < hi is x <= hi - 1
            if lo is not None and top is not None:
                parts.append(f"{name} = {number_text(lo)}" if lo == top
                             else f"{name} between {number_text(lo)} and {number_text(top)}")
            elif lo is not None:
                parts.append(f"{name} >= {number_text(lo)}")
            else:
                assert top is not None
                parts.append(f"{name} <= {number_text(top)}")
        else:
            if lo is not None:
                parts.append(f"{name} >= {number_text(lo)}")
            if hi is not None:
                parts.append(f"{name} < {number_text(hi)}")
    return " and ".join(parts) or "true"


def rule(names: list[str], integer: list[bool], paths: list[Bounds]) -> str:
    texts = [condition(names, integer, b) for b in paths]
    if len(texts) == 1:
        return texts[0]
    return " or ".join(f"({t})" for t in texts)


def comment(text: str) -> str:
    return "\n".join(("# " + line).rstrip() for line in text.splitlines())


def output_name(project: Any, output: Path | None, default: str) -> str:
    """The path the new file has in the project: relative to its root when inside it."""
    if output is None or project.root is None:
        return default
    try:
        return Path(os.path.relpath(output.resolve(), Path(project.root).resolve())).as_posix()
    except ValueError:
        return output.name


def checked(project: Any, text: str, path: str, defines: list[str]) -> str:
    """`text` formatted and checked as file `path` of the project (replacing a file of that
    path). A name it defines that the rest of the project has is a usage error (SEG0805)."""
    from segdsl.api import Project
    from segdsl.format import format_source

    files = {p: t for p, t in project.sources.files.items() if p != path}
    kept = Project.from_sources(project.sources.config or {}, files, project.root)
    taken = set(kept.segment_names()) | set(kept.trait_names()) | {
        d.name for f in kept.parsed[0] for d in f.definitions}
    clash = [n for n in defines if n in taken]
    if clash:
        raise fail("SEG0805", f"`{clash[0]}` is already defined in the project", EXIT_USAGE,
                   "choose another name with --name")
    out = format_source(text, path)
    joined = Project.from_sources(project.sources.config or {}, {**files, path: out}, project.root)
    errors = [d for d in joined.check() if d.is_error and d.span.path == path]
    if errors:  # a bug: the text was built from names the project checked
        raise AssertionError("the written text does not check:\n" + "\n".join(map(str, errors)) + "\n" + out)
    return out


def write(path: Path, text: str) -> None:
    from segdsl.warehouse.members import write_text_atomic

    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise MlError(fail("SEG0805", f"cannot write {path}: {exc.strerror or exc}", EXIT_USAGE).diagnostic,
                      EXIT_USAGE) from None
