"""segdsl's spans and diagnostics in the protocol's terms.

A Span is 1-based, columns counted in characters; the protocol is 0-based and counts code
units of the encoding agreed with the client (UTF-16 by default, UTF-8 for Neovim). They
differ only on lines holding characters outside ASCII, which are converted.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlparse

from lsprotocol import types

from segdsl.diagnostics import Diagnostic, Span


@functools.lru_cache(maxsize=4096)
def path_to_uri(path: str) -> str:
    return Path(os.path.abspath(path)).as_uri() if not path.startswith("file:") else path


def uri_to_path(uri: str) -> str:
    parsed = urlparse(uri)
    return str(Path(unquote(parsed.path)))


# The position encoding agreed at initialisation ("utf-16" unless the client prefers another):
# one server process talks to one client.
ENCODING = {"name": "utf-16"}


def _width(c: str) -> int:
    name = ENCODING["name"]
    if name == "utf-8":
        return len(c.encode("utf-8", "surrogatepass"))
    if name == "utf-32":
        return 1
    return 2 if ord(c) > 0xFFFF else 1


def client_col(line_text: str, col: int) -> int:
    """The client's 0-based column of the 0-based character column `col`."""
    head = line_text[:col]
    extra = max(0, col - len(line_text))
    if head.isascii():
        return len(head) + extra
    return sum(_width(c) for c in head) + extra


def char_col(line_text: str, units: int) -> int:
    """0-based character column of the client's 0-based column `units`."""
    if line_text.isascii():
        return units
    done = 0
    for i, c in enumerate(line_text):
        if done >= units:
            return i
        done += _width(c)
    return len(line_text) + max(0, units - done)


class Lines:
    """A text's lines, for position conversions."""

    def __init__(self, text: str | None):
        self.lines = (text or "").split("\n")

    def line(self, n0: int) -> str:
        return self.lines[n0] if 0 <= n0 < len(self.lines) else ""

    def position(self, line1: int, col1: int) -> types.Position:
        if line1 <= 0:
            return types.Position(0, 0)
        n0 = line1 - 1
        return types.Position(n0, client_col(self.line(n0), max(col1 - 1, 0)))

    def range(self, span: Span) -> types.Range:
        if not span.known:
            return types.Range(types.Position(0, 0), types.Position(0, 0))
        return types.Range(self.position(span.line, span.col), self.position(span.end_line, span.end_col))

    def from_position(self, pos: types.Position) -> tuple[int, int]:
        """(1-based line, 1-based character column) of a protocol position."""
        return pos.line + 1, char_col(self.line(pos.line), pos.character) + 1

    def offset(self, pos: types.Position) -> int:
        """Character offset in the text of a protocol position."""
        line, col = self.from_position(pos)
        return sum(len(x) + 1 for x in self.lines[: line - 1]) + col - 1


class ErrorLinks:
    """Where each code is documented: docs/errors.md, its heading's anchor."""

    _HEADING = re.compile(r"^#{2,4}\s+(SEG\d{4})\b(.*)$")

    def __init__(self, base: str | None = None):
        docs = Path(__file__).resolve().parents[2] / "docs" / "errors.md"
        self.anchors: dict[str, str] = {}
        if docs.is_file():
            for line in docs.read_text(encoding="utf-8").splitlines():
                m = self._HEADING.match(line)
                if m:
                    self.anchors[m.group(1)] = _anchor(line.lstrip("#").strip())
        self.base = base or (docs.as_uri() if docs.is_file() else None)

    def href(self, code: str) -> str | None:
        if not self.base:
            return None
        return f"{self.base}#{self.anchors.get(code, code.lower())}"


def _anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.lower())
    return quote(text.replace(" ", "-"))


def to_lsp(d: Diagnostic, lines: Lines, texts: Callable[[str], str | None] | None, links: ErrorLinks,
           where: Callable[[str], str] = os.path.abspath) -> types.Diagnostic:
    """`d` in the protocol's terms; `lines` are those of the file `d` is about. Other files
    are named by their spans as the compiler names them (relative to the project root):
    `where(name)` is the file's absolute path, `texts(absolute path)` its text.

    Each structured fix goes into `data` (the client hands it back with the diagnostic when
    it asks for code actions), in the compiler's order of preference."""
    def other(span: Span) -> tuple[str, Lines]:
        path = where(span.path)
        return path, (lines if texts is None or span.path == d.span.path else Lines(texts(path)))

    related = []
    for span, note in d.related:
        if span.path:
            path, text = other(span)
            related.append(types.DiagnosticRelatedInformation(
                types.Location(path_to_uri(path), text.range(span)), note))
    message = d.message + "".join(f"\nhelp: {h}" for h in d.hints)
    fixes = []
    for f in d.fixes:
        title = f.title or f"replace with `{f.replacement}`"
        fix: dict[str, Any] = {"newText": f.replacement, "title": title[:1].upper() + title[1:]}  # as menus write it
        if f.span.path and f.span.path != d.span.path:  # a fix in another file
            path, text = other(f.span)
            fix.update(range=_range_json(text.range(f.span)), uri=path_to_uri(path))
        else:
            fix["range"] = _range_json(lines.range(f.span))
        fixes.append(fix)
    href = links.href(d.code)
    return types.Diagnostic(
        range=lines.range(d.span),
        message=message,
        severity=types.DiagnosticSeverity.Error if d.is_error else types.DiagnosticSeverity.Warning,
        code=d.code,
        code_description=types.CodeDescription(href=href) if href else None,
        source="segdsl",
        related_information=related or None,
        data={"fixes": fixes} if fixes else None,
    )


def _range_json(r: types.Range) -> dict[str, dict[str, int]]:
    return {"start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character}}


def range_from_json(r: dict[str, Any]) -> types.Range:
    return types.Range(types.Position(r["start"]["line"], r["start"]["character"]),
                       types.Position(r["end"]["line"], r["end"]["character"]))
