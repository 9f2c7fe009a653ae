"""A why result as text (an indented tree with ✓/✗, or ASCII marks for terminals that are
not UTF-8) and as the JSON of the language spec:
`{"version": 1, "segment", "key", "as_of", "member", "tree": NODE}`, NODE =
`{"text", "value", "operands": [{"text", "value"}], "children": [NODE]}`.

Values are written as the language writes them: numbers as the engine returned them
(812.50), text in double quotes, dates ISO, booleans true/false, a missing value `missing`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from segdsl.why import WhyResult
    from segdsl.why.tree import WhyNode

_MARKS = {True: ("✓", "[+]"), False: ("✗", "[-]")}
_ORDERING = (" < ", " <= ", " > ", " >= ")


def value_text(v: Any) -> str:
    if v is None:
        return "missing"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "missing" if math.isnan(v) else format(v, ".15g")
    if isinstance(v, (int, Decimal)):
        return str(v)
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(value_text(x) for x in v) + "]"
    return str(v)


def json_value(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):  # as many digits as the text shows: 206.42, not 206.42000000000002
        return None if math.isnan(v) else float(format(v, ".15g"))
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and v.as_tuple().exponent == 0 else float(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [json_value(x) for x in v]
    return str(v)


def line(node: WhyNode) -> str:
    """`lifetime_value = 812.50 > 1000` when one value is compared with a constant, else the
    condition followed by the values it compared."""
    ops = node.operands
    if len(ops) == 1:
        # after the label of a family or score rule (`rule gold: `, `+10 points: `), if any
        label = node.text[:node.text.index(": ") + 2] if ": " in node.text else ""
        if not node.text.startswith(label + ops[0].text + " "):
            label = ""
        rest = node.text[len(label) + len(ops[0].text):]
        if node.text.startswith(label + ops[0].text + " ") and rest.startswith(_ORDERING):
            return f"{label}{ops[0].text} = {value_text(ops[0].value)}{rest}"
    if not ops:
        return node.text
    return f"{node.text}   ({', '.join(f'{o.text} = {value_text(o.value)}' for o in ops)})"


def tree_text(result: WhyResult, unicode: bool = True) -> str:
    verdict = "is in" if result.member else "is not in"
    lines = [f"{result.key} {verdict} segment {result.segment} (as of {result.as_of})"]
    stack: list[tuple[WhyNode, int]] = [(result.tree, 0)]
    while stack:
        node, depth = stack.pop()
        mark = _MARKS[node.value][0 if unicode else 1]
        lines.append(f"{'  ' * depth}{mark} {line(node)}")
        stack.extend((c, depth + 1) for c in reversed(node.children))
    return "\n".join(lines)


def node_json(node: WhyNode) -> dict[str, Any]:
    return {"text": node.text, "value": node.value,
            "operands": [{"text": o.text, "value": json_value(o.value)} for o in node.operands],
            "children": [node_json(c) for c in node.children]}


def result_json(result: WhyResult) -> dict[str, Any]:
    return {"version": 1, "segment": result.segment, "key": json_value(result.key),
            "as_of": result.as_of, "member": result.member, "tree": node_json(result.tree)}
