"""`family.member` and `split.group`: one resolution in the checker, one selection in the
API and the CLI (run and the analysis commands), one error path for a name that is neither."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = (ROOT / "tests" / "cases" / "splits" / "segdsl.toml").read_text(encoding="utf-8")
BOTH = ('split ab {\n  control 10%\n  treatment 90%\n}\n'
        'family stage {\n  old where age > 60\n  young where age <= 60\n  else unknown\n}\n')


def _project(text: str):
    import segdsl

    return segdsl.Project.from_sources(SCHEMA, {"example.seg": text})


def _codes(text: str) -> list[tuple[str, str]]:
    return [(d.code, d.message + " | " + " ".join(d.hints)) for d in _project(text).check() if d.is_error]


def test_members_and_groups_are_used_together():
    text = BOTH + "segment s where in segment stage.old and in segment ab.treatment\n"
    p = _project(text)
    assert _codes(text) == []
    assert p.compile("s", dialect="duckdb", as_of="2024-06-30").startswith("SELECT")


@pytest.mark.parametrize(("use", "code", "said"), [
    ("stage.od", "SEG0206", "did you mean `stage.old`"),
    ("ab.contrl", "SEG0359", "did you mean `control`"),
    ("stag.old", "SEG0360", "did you mean `stage`"),
    ("abb.control", "SEG0360", "did you mean `ab`"),
    ("s0.x", "SEG0360", "is a segment, not a split or a family"),
])
def test_one_error_path_for_a_dotted_name(use, code, said):
    found = _codes(BOTH + f"segment s0 where age > 1\nsegment s where in segment {use}\n")
    assert len(found) == 1 and found[0][0] == code and said in found[0][1], found


def test_the_cli_selects_members_and_groups_and_refuses_their_owners():
    from segdsl.cli.run_cmd import project_segments

    p = _project(BOTH + "segment s where age > 1\n")
    # source order: the family's members where the family is, a split's groups only when named
    assert project_segments(p, None) == ["stage.old", "stage.young", "stage.unknown", "s"]
    assert project_segments(p, ["stage.young", "ab.control"]) == ["stage.young", "ab.control"]
    with pytest.raises(KeyError, match=r"`stage` is a family, not a segment: name one of its members"):
        project_segments(p, ["stage"])
    with pytest.raises(KeyError, match=r"`ab` is a split, not a segment: name one of its groups, e.g. `ab.control`"):
        project_segments(p, ["ab"])
    with pytest.raises(KeyError, match="did you mean `ab.treatment`"):
        project_segments(p, ["ab.treatmnt"])


def test_the_api_names_the_parts_of_a_family_or_split_compiled_whole():
    import segdsl

    p = _project(BOTH)
    for name, said in (("stage", "`stage` is a family"), ("ab", "`ab` is a split")):
        with pytest.raises(segdsl.CompileError) as e:
            p.compile(name, dialect="duckdb")
        assert said in str(e.value.diagnostics[0].message), e.value.diagnostics
    with pytest.raises(segdsl.CompileError) as e:
        p.compile("ab.contro", dialect="duckdb")
    assert "did you mean `ab.control`" in " ".join(e.value.diagnostics[0].hints)
