"""Reference dates: `[project] as_of`, and `as_of=` as a date, a datetime or a string."""

from __future__ import annotations

import datetime as dt

import pytest

import segdsl
from segdsl.as_of import AsOf, AsOfError, coerce, parse

SCHEMA = """
[project]
timezone = "America/New_York"
{as_of}

[entity]
table = "customers"
key = "customer_id"

[entity.columns]
customer_id = "integer"
signup_date = "date"
"""
SEGMENTS = {"recent.seg": "segment recent where signup_date in last 30 days\n"}


def project(as_of_line: str = ""):
    return segdsl.Project.from_sources(SCHEMA.format(as_of=as_of_line), SEGMENTS)


def test_project_as_of_is_the_default_reference():
    p = project('as_of = "2024-06-30"')
    assert p.check() == []
    assert p.reference() == AsOf(dt.date(2024, 6, 30))
    assert p.compile("recent") == p.compile("recent", as_of=dt.date(2024, 6, 30))
    assert "2024-05-31" in p.compile("recent")
    # the argument wins over the setting
    assert "2024-01-01" in p.compile("recent", as_of="2024-01-31")


def test_without_a_reference_the_sql_reads_the_clock():
    p = project()
    assert p.reference() is None
    assert "CURRENT" in p.compile("recent").upper()


def test_an_instant_is_read_in_the_project_time_zone():
    p = project('as_of = "2024-07-01T02:30"')
    reference = p.reference()
    assert reference is not None and reference.date == dt.date(2024, 7, 1)
    assert reference.instant is not None and reference.instant.utcoffset() == dt.timedelta(hours=-4)
    # an aware datetime is converted: 03:00 UTC on July 1st is still June 30th in New York
    utc = dt.datetime(2024, 7, 1, 3, 0, tzinfo=dt.timezone.utc)
    assert p.reference(utc).date == dt.date(2024, 6, 30)
    assert p.compile("recent", as_of=utc) == p.compile("recent", as_of=dt.date(2024, 6, 30))


@pytest.mark.parametrize("line, message", [
    ('as_of = "30/06/2024"', "is not a date YYYY-MM-DD"),
    ('as_of = "9999-12-31"', "outside the supported range 1900-01-01 … 2199-12-31"),
    ("as_of = 2024", "is not a date"),
])
def test_a_bad_project_as_of_is_a_configuration_error_on_its_line(line, message):
    (d,) = project(line).check()
    assert d.code == "SEG0403" and message in d.message
    assert (d.span.path, d.span.line) == ("segdsl.toml", 4)


def test_toml_dates_are_accepted():
    assert project("as_of = 2024-06-30").reference() == AsOf(dt.date(2024, 6, 30))


@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31T10:00"])
def test_the_supported_range(text):
    with pytest.raises(AsOfError, match="1900-01-01 … 2199-12-31"):
        parse(text)
    assert parse("1900-01-01").date == dt.date(1900, 1, 1)
    assert parse("2199-12-31").date == dt.date(2199, 12, 31)


def test_the_api_refuses_a_reference_out_of_range():
    with pytest.raises(AsOfError):
        project().compile("recent", as_of=dt.date(1, 1, 1))
    with pytest.raises(AsOfError):
        coerce(12)  # type: ignore[arg-type]
