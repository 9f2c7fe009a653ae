"""Positions in a test's TOML body, which tomllib does not keep.

`scan(lines, first)` tokenises the body (lines `first`, `first + 1`, ... of the file) and
walks it as TOML's grammar nests: top-level `key = value`, `[table]` and `[[array]]`
headers, arrays and inline tables. It returns where each key and value is written, by path
(`("events", 2, "occurred_at")`), so that a diagnostic about a row points at its cell. It
also finds the date-times written without seconds (which TOML refuses) so that `seconds()`
can add `:00`, and the dates that cannot exist, which get their own diagnostic instead of
TOML's "invalid date". The walk is tolerant: text it cannot follow is left to tomllib.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from segdsl.diagnostics import Span

Path = tuple[str | int, ...]

_STRUCT = "{}[]=,"
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?([Zz]|[+-]\d{2}:\d{2})?$")
_NO_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?=$|[Zz+-])")
_TIME = re.compile(r"^\d{2}:\d{2}")


@dataclass(frozen=True)
class Token:
    kind: str  # one of _STRUCT, "nl", "str" (quoted), "bare"
    text: str
    line: int
    col: int  # 1-based
    end_line: int
    end_col: int  # exclusive

    def span(self, path: str) -> Span:
        return Span(path, self.line, self.col, self.end_line, self.end_col)


@dataclass
class Located:
    keys: dict[Path, Span] = field(default_factory=dict)
    values: dict[Path, Span] = field(default_factory=dict)
    no_seconds: list[Token] = field(default_factory=list)  # date-times to complete with :00
    impossible: list[tuple[Span, str]] = field(default_factory=list)

    def key(self, path: Path, fallback: Span) -> Span:
        return self.keys.get(path) or self.values.get(path) or fallback

    def value(self, path: Path, fallback: Span) -> Span:
        return self.values.get(path) or self.keys.get(path) or fallback


def tokens(lines: list[str], first: int) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(lines):
        text, number, c = lines[i], first + i, 0
        while c < len(text):
            ch = text[c]
            if ch in " \t\r":
                c += 1
            elif ch == "#":
                break
            elif ch in _STRUCT:
                out.append(Token(ch, ch, number, c + 1, number, c + 2))
                c += 1
            elif text.startswith(('"""', "'''"), c):  # multi-line string: may end lines below
                quote, start, start_line = text[c:c + 3], c, number
                end = text.find(quote, c + 3)
                while end < 0 and i + 1 < len(lines):
                    i += 1
                    text, number = lines[i], first + i
                    end = text.find(quote)
                c = len(text) if end < 0 else end + 3
                out.append(Token("str", "", start_line, start + 1, number, c + 1))
            elif ch in "\"'":
                end = c + 1
                while end < len(text) and text[end] != ch:
                    end += 2 if ch == '"' and text[end] == "\\" else 1
                out.append(Token("str", _unquote(text[c:end + 1]), number, c + 1, number, min(end, len(text)) + 1))
                c = end + 1
            else:
                end = c
                while end < len(text) and text[end] not in " \t\r#\"'" + _STRUCT:
                    end += 1
                word = text[c:end]
                # `2024-06-29 10:00`: TOML allows a space between date and time
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word) and _TIME.match(text[end + 1:end + 6] or "") \
                        and end < len(text) and text[end] == " ":
                    end += 1
                    while end < len(text) and text[end] not in " \t\r#\"'" + _STRUCT:
                        end += 1
                    word = text[c:end]
                out.append(Token("bare", word, number, c + 1, number, end + 1))
                c = end
        out.append(Token("nl", "", number, len(text) + 1, number, len(text) + 1))
        i += 1
    return out


def _unquote(text: str) -> str:
    import tomllib

    try:
        return str(tomllib.loads(f"x = {text}")["x"])
    except tomllib.TOMLDecodeError:
        return text.strip("\"'")


def scan(lines: list[str], first: int, path: str) -> Located:
    found = Located()
    toks = tokens(lines, first)
    for t in toks:
        if t.kind == "bare" and _DATE.match(t.text):
            problem = _impossible(t.text)
            if problem:
                found.impossible.append((t.span(path), problem))
            elif _NO_SECONDS.match(t.text):
                found.no_seconds.append(t)
    _Walker(toks, path, found).top()
    return found


