"""`Project.export`: identifiers normalised as each platform documents, hashed with SHA-256
(checked against hashlib), the platforms' headers, consent, and the summary of what was
dropped; on DuckDB and Postgres.

The platforms' documentation, quoted:

- Meta, "How to format a customer list" (Business Help Centre): "Phone numbers must include
  a country code to be used for matching. For example, the number 1 must precede a phone
  number in the United States." Examples: "1-234-567-8910", "12345678910", "+44 844 412 4653".
- Meta, customer information parameters (Conversions API): email "Trim any leading and
  trailing white space. Convert all characters to lowercase."; phone "Remove symbols,
  letters, and any leading zeros."; city "Lowercase only with no punctuation, no special
  characters, and no spaces."; zip "Use only the first 5 digits for U.S. zip codes. Use the
  area, district, and sector format for the UK."; country "Use the lowercase, 2-letter
  country codes in ISO 3166-1 alpha-2."
- TikTok, "List of supported IDs and formats for a customer file": Phone "E.164 format only
  - "+" & Country Code & Phone Number, no space - For example, +442071838750"; and, for digits,
  "The US phone number (657)777-0000 is normalized to "16577770000". The international phone
  number 374-93-828222 is normalized to "37493828222"". Email: "Lowercase only".
- Google Ads API (OfflineUserAddressInfo): first name "hashed as SHA-256 after normalized
  (Lowercase all characters; Remove any extra spaces before, after, and in between)";
  "country_code is a 2-letter ISO-3166-1 alpha-2 code". Display & Video 360, "Prepare user
  data": "Make all string values lowercase. Format phone number value using the E.164 format.
  Include the country code." Hash "using the SHA256 algorithm".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid

import pytest

from segdsl.activation import normalise as n

D = dt.date


def h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---- normalisation, against the documented examples ----

@pytest.mark.parametrize("written, country, digits", [
    ("1-234-567-8910", "US", "12345678910"),   # Meta's examples
    ("12345678910", "US", "12345678910"),
    ("+44 844 412 4653", None, "448444124653"),
    ("(657)777-0000", "US", "16577770000"),    # TikTok's examples
    ("374-93-828222", "AM", "37493828222"),
])
def test_meta_phone_digits_with_country_code(written, country, digits):
    assert n.phone(written, country, "digits") == digits
    assert n.phone(written, country, "e164") == "+" + digits


def test_e164_for_google_and_tiktok():
    assert n.phone("+442071838750", None, "e164") == "+442071838750"  # TikTok's example
    assert n.phone("+1 (415) 555-0123", None, "e164") == "+14155550123"
    assert n.phone("(415) 555-0123", "US", "e164") == "+14155550123"


def test_phones_that_are_dropped_and_why():
    with pytest.raises(n.Dropped) as no_country:
        n.phone("1-234-567-8910", None, "e164")  # no `+` and no [activation] default_country
    assert no_country.value.reason == n.PHONE_WITHOUT_COUNTRY
    for bad in ("12", "not a phone", "+1 555"):
        with pytest.raises(n.Dropped) as invalid:
            n.phone(bad, "US", "e164")
        assert invalid.value.reason == n.INVALID_PHONE
    assert n.phone("   ", "US", "e164") is None and n.phone(None, "US", "e164") is None  # missing, not dropped


def test_email_trimmed_and_lowercased_only():
    assert n.email("  John.Smith+News@Example.COM ") == "john.smith+news@example.com"  # dots and +tags stay
    for bad in ("john", "john@", "a b@example.com", "a@b@example.com", "john@example"):
        with pytest.raises(n.Dropped) as invalid:
            n.email(bad)
        assert invalid.value.reason == n.INVALID_EMAIL


def test_meta_names_city_state_zip_country():
    assert n.letters("Menlo Park") == "menlopark"
    assert n.letters("  O'Brien-Smith ") == "obriensmith"
    assert n.letters("Émilie") == "émilie"  # UTF-8 letters are kept, as Meta allows
    assert n.letters("CA") == "ca"
    assert n.meta_zip("94045-1234", "us") == "94045"
    assert n.meta_zip("SW1A 1AA", "gb") == "sw1a1"  # area, district and sector
    assert n.meta_zip("75001", "fr") == "75001"
    assert n.country(" US ") == "us"
    with pytest.raises(n.Dropped):
        n.country("USA")


def test_google_names():
    assert n.spaced_lower("  Mary   Ann ") == "mary ann"
    assert n.plain_zip(" 94045-1234 ") == "94045-1234"


def test_hash_is_sha256_hex_of_the_utf8_text():
    assert n.sha256("john.smith@example.com") == h("john.smith@example.com")
    assert n.sha256("émilie") == hashlib.sha256("émilie".encode()).hexdigest()
    assert n.sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


# ---- export from a warehouse ----

TOML = """
[entity]
name = "customer"
table = "people"
key = "customer_id"

[entity.columns]
customer_id = "integer"
plan = { type = "string", values = ["free", "pro"] }
email = "string"
phone = "string"
first_name = "string"
last_name = "string"
zip = "string"
city = "string"
state = "string"
country = "string"
opt_in = "boolean"

