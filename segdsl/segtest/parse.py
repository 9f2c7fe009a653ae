"""Reading a `.segtest` file: `test "NAME"` lines cut it into tests, each body is TOML.

Seconds may be left out of date-times: `scan.seconds` adds `:00` before tomllib reads the
body, and the body keeps its lines (earlier lines are blank), so a TOML error keeps the
file's line and column. Problems are diagnostics (SEG0701–SEG0703); a test whose body does
not read as TOML has `data = None`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from segdsl.diagnostics import Diagnostic, Span, error
from segdsl.segtest.scan import Located, original_col, scan, seconds

_HEADER = re.compile(r'^(\s*)test(?:\s+("(?:[^"\\]|\\.)*"|\'[^\']*\')?)?\s*(#.*)?$')
_HEADER_START = re.compile(r"^\s*test\b(?!\s*=)")


@dataclass
class RawTest:
    name: str
    path: str
    span: Span  # the name, quotes included
    data: dict[str, Any] | None
    located: Located
    body: Span  # the header line to the last line of the body


def read_file(path: str, text: str) -> tuple[list[RawTest], list[Diagnostic]]:
    lines = text.splitlines()
    diags: list[Diagnostic] = []
    starts: list[tuple[int, str, Span]] = []  # (0-based line, name, name span)
    malformed: set[int] = set()
    for i, line in enumerate(lines):
        if not _HEADER_START.match(line):
            continue
        m = _HEADER.match(line)
        if m is None or m.group(2) is None:
            col = len(line) - len(line.lstrip()) + 1
            diags.append(error("SEG0702", "a test starts with a line `test \"NAME\"`: the name in double quotes, "
                               "nothing after it", Span(path, i + 1, col, i + 1, len(line) + 1),
                               'e.g. test "new customers are not regulars"'))
            malformed.add(i)
            continue
        quoted = m.group(2)
        name = _string(quoted)
        span = Span(path, i + 1, m.start(2) + 1, i + 1, m.end(2) + 1)
        if not name.strip():
            diags.append(error("SEG0702", "a test needs a name", span, 'e.g. test "new customers are not regulars"'))
        starts.append((i, name, span))
    first_body = starts[0][0] if starts else len(lines)
    for i in range(first_body):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#") and not _HEADER_START.match(lines[i]):
            diags.append(error("SEG0702", "text before the first test: a .segtest file holds tests, each "
                               "starting at a line `test \"NAME\"`",
                               Span(path, i + 1, len(lines[i]) - len(lines[i].lstrip()) + 1, i + 1,
                                    len(lines[i].rstrip()) + 1),
                               'start the file with test "NAME", or make the line a comment with #'))
            break
    tests: list[RawTest] = []
    seen: dict[str, Span] = {}
    for n, (start, name, span) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        if name in seen:
            diags.append(error("SEG0703", f'test "{name}" is defined twice in this file', span,
                               "give each test its own name: failures are reported by name",
                               related=[(seen[name], "first defined here")]))
        seen.setdefault(name, span)
        # a malformed header is reported once, not again as TOML
        body_lines = ["" if start + 1 + j in malformed else text for j, text in enumerate(lines[start + 1:end])]
        # blank lines after the body (and comment lines) do not belong to it in messages
        last = end
        while last > start + 1 and not lines[last - 1].strip():
            last -= 1
        tests.append(_read_body(path, name, span, body_lines, start + 2, diags,
                                Span(path, start + 1, 1, max(last, start + 1), 1)))
    return tests, diags


def _string(quoted: str) -> str:
    try:
        return str(tomllib.loads(f"x = {quoted}")["x"])
    except tomllib.TOMLDecodeError:
        return quoted[1:-1]


def _read_body(path: str, name: str, span: Span, lines: list[str], first: int,
               diags: list[Diagnostic], body: Span) -> RawTest:
    located = scan(lines, first, path)
    for where, message in located.impossible:
        diags.append(error("SEG0709", message, where, "write an existing date: YYYY-MM-DD, and a time as HH:MM"))
    if located.impossible:
        return RawTest(name, path, span, None, located, body)
    completed, inserted = seconds(lines, first, located)
    try:
        data = tomllib.loads("\n" * (first - 1) + "\n".join(completed))
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (first, 1)
        col = original_col(line, col, inserted)
        message = str(e).split(" (at ")[0]
        if line > first + len(lines) - 1 and lines:
            line = first + len(lines) - 1
        diags.append(error("SEG0701", f"this test is not valid TOML: {message[0].lower() + message[1:]}",
                           Span(path, line, col, line, col + 1),
                           "rows are written as arrays of inline tables: "
                           "customers = [ { customer_id = 1 }, { customer_id = 2 } ]"))
        return RawTest(name, path, span, None, located, body)
    return RawTest(name, path, span, data, located, body)