def _impossible(text: str) -> str | None:
    m = _DATE.match(text)
    assert m is not None
    year, month, day, hour, minute, second, _ = m.groups()
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return f"{year}-{month}-{day} is not a date: " + (
            f"month {int(month)} does not exist" if not 1 <= int(month) <= 12
            else f"{_MONTHS[int(month) - 1]} {year} has no day {int(day)}")
    if hour is not None and (int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59):
        return f"{hour}:{minute}{':' + second if second else ''} is not a time of day"
    return None


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def seconds(lines: list[str], first: int, located: Located) -> tuple[list[str], dict[int, list[int]]]:
    """The lines with `:00` after every date-time written without seconds, and per line the
    columns (1-based, of the original) after which 3 characters were inserted."""
    out = list(lines)
    inserted: dict[int, list[int]] = {}
    for t in sorted(located.no_seconds, key=lambda t: (t.line, -t.col)):
        m = _NO_SECONDS.match(t.text)
        assert m is not None
        at = t.col - 1 + m.end()
        i = t.line - first
        out[i] = out[i][:at] + ":00" + out[i][at:]
        inserted.setdefault(t.line, []).append(at)
    return out, inserted


def original_col(line: int, col: int, inserted: dict[int, list[int]]) -> int:
    """A column of the completed text as a column of the original."""
    shift = 0
    for at in sorted(inserted.get(line, [])):
        if col - 1 > at + shift + 2:
            shift += 3
    return max(1, col - shift)


class _Walker:
    def __init__(self, toks: list[Token], path: str, found: Located):
        self.toks, self.i, self.path, self.found = toks, 0, path, found

    def peek(self) -> Token | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def skip_nl(self) -> None:
        while (t := self.peek()) is not None and t.kind == "nl":
            self.i += 1

    def top(self) -> None:
        prefix: Path = ()
        counts: dict[str, int] = {}
        while (t := self.peek()) is not None:
            if t.kind == "nl":
                self.i += 1
            elif t.kind == "[":
                double = self.i + 1 < len(self.toks) and self.toks[self.i + 1].kind == "["
                self.i += 2 if double else 1
                name = self.peek()
                if name is None or name.kind not in ("bare", "str"):
                    self._to_line_end()
                    continue
                keys = tuple(name.text.split(".")) if name.kind == "bare" else (name.text,)
                if double:
                    n = counts.get(".".join(keys), 0)
                    counts[".".join(keys)] = n + 1
                    prefix = (*keys, n)
                    self.found.values.setdefault(prefix, name.span(self.path))
                else:
                    prefix = keys
                    self.found.keys.setdefault(prefix, name.span(self.path))
                self._to_line_end()
            elif t.kind in ("bare", "str"):
                self.pair(prefix)
                self._to_line_end()
            else:
                self._to_line_end()

    def _to_line_end(self) -> None:
        while (t := self.peek()) is not None and t.kind != "nl":
            self.i += 1

    def pair(self, prefix: Path) -> None:
        key = self.toks[self.i]
        self.i += 1
        keys = tuple(key.text.split(".")) if key.kind == "bare" else (key.text,)
        eq = self.peek()
        if eq is None or eq.kind != "=":
            return
        self.i += 1
        where = (*prefix, *keys)
        self.found.keys.setdefault(where, key.span(self.path))
        self.value(where)

    def value(self, where: Path) -> None:
        t = self.peek()
        if t is None or t.kind == "nl":
            return
        self.i += 1
        if t.kind == "[":
            n = 0
            while True:
                self.skip_nl()
                nxt = self.peek()
                if nxt is None or nxt.kind == "]":
                    break
                if nxt.kind == ",":
                    self.i += 1
                    continue
                self.value((*where, n))
                n += 1
            end = self.peek()
            self.i += end is not None
            self._record(where, t, end or t)
        elif t.kind == "{":
            while True:
                nxt = self.peek()
                if nxt is None or nxt.kind in ("}", "nl"):
                    break
                if nxt.kind == ",":
                    self.i += 1
                elif nxt.kind in ("bare", "str"):
                    self.pair(where)
                else:
                    self.i += 1
            end = self.peek()
            if end is not None and end.kind == "}":
                self.i += 1
            self._record(where, t, end or t)
        else:
            self._record(where, t, t)

    def _record(self, where: Path, start: Token, end: Token) -> None:
        self.found.values.setdefault(where, Span(self.path, start.line, start.col, end.end_line, end.end_col))