[activation]
email = "email"
phone = "phone"
first_name = "first_name"
last_name = "last_name"
zip = "zip"
city = "city"
state = "state"
country = "country"
default_country = "US"
consent = "opt_in"
"""
SEG = 'segment pros where plan = "pro"\nsegment has_email where email is set\n'
COLUMNS = ("customer_id", "plan", "email", "phone", "first_name", "last_name", "zip", "city", "state",
           "country", "opt_in")
PEOPLE = [
    (1, "pro", " John.Smith@Example.COM ", "+1 (415) 555-0123", "John", "Smith", "94045-1234", "Menlo Park",
     "CA", "US", True),
    (2, "pro", "mary@example.com", "(657)777-0000", "Émilie", "O'Brien-Smith", "SW1A 1AA", "London", None,
     "GB", True),
    (3, "pro", "not-an-email", "12", None, None, None, None, None, None, True),  # nothing usable
    (4, "pro", "ann@example.com", "+44 844 412 4653", "Ann", "Lee", None, None, None, "GB", False),
    (5, "pro", None, "+442071838750", None, None, None, None, None, None, None),  # consent unknown: no
    (6, "free", "bob@example.com", None, "Bob", "Free", None, None, None, "US", True),
]


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def people(request, tmp_path):
    """(project, warehouse) with the six people above."""
    import segdsl

    (tmp_path / "segdsl.toml").write_text(TOML)
    (tmp_path / "segments.seg").write_text(SEG)
    project = segdsl.load_project(tmp_path)
    assert [d for d in project.check() if d.is_error] == []
    types = ["BIGINT", "TEXT"] + ["TEXT"] * 8 + ["BOOLEAN"]
    ddl = "CREATE TABLE people (" + ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, types)) + ")"
    if request.param == "duckdb":
        import duckdb

        path = tmp_path / "people.duckdb"
        con = duckdb.connect(str(path))
        con.execute(ddl)
        con.executemany(f"INSERT INTO people VALUES ({', '.join('?' for _ in COLUMNS)})", PEOPLE)
        con.close()
        yield project, str(path)
        return
    import psycopg
    from psycopg.conninfo import make_conninfo

    dsn = request.getfixturevalue("postgres_engine").dsn
    schema = f"segdsl_export_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
        con.execute(f"SET search_path TO {schema}")
        con.execute(ddl)
        with con.cursor() as cur:
            cur.executemany(f"INSERT INTO people VALUES ({', '.join('%s' for _ in COLUMNS)})", PEOPLE)
    try:
        yield project, make_conninfo(dsn, options=f"-csearch_path={schema}")
    finally:
        with psycopg.connect(dsn, autocommit=True) as con:
            con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


JOHN_GOOGLE = ("john.smith@example.com", "+14155550123", "john", "smith", "US", "94045-1234")
MARY_GOOGLE = ("mary@example.com", "+16577770000", "émilie", "o'brien-smith", "GB", "SW1A 1AA")


def test_google_raw_rows_and_summary(people):
    project, warehouse = people
    result = project.export("pros", to="google", warehouse=warehouse, raw=True)
    assert result.header == ("Email", "Phone", "First Name", "Last Name", "Country", "Zip")
    assert result.rows == [JOHN_GOOGLE, MARY_GOOGLE]
    assert result.summary() == {
        "segment": "pros", "to": "google", "members": 5, "rows": 2, "hashed": False,
        "members_left_out": {"no consent": 2, "no identifier": 1},
        "identifiers_dropped": {"invalid email": 1, "invalid phone": 1}}


def test_google_hashed_except_country_and_zip(people):
    project, warehouse = people
    result = project.export("pros", to="google", warehouse=warehouse)
    expected = [tuple(h(v) for v in row[:4]) + row[4:] for row in (JOHN_GOOGLE, MARY_GOOGLE)]
    assert result.rows == expected and result.hashed


def test_meta_rows(people):
    project, warehouse = people
    raw = project.export("pros", to="meta", warehouse=warehouse, raw=True)
    assert raw.header == ("EMAIL", "PHONE", "FN", "LN", "ZIP", "CT", "ST", "COUNTRY", "EXTERN_ID")
    john = ("john.smith@example.com", "14155550123", "john", "smith", "94045", "menlopark", "ca", "us")
    mary = ("mary@example.com", "16577770000", "émilie", "obriensmith", "sw1a1", "london", "", "gb")
    assert raw.rows == [john + ("1",), mary + ("2",)]
    hashed = project.export("pros", to="meta", warehouse=warehouse)
    assert hashed.rows == [tuple(h(v) if v else "" for v in john) + ("1",),
                           tuple(h(v) if v else "" for v in mary) + ("2",)]


def test_tiktok_rows_and_consent_ignored(people):
    project, warehouse = people
    result = project.export("pros", to="tiktok", warehouse=warehouse, ignore_consent=True)
    assert result.header == ("Email_SHA256", "Phone_SHA256")
    assert result.rows == [(h("john.smith@example.com"), h("+14155550123")),
                           (h("mary@example.com"), h("+16577770000")),
                           (h("ann@example.com"), h("+448444124653")),
                           ("", h("+442071838750"))]
    assert result.skipped == {"no identifier": 1}


def test_keys_and_a_consent_segment(people, tmp_path):
    project, warehouse = people
    assert project.export("pros", to="keys", warehouse=warehouse).rows == [(1,), (2,), (3,)]
    toml = (tmp_path / "segdsl.toml").read_text().replace('consent = "opt_in"', 'consent = "has_email"')
    (tmp_path / "segdsl.toml").write_text(toml)
    import segdsl

    other = segdsl.load_project(tmp_path)
    assert [d for d in other.check() if d.is_error] == []
    assert other.export("pros", to="keys", warehouse=warehouse).rows == [(1,), (2,), (3,), (4,)]
