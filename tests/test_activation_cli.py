"""`segdsl materialize` and `segdsl export` from the command line: output formats, exit codes,
atomic files, Ctrl-C, the missing extra; and `segdsl check` on the `[activation]` table."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys

import pytest

from tests.analysis.fixture import AS_OF, invoke, project_dir, warehouse  # noqa: F401
from tests.test_export import COLUMNS, PEOPLE, SEG, TOML


def events_count(path) -> int:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM segdsl_membership_events").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def duck(project_dir, tmp_path):
    """(project folder, --db args) on a fresh DuckDB copy of the analysis data."""
    from tests.analysis.fixture import _load_duckdb

    path = tmp_path / "w.duckdb"
    _load_duckdb(path)
    return project_dir, ["--db", str(path)], path


def test_materialize_json(project_dir, warehouse):
    result = invoke("materialize", project_dir, "-s", "pros", "-s", "young", "--as-of", AS_OF, "-f", "json",
                    *warehouse.args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["as_of"] == "2024-06-30" and data["at"] == "2024-07-01T00:00:00"
    assert data["dialect"] == warehouse.kind
    assert [(s["segment_id"], s["members"], s["entered"], s["exited"]) for s in data["segments"]] == [
        ("pros", 5, 5, 0), ("young", 4, 4, 0)]


def test_materialize_text_and_exit_codes(duck):
    project, db, path = duck
    result = invoke("materialize", project, "--as-of", AS_OF, *db)
    assert result.exit_code == 0, result.output
    assert "materialized 5 segment(s) as of 2024-06-30 on duckdb into segdsl_memberships" in result.stdout
    assert "big_spenders" in result.stdout
    before = events_count(path)
    earlier = invoke("materialize", project, "--as-of", "2024-06-29", *db)
    assert earlier.exit_code == 2
    assert "error: --as-of 2024-06-29 is before the last run" in earlier.stderr
    assert events_count(path) == before
    assert invoke("materialize", project, "-s", "nobody", *db).exit_code == 2
    assert invoke("materialize", project, "-f", "yaml", *db).exit_code == 2
    assert invoke("materialize", project, "--as-of", "2024-13-01", *db).exit_code == 2


def test_materialize_ctrl_c_writes_nothing(duck, monkeypatch):
    from segdsl.activation import membership

    project, db, path = duck
    assert invoke("materialize", project, "--as-of", AS_OF, *db).exit_code == 0
    before = events_count(path)

    def interrupted(self, ids):
        raise KeyboardInterrupt

    monkeypatch.setattr(membership.Writer, "apply", interrupted)
    result = invoke("materialize", project, "--as-of", "2024-07-10", *db)
    assert result.exit_code == 130 and "interrupted" in result.stderr
    monkeypatch.undo()
    assert events_count(path) == before
    # the last run is still the first one: an as-of between the two is accepted
    assert invoke("materialize", project, "--as-of", "2024-07-01", *db).exit_code == 0


@pytest.fixture
def people(tmp_path):
    import duckdb

    project = tmp_path / "people"
    project.mkdir()
    (project / "segdsl.toml").write_text(TOML)
    (project / "segments.seg").write_text(SEG)
    path = tmp_path / "people.duckdb"
    con = duckdb.connect(str(path))
    types = ["BIGINT", "TEXT"] + ["TEXT"] * 8 + ["BOOLEAN"]
    con.execute("CREATE TABLE people (" + ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, types)) + ")")
    con.executemany(f"INSERT INTO people VALUES ({', '.join('?' for _ in COLUMNS)})", PEOPLE)
    con.close()
    return project, ["--db", str(path)]


def test_export_to_a_file(people, tmp_path):
    project, db = people
    out = tmp_path / "audience.csv"
    result = invoke("export", project, "-s", "pros", "--to", "google", "-o", out, *db)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["Email", "Phone", "First Name", "Last Name", "Country", "Zip"]
    assert rows[1] == [hashlib.sha256(b"john.smith@example.com").hexdigest(),
                       hashlib.sha256(b"+14155550123").hexdigest(),
                       hashlib.sha256(b"john").hexdigest(), hashlib.sha256(b"smith").hexdigest(), "US", "94045-1234"]
    assert len(rows) == 3
    assert "wrote 2 rows to" in result.stderr and "identifiers hashed (SHA-256)" in result.stderr
    assert "left out 2 member(s): no consent" in result.stderr
    assert "dropped 1 identifier(s): invalid email" in result.stderr
    # identifiers are never printed
    assert "example.com" not in result.output and "not-an-email" not in result.output
    again = invoke("export", project, "-s", "pros", "--to", "google", "-o", out, *db)
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = invoke("export", project, "-s", "pros", "--to", "meta", "-o", out, "--force", "-f", "json", *db)
    assert forced.exit_code == 0, forced.output
    summary = json.loads(forced.stdout)
    assert summary["version"] == 1 and summary["to"] == "meta" and summary["rows"] == 2
    assert summary["identifiers_dropped"] == {"invalid email": 1, "invalid phone": 1}
    assert out.read_text(encoding="utf-8").startswith("EMAIL,PHONE,FN,LN,ZIP,CT,ST,COUNTRY,EXTERN_ID")


def test_export_to_stdout_and_usage_errors(people, tmp_path):
    project, db = people
    result = invoke("export", project, "-s", "pros", "--to", "keys", "--ignore-consent", *db)
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout))) == [["customer_id"], ["1"], ["2"], ["3"], ["4"], ["5"]]
    raw = invoke("export", project, "-s", "pros", "--to", "tiktok", "--raw", *db)
    assert raw.stdout.splitlines()[:2] == ["Email,Phone", "john.smith@example.com,+14155550123"]
    assert invoke("export", project, "-s", "pros", "--to", "myspace", *db).exit_code == 2
    assert invoke("export", project, "-s", "pros", "--to", "meta", "-f", "json", *db).exit_code == 2
    assert invoke("export", project, "-s", "nobody", "--to", "meta", *db).exit_code == 2
    assert invoke("export", project, "-s", "pros", "--to", "meta", "-o", tmp_path / "a.txt", *db).exit_code == 2


def test_export_without_the_extra_names_it(people, monkeypatch):
    project, db = people
    monkeypatch.setitem(sys.modules, "phonenumbers", None)  # import phonenumbers -> ImportError
    result = invoke("export", project, "-s", "pros", "--to", "meta", *db)
    assert result.exit_code == 2
    assert "pip install 'segdsl[activation]'" in result.stderr
    assert invoke("export", project, "-s", "pros", "--to", "keys", *db).exit_code == 0  # keys need no extra


def test_export_ctrl_c_leaves_no_file(people, tmp_path, monkeypatch):
    from segdsl.warehouse import members

    project, db = people
    out = tmp_path / "audience.csv"

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(members, "_write_csv", interrupted)
    result = invoke("export", project, "-s", "pros", "--to", "google", "-o", out, *db)
    assert result.exit_code == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people", "people.duckdb"]


@pytest.mark.parametrize("table, code, message", [
    ('emial = "email"', "SEG0480", "[activation]: unknown key `emial`"),
    ('email = "mail"', "SEG0481", "`email` names `mail`, which is not a column of [entity]"),
    ('phone = "opt_in"', "SEG0482", "`phone` names `opt_in`, a boolean column"),
    ('default_country = "USA"', "SEG0483", "`default_country` must be a two-letter ISO 3166"),
    ('consent = "plan"', "SEG0484", "`consent` names `plan`, a string column"),
    ('consent = "nobody"', "SEG0484", "`consent` must name a yes/no column of [entity] or a segment"),
])
def test_check_validates_the_activation_table(tmp_path, table, code, message):
    (tmp_path / "segdsl.toml").write_text(TOML.split("[activation]")[0] + "[activation]\n" + table + "\n")
    (tmp_path / "segments.seg").write_text(SEG)
    result = invoke("check", tmp_path)
    assert result.exit_code == 2
    assert f"error[{code}]" in result.output and message in result.output
    assert "segdsl.toml:" in result.output  # points at the line in segdsl.toml
