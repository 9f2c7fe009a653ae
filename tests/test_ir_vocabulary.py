"""The IR's Literal types tell the truth: every operator, function, unit, direction and kind the
checker puts into the IR of the corpus is one its field's Literal type allows.

mypy proves this for typed code; the checker builds nodes from parsed text, so this test checks
what it actually produces. Fast tier: no engine involved.
"""

from __future__ import annotations

import typing
from functools import cache

import pytest

from segdsl import ir
from segdsl.types import SCALAR_TYPES, Type, is_scalar_kind
from tests.projects import PROJECTS, load


@cache
def _literal_fields(cls: type) -> dict[str, tuple[object, ...]]:
    """Field name -> the values its Literal type allows (fields typed by a Literal only)."""
    out = {}
    for name, hint in typing.get_type_hints(cls).items():
        if typing.get_origin(hint) is typing.Literal:
            out[name] = typing.get_args(hint)
        elif typing.get_origin(hint) in (typing.Union, type(int | str)):
            # `ScalarKind | Literal["list"]`, `ScalarKind | None`: the union of the literals
            parts = typing.get_args(hint)
            if all(typing.get_origin(p) is typing.Literal or p is type(None) for p in parts):
                out[name] = tuple(v for p in parts for v in (typing.get_args(p) or (None,)))
    return out


def _violations(node: object) -> list[str]:
    found = []
    for name, allowed in _literal_fields(type(node)).items():
        value = getattr(node, name)
        if value not in allowed:
            found.append(f"{type(node).__name__}.{name} = {value!r}")
    return found


def test_the_literal_fields_are_found():
    assert _literal_fields(ir.Cmp) == {"op": ir.CMP_OPS}
    assert _literal_fields(ir.Agg) == {"function": ir.AGG_FUNCTIONS}
    assert set(_literal_fields(Type)) == {"kind", "element"}
    assert _violations(ir.Cmp("!=", ir.lit_int(1), ir.lit_int(2))) == ["Cmp.op = '!='"]  # type: ignore[arg-type]


def test_scalar_kinds_narrow_names_read_from_the_schema():
    assert SCALAR_TYPES == ("integer", "number", "string", "boolean", "date", "timestamp")
    assert all(is_scalar_kind(k) for k in SCALAR_TYPES)
    assert not is_scalar_kind("list") and not is_scalar_kind("text") and not is_scalar_kind("Date")


@pytest.mark.parametrize("project", [p for p in PROJECTS if (p.path / "segdsl.toml").exists()],
                         ids=lambda p: p.id)
def test_the_checker_builds_only_values_the_ir_types_allow(project):
    p = load(project)
    seen: set[type] = set()
    problems = []
    for name in p.segment_names():
        for node in ir.walk(p.segment_ir(name)):
            seen.add(type(node))
            problems += [f"{name}: {v}" for v in _violations(node)]
            node_type = getattr(node, "type", None)
            if isinstance(node_type, Type):
                problems += [f"{name}: {v}" for v in _violations(node_type)]
    assert problems == []
    assert len(seen) > 5  # the walk reached into the trees
