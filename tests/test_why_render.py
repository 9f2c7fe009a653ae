"""How `segdsl why` writes values (as the language writes them) and reads keys (by the key
column's type)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import segdsl
from segdsl.why import WhyError, parse_key
from segdsl.why.render import json_value, value_text

SCHEMA = """
[entity]
name = "account"
table = "accounts"
key = "account_id"

[entity.columns]
account_id = "{key}"
plan = "string"
"""


@pytest.mark.parametrize("value, text", [
    (None, "missing"), (True, "true"), (False, "false"), (3, "3"), (Decimal("812.50"), "812.50"),
    (206.42000000000002, "206.42"), (float("nan"), "missing"), ("West \"Coast\"", '"West \\"Coast\\""'),
    (dt.date(2024, 6, 1), "2024-06-01"), (dt.datetime(2024, 6, 1, 10, 30), "2024-06-01 10:30:00"),
    (["a", None], '["a", missing]'),
])
def test_values_are_written_as_the_language_writes_them(value, text):
    assert value_text(value) == text


def test_json_values_are_plain_json():
    assert json_value(Decimal("812.50")) == 812.5
    assert json_value(Decimal("12")) == 12 and isinstance(json_value(Decimal("12")), int)
    assert json_value(206.42000000000002) == 206.42
    assert json_value(dt.date(2024, 6, 1)) == "2024-06-01"
    assert json_value(float("nan")) is None
    assert json_value(("a", 1)) == ["a", 1]


def test_keys_are_read_by_the_key_columns_type():
    numbers = segdsl.Project.from_sources(SCHEMA.format(key="integer"), {})
    assert parse_key(numbers, " 42 ") == 42
    with pytest.raises(WhyError) as info:
        parse_key(numbers, "A-42")
    assert info.value.diagnostic.code == "SEG0721"
    texts = segdsl.Project.from_sources(SCHEMA.format(key="string"), {})
    assert parse_key(texts, "A-42") == "A-42"
