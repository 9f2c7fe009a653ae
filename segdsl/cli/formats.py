"""Machine-readable forms of `segdsl check`'s diagnostics for CI: json, github, sarif.

Each takes a list of Report(diagnostic, source text of its file or None) and returns text.
Positions: lines and columns are 1-based; the span's end column is exclusive in json and
sarif (SARIF's own convention) and inclusive in github annotations (GitHub's `endColumn`
defaults to `col`, i.e. names the last column).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import quote

JSON_VERSION = 1
DOCS = "docs/errors.md"

# Short names of the codes (the headings of docs/errors.md), for SARIF rules.
TITLES = {
    "SEG0101": "unexpected input", "SEG0102": "unexpected character", "SEG0103": "unclosed text",
    "SEG0104": "not UTF-8", "SEG0105": "NUL character", "SEG0106": "nested too deep",
    "SEG0107": "file too large", "SEG0108": "unknown escape",
    "SEG0109": "segment too large when expanded", "SEG0201": "defined twice",
    "SEG0202": "reference cycle", "SEG0203": "unknown field", "SEG0204": "unknown relation",
    "SEG0205": "unknown column of a relation", "SEG0206": "unknown segment",
    "SEG0207": "unknown event", "SEG0209": "unknown function",
    "SEG0210": "name taken by the schema", "SEG0211": "wrong kind of definition",
    "SEG0212": "snapshot of an unknown segment", "SEG0301": "type mismatch",
    "SEG0302": "value not in the enumeration", "SEG0303": "not a date", "SEG0304": "empty list",
    "SEG0305": "percentage out of range", "SEG0306": "bad number of buckets",
    "SEG0307": "whole number needed", "SEG0308": "relation where a value is needed",
    "SEG0309": "did without an event relation", "SEG0310": "wrong number of arguments",
    "SEG0311": "not a condition", "SEG0312": "relation column outside an aggregate",
    "SEG0313": "not allowed inside a relation filter", "SEG0314": "pattern not a literal",
    "SEG0315": "no order", "SEG0316": "block without where", "SEG0317": "unknown metadata",
    "SEG0401": "no project", "SEG0402": "unreadable segdsl.toml",
    "SEG0403": "invalid schema or settings", "SEG0404": "unknown column type",
    "SEG0405": "names that clash", "SEG0406": "unknown time zone",
    "SEG0407": "unreadable .seg file",
    "SEG0501": "untested dialect", "SEG0502": "unknown dialect",
    "SEG0601": "and and or mixed without parentheses", "SEG0602": "condition that is never true",
    "SEG0603": "negation that includes missing values", "SEG0604": "duplicate segment",
    "SEG0701": "test not valid TOML", "SEG0702": "not a test line", "SEG0703": "test defined twice",
    "SEG0704": "no as_of", "SEG0705": "no subject or several", "SEG0706": "unknown table or key in a test",
    "SEG0707": "unknown column in a test", "SEG0708": "wrong type in a test", "SEG0709": "a date that does not exist",
    "SEG0710": "value not in the enumeration (test)", "SEG0711": "key not among the test's customers",
    "SEG0712": "expectations missing or mixed", "SEG0713": "unknown subject of a test",
    "SEG0714": "not a member of the family", "SEG0715": "row without its key, or a customer twice",
}


@dataclass(frozen=True)
class Report:
    diagnostic: object
    source: str | None


def _position(span) -> dict:
    known = span.known
    return {"line": span.line if known else None, "column": span.col if known else None,
            "end_line": span.end_line if known else None,
            "end_column": span.end_col if known else None}


def to_json(reports: list[Report], summary: dict) -> str:
    diagnostics = []
    for r in reports:
        d = r.diagnostic
        diagnostics.append({
            "code": d.code, "severity": d.severity, "message": d.message,
            "path": d.span.path or None, **_position(d.span), "hints": list(d.hints),
            "related": [{"path": s.path or None, **_position(s), "message": note}
                        for s, note in d.related],
            # quick fixes: replace the text of the span with `replacement`
            "fixes": [{"path": f.span.path or None, **_position(f.span), "replacement": f.replacement,
                       "title": f.title} for f in getattr(d, "fixes", ())],
        })
    return json.dumps({"version": JSON_VERSION, "diagnostics": diagnostics, "summary": summary},
                      indent=2, ensure_ascii=False)


# ---- GitHub workflow commands ----------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(reports: list[Report]) -> str:
    lines = []
    for r in reports:
        d = r.diagnostic
        props = []
        span = d.span
        if span.path:
            props.append(("file", span.path))
        if span.known:
            props += [("line", span.line), ("endLine", span.end_line)]
            if span.end_line == span.line:  # GitHub takes columns only within one line
                props += [("col", span.col), ("endColumn", max(span.col, span.end_col - 1))]
        props.append(("title", d.code))
        message = "\n".join([d.message, *(f"help: {h}" for h in d.hints)])
        command = "error" if d.is_error else "warning"
        head = ",".join(f"{k}={_escape_property(str(v))}" for k, v in props)
        lines.append(f"::{command} {head}::{_escape_data(message)}")
    return "\n".join(lines)


# ---- SARIF 2.1.0 -----------------------------------------------------------------------------


def _uri(path: str) -> str:
    return quote(PurePath(path).as_posix(), safe="/")


def _region(span, source: str | None) -> dict:
    region = {"startLine": span.line, "startColumn": span.col, "endLine": span.end_line,
              "endColumn": span.end_col}
    line = _line(source, span.line)
    if line is not None:  # the text of the region (its first line), unless it is huge
        text = line[span.col - 1:span.end_col - 1] if span.end_line == span.line else line[span.col - 1:]
        if 0 < len(text) <= 200:
            region["snippet"] = {"text": text}
    return region


def _line(source: str | None, number: int) -> str | None:
    if source is None or number < 1:
        return None
    lines = source.splitlines()
    return lines[number - 1] if number <= len(lines) else None


def _fingerprint_text(d, source: str | None) -> str:
    """What identifies a finding across unrelated edits: the text of its source line and of
    its span (whitespace-normalised), not the line number; else the message."""
    span = d.span
    line = _line(source, span.line) if span.known else None
    if line is None:
        return d.message
    piece = line[span.col - 1:span.end_col - 1] if span.end_line == span.line else line[span.col - 1:]
    return " ".join(line.split()) + "\0" + " ".join(piece.split())


def fingerprints(reports: list[Report]) -> list[str]:
    """A hash of code + path + line/span text; the n-th repeat of the same text in a file
    gets n in the hash so that identical lines do not collide."""
    seen: dict[str, int] = {}
    out = []
    for r in reports:
        d = r.diagnostic
        key = "\0".join([d.code, d.span.path, _fingerprint_text(d, r.source)])
        seen[key] = seen.get(key, 0) + 1
        out.append(hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()[:32])
    return out


def to_sarif(reports: list[Report], version: str) -> str:
    rules, index = [], {}
    for r in reports:
        d = r.diagnostic
        if d.code not in index:
            index[d.code] = len(rules)
            title = TITLES.get(d.code, d.message)
            rules.append({
                "id": d.code, "name": "".join(w.capitalize() for w in title.replace("`", "").split()),
                "shortDescription": {"text": title},
                "help": {"text": f"{d.code}: see {DOCS} in the segdsl documentation"},
                "defaultConfiguration": {"level": "warning" if d.severity == "warning" else "error"},
            })
    results = []
    for r, fingerprint in zip(reports, fingerprints(reports)):
        d = r.diagnostic
        result = {
            "ruleId": d.code, "ruleIndex": index[d.code],
            "level": "error" if d.is_error else "warning",
            "message": {"text": "\n".join([d.message, *(f"help: {h}" for h in d.hints)])},
            "partialFingerprints": {"segdslFingerprint/v1": fingerprint},
        }
        if d.span.path:
            location = {"artifactLocation": {"uri": _uri(d.span.path), "uriBaseId": "%SRCROOT%"}}
            if d.span.known:
                location["region"] = _region(d.span, r.source)
            result["locations"] = [{"physicalLocation": location}]
        related = [{"id": i, "message": {"text": note},
                    "physicalLocation": {"artifactLocation": {"uri": _uri(s.path), "uriBaseId": "%SRCROOT%"},
                                         **({"region": _region(s, None)} if s.known else {})}}
                   for i, (s, note) in enumerate(d.related) if s.path]
        if related:
            result["relatedLocations"] = related
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "segdsl", "version": version, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)
