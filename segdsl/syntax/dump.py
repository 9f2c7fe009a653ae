"""A syntax tree (or any tree of frozen dataclasses) as stable, readable text: one node per
line, indented under its parent, with its class name and its plain fields; child nodes on
the lines below, labelled with their field. Spans are left out (the text must not change
when the source is only moved). `segdsl compile --emit ast` prints it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from typing import Any

from segdsl.diagnostics import Span


def tree_text(node: Any) -> str:
    return "\n".join(_lines(node, "", 0))


def _is_node(v: Any) -> bool:
    return dataclasses.is_dataclass(v) and not isinstance(v, type) and not _is_plain(v)


def _is_plain(v: Any) -> bool:
    """Dataclasses printed as one value: types (segdsl.types.Type) print as their text."""
    return type(v).__name__ == "Type" and type(v).__module__ == "segdsl.types"


def scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, Decimal)):
        return str(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, tuple):
        return "[" + ", ".join(scalar(x) for x in v) + "]"
    return str(v)


def _fields(node: Any) -> list[tuple[str, Any]]:
    # an optional part left at its None default (`per` of a ranking) is not shown
    return [(f.name, getattr(node, f.name)) for f in dataclasses.fields(node)
            if f.compare and not isinstance(getattr(node, f.name), Span)
            and not (f.default is None and getattr(node, f.name) is None)]


def _has_node(v: Any) -> bool:
    return _is_node(v) or (isinstance(v, tuple) and any(_has_node(x) for x in v))


def _lines(node: Any, label: str, depth: int) -> list[str]:
    pad = "  " * depth
    plain = [f"{k}={scalar(v)}" for k, v in _fields(node) if not _has_node(v)]
    out = [pad + label + " ".join([type(node).__name__] + plain)]
    for k, v in _fields(node):
        if _is_node(v):
            out += _lines(v, f"{k}: ", depth + 1)
        elif isinstance(v, tuple) and _has_node(v):
            out += _items(v, k, depth + 1)
    return out


def _items(items: tuple[Any, ...], label: str, depth: int) -> list[str]:
    out = []
    for i, x in enumerate(items):
        if _is_node(x):
            out += _lines(x, f"{label}[{i}]: ", depth)
        elif isinstance(x, tuple) and _has_node(x):
            out += _items(x, f"{label}[{i}]", depth)
        else:
            out.append("  " * depth + f"{label}[{i}]: {scalar(x)}")
    return out
