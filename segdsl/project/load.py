"""Finding and reading a project: segdsl.toml and every .seg file below its folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from dataclasses import dataclass, field
from pathlib import Path

from segdsl.diagnostics import Diagnostic, Span, error

CONFIG_NAME = "segdsl.toml"
_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".hypothesis", ".pytest_cache"}


@dataclass
class Sources:
    root: Path | None
    config_path: Path | None
    config: dict[str, Any] | None
    files: dict[str, str] = field(default_factory=dict)  # path relative to root -> text
    tests: dict[str, str] = field(default_factory=dict)  # .segtest files, likewise
    config_text: str | None = None
    selected: Path | None = None  # the .seg file the user named, if any
    diagnostics: list[Diagnostic] = field(default_factory=list)


def find_root(path: Path) -> Path | None:
    start = path if path.is_dir() else path.parent
    for folder in [start, *start.parents]:
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def read_sources(path: str | os.PathLike[str]) -> Sources:
    p = Path(path)
    src = Sources(None, None, None)
    if not p.exists():
        src.diagnostics.append(error("SEG0401", f"no such file or folder: {p}", Span(str(p), 0, 0, 0, 0)))
        return src
    if p.is_file() and p.name == CONFIG_NAME:
        p = p.parent
    if p.is_file():
        if p.suffix != ".seg":
            src.diagnostics.append(error("SEG0401", f"{p} is neither a project folder nor a .seg file",
                                         Span(str(p), 0, 0, 0, 0)))
            return src
        src.selected = p.resolve()
    root = find_root(p.resolve())
    if root is None:
        src.diagnostics.append(error("SEG0401", f"no {CONFIG_NAME} found in {p} or any folder above it",
                                     Span(display(p), 0, 0, 0, 0),
                                     "a project is a folder with a segdsl.toml; `segdsl init DIR` creates one"))
        return src
    src.root = root
    src.config_path = root / CONFIG_NAME
    # paths in diagnostics are relative to the project root, whatever the working folder;
    # the CLI shows them relative to where it runs
    src.config_text = _read_text(src.config_path, src.diagnostics, CONFIG_NAME)
    src.config = _parse_config(CONFIG_NAME, src.config_text, src.diagnostics)
    for seg in sorted(_seg_files(root)):
        shown = relative(seg, root)
        text = _read_text(seg, src.diagnostics, shown)
        if text is not None:
            src.files[shown] = text
    for test in sorted(_seg_files(root, ".segtest")):
        shown = relative(test, root)
        text = _read_text(test, src.diagnostics, shown)
        if text is not None:
            src.tests[shown] = text
    return src


def relative(path: Path, root: Path) -> str:
    """`path` relative to the project root, with forward slashes (as diagnostics name it)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def sources_from_texts(schema: str | dict[str, Any], files: dict[str, str],
                       root: str | os.PathLike[str] | None = None) -> Sources:
    """Sources built from memory (nothing read from disk): the schema as segdsl.toml text
    or an already parsed dict, and `.seg` texts by path (relative to `root`, if given)."""
    src = Sources(Path(root) if root is not None else None, None, None)
    src.config_path = Path(CONFIG_NAME)
    if isinstance(schema, str):
        src.config_text = schema
        src.config = _parse_config(CONFIG_NAME, schema, src.diagnostics)
    else:
        src.config = dict(schema)
    for path, text in files.items():
        src.files[Path(path).as_posix()] = text[1:] if text.startswith("\ufeff") else text
    return src


def _seg_files(root: Path, suffix: str = ".seg") -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        # a subfolder with its own segdsl.toml is another project, not part of this one
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")
                         and not (Path(folder) / d / CONFIG_NAME).is_file())
        for name in files:
            if name.endswith(suffix):
                yield Path(folder) / name


def _parse_config(path: str, text: str | None, diags: list[Diagnostic]) -> dict[str, Any] | None:
    import tomllib

    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        shown = str(path)
        line, col = _toml_position(str(e))
        diags.append(error("SEG0402", f"{shown} is not valid TOML: {str(e).split(' (at')[0]}",
                           Span(shown, line, col, line, col + 1)))
    return None


def _toml_position(message: str) -> tuple[int, int]:
    import re

    m = re.search(r"line (\d+), column (\d+)", message)
    return (int(m.group(1)), int(m.group(2))) if m else (1, 1)


def _read_text(path: Path, diags: list[Diagnostic], shown: str) -> str | None:
    """The file as UTF-8 text (a leading byte-order mark dropped), or None with a diagnostic."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        # SEG0402 is about segdsl.toml; a .seg file that cannot be read has its own code
        code = "SEG0402" if path.name == CONFIG_NAME else "SEG0407"
        if path.is_symlink() and not path.exists():
            diags.append(error(code, f"{shown} is a symbolic link to a file that does not exist "
                               f"({os.readlink(path)})", Span(shown, 0, 0, 0, 0),
                               "remove the link, or restore the file it points to"))
        else:
            diags.append(error(code, f"cannot read {shown}: {e.strerror}", Span(shown, 0, 0, 0, 0)))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        diags.append(_not_utf8(shown, raw, e))
        return None
    return text[1:] if text.startswith("\ufeff") else text


def _not_utf8(shown: str, raw: bytes, e: UnicodeDecodeError) -> Diagnostic:
    before = raw[: e.start]
    line = before.count(b"\n") + 1
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    return error("SEG0104", f"{shown} is not UTF-8 text (byte 0x{raw[e.start]:02x} at line {line})",
                 Span(shown, line, col, line, col + 1), "save the file as UTF-8")
