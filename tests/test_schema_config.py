"""segdsl.toml: every schema problem is a diagnostic at the line that causes it."""

from __future__ import annotations

import pytest

BASE = '''[entity]
name = "customer"
table = "customers"
key = "customer_id"

[entity.columns]
customer_id = "integer"
email = "string"
'''


def check(tmp_path, toml: str):
    import segdsl

    (tmp_path / "segdsl.toml").write_text(toml)
    (tmp_path / "a.seg").write_text("segment a where email is set\n")
    return [(d.code, d.span.line, d.message) for d in segdsl.load_project(tmp_path).check()]


@pytest.mark.parametrize(("extra", "code", "line", "words"), [
    ('age = "integr"\n', "SEG0404", 9, "unknown type `integr`"),
    ('Email = "string"\n', "SEG0405", 9, "differ only by case"),
    ('plan = { type = "integer", values = ["a"] }\n', "SEG0403", 9, "only for string"),
    ('\n[relations.orders]\ntable = "orders"\nkey = "customer_id"\ntime = "ordered"\n'
     '[relations.orders.columns]\nordered_at = "timestamp"\n', "SEG0403", 13, "time column `ordered`"),
    ('\n[relations.events]\ntable = "events"\nkey = "customer_id"\nevent = "n"\n'
     '[relations.events.columns]\nn = "integer"\n', "SEG0403", 13, "must be a string"),
    ('\n[project]\ntimezone = "Mars/Olympus"\n', "SEG0406", 11, "unknown time zone"),
    ('\n[project]\ndialect = "oracle"\n', "SEG0403", 11, "unknown dialect"),
    ('\n[project]\ntimezon = "UTC"\n', "SEG0403", 11, "unknown setting `timezon`"),
])
def test_schema_errors_point_at_their_line(tmp_path, extra, code, line, words):
    found = check(tmp_path, BASE + extra)
    assert len(found) == 1, found
    assert found[0][:2] == (code, line) and words in found[0][2]


def test_missing_entity_key_column(tmp_path):
    found = check(tmp_path, BASE.replace('key = "customer_id"', 'key = "id"'))
    assert [(c, l) for c, l, _ in found] == [("SEG0403", 4)]


def test_the_relation_key_takes_the_entity_key_type(tmp_path):
    import segdsl

    check(tmp_path, BASE + '\n[relations.orders]\ntable = "orders"\nkey = "customer_id"\n')
    schema = segdsl.load_project(tmp_path).schema
    assert schema.relations["orders"].columns["customer_id"].type.kind == "integer"


def test_relations_differing_only_by_case(tmp_path):
    extra = ('\n[relations.orders]\ntable = "orders"\nkey = "customer_id"\n'
             '\n[relations.Orders]\ntable = "orders2"\nkey = "customer_id"\n')
    found = check(tmp_path, BASE + extra)
    assert [(c, m) for c, _, m in found] == [
        ("SEG0405", "relation `Orders` and relation `orders` differ only by case")]


def test_a_nested_project_is_not_part_of_its_parent(tmp_path):
    import segdsl

    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "segdsl.toml").write_text(BASE)
    (tmp_path / "inner" / "b.seg").write_text("segment a where email is set\n")
    check(tmp_path, BASE)
    assert segdsl.load_project(tmp_path).segment_names() == ["a"]
    assert segdsl.load_project(tmp_path / "inner").check() == []
