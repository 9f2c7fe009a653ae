"""The programmes of the examples project (examples/programmes.seg): the lifecycle family's
members and the campaign split's groups on every engine, against the hand-derived lists of
tests/expected/examples_members.py. The family members and the holdout are segments of the
project and run in tests/test_members.py; the split groups are not (a project run leaves them
out), so they run here by their dotted names."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

from tests.expected import examples_members
from tests.fixtures.acme_data import AS_OF, CUSTOMER_IDS, TABLES

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
STAGES = ("champions", "loyal", "lapsed", "at_risk", "newcomers", "others")


@lru_cache(maxsize=None)
def _project():
    import segdsl

    return segdsl.load_project(EXAMPLES)


def test_bucket_table_is_the_md5_rule():
    table = examples_members.PROGRAMME_BUCKETS
    assert sorted(table) == CUSTOMER_IDS
    for key, (holdout, campaign) in table.items():
        assert examples_members.bucket("global_holdout", "global_holdout", key) == holdout, key
        assert examples_members.bucket("summer_campaign", "2024-07", key) == campaign, key


def test_family_expectations_put_each_customer_in_one_stage():
    expected = examples_members.EXPECTED
    members = [k for stage in STAGES for k in expected[f"lifecycle.{stage}"]]
    assert sorted(members) == CUSTOMER_IDS


def test_group_expectations_follow_from_the_buckets():
    """The group lists are the population (from the family's lists) cut at bucket 2000 (20%)."""
    expected, table = examples_members.EXPECTED, examples_members.PROGRAMME_BUCKETS
    population = {k for s in ("champions", "loyal", "newcomers") for k in expected[f"lifecycle.{s}"]}
    groups = examples_members.GROUPS
    assert groups["summer_campaign.control"] == sorted(k for k in population if table[k][1] < 2000)
    assert groups["summer_campaign.treatment"] == sorted(k for k in population if table[k][1] >= 2000)
    assert expected["global_holdout"] == sorted(k for k in CUSTOMER_IDS if table[k][0] < 1000)
    held_out = set(expected["global_holdout"])
    assert expected["summer_send"] == [k for k in groups["summer_campaign.treatment"] if k not in held_out]


def test_split_groups_are_not_project_segments():
    names = set(_project().segment_names())
    assert not names & set(examples_members.GROUPS)
    assert {"global_holdout", "summer_send", "lifecycle.others"} <= names


@pytest.mark.parametrize("group", list(examples_members.GROUPS))
def test_split_group_members(engine, group):
    with open(EXAMPLES / "segdsl.toml", "rb") as f:
        schema = tomllib.load(f)
    sql = _project().compile(group, dialect=engine.dialect, as_of=AS_OF)
    engine.load(schema, TABLES)
    got = engine.keys_many([sql])[0]
    assert got == examples_members.GROUPS[group], f"{group} on {engine.dialect}\nSQL:\n{sql}"
