"""The pure parts of the editor features for families, splits, parameterised segments,
sequences and `.segtest` files: no server, no client."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from segdsl.lsp import symbols as sym
from segdsl.lsp.complete_uses import after_same, argument_at, segment_items
from segdsl.lsp.navigate import Navigator
from segdsl.lsp.programmes import snippet
from segdsl.lsp.workspace import ProjectState, is_project_file
from tests.lsp.test_lsp_constructs import CAMPAIGNS, PROGRAMMES

HERE = Path(__file__).resolve().parent


@pytest.fixture
def state(tmp_path) -> ProjectState:
    root = tmp_path / "project"
    shutil.copytree(HERE / "project", root)
    (root / "programmes.seg").write_text(PROGRAMMES)
    (root / "campaigns.seg").write_text(CAMPAIGNS)
    s = ProjectState(root)
    s.check()
    return s


def test_members_and_params_of_the_project(state):
    assert state.members() == {"lifecycle": ("champions", "at_risk", "others"), "spring": ("control", "treatment")}
    (params,) = state.params().values()
    assert [p.name for p in params] == ["r", "min_orders"]


def test_the_argument_a_cursor_is_at():
    r, n = SimpleNamespace(name="r"), SimpleNamespace(name="min_orders")
    params = {"regulars_in": (r, n)}
    words = "segment s where in segment regulars_in (".split()
    assert argument_at(words, params) is r
    assert argument_at([*words, '"South"', ","], params) is n
    assert argument_at([*words, "min_orders", ":", "3", ",", "r", ":"], params) is r
    assert argument_at([*words, "min_orders", ":", "3", ","], params) is r  # the first one not named
    assert argument_at([*words, '"South"', ",", "3", ","], params) is None  # no third parameter
    assert argument_at([*words, '"South"'], params) is None  # after a value
    assert argument_at("segment s where count (".split(), params) is None


def test_with_same_wants_a_column():
    assert after_same("did x then y with same".split())
    assert after_same("did x then y with same city ,".split())
    assert not after_same("did x then y with same city".split())
    assert not after_same("starts with".split())


def test_snippet_and_items_of_a_parameterised_segment(state):
    (params,) = state.params().values()
    assert snippet("regulars_in", params) == ("regulars_in(r, min_orders)", "regulars_in(${1:r}, ${2:3})")
    items = {i.label: i for i in segment_items(state.kinds(), state.params(), state.members())}
    assert "regulars_in" not in items and "regulars_in(r, min_orders)" in items
    assert items["spring.treatment"].detail == "member of spring"


def test_occurrences_of_members_parameters_and_sequences(state):
    nav = Navigator(state)
    found = {(o.kind, o.name, o.declaration) for o in nav.occurrences(str(state.root / "programmes.seg"))}
    assert {(sym.MEMBER, "lifecycle.others", True), (sym.MEMBER, "spring.control", True),
            (sym.PARAM, "regulars_in.r", True), (sym.PARAM, "regulars_in.min_orders", False),
            (sym.FIELD, "region", False)} <= found
    assert not any(name.startswith("global_holdout.") for _, name, _ in found)  # a holdout is a segment
    used = [o for o in nav.occurrences(str(state.root / "campaigns.seg"))]
    kinds = {(o.kind, o.name) for o in used}
    assert {(sym.TRAIT, "lifecycle"), (sym.MEMBER, "lifecycle.champions"), (sym.MEMBER, "spring.treatment"),
            (sym.SEGMENT, "regulars_in"), (sym.EVENT, "email_click"), (sym.COLUMN, "events.city"),
            (sym.SEQUENCE, "then")} <= kinds
    call = next(o for o in used if o.name == "regulars_in")
    assert call.whole is not None and call.span.end_col - call.span.col == len("regulars_in")


def test_a_member_in_quotes_is_renamed_with_the_member(state):
    (state.root / "more.seg").write_text('segment not_others where lifecycle != "others"\n')
    state.reload_disk()
    state.check()
    nav = Navigator(state)
    (o,) = [o for o in nav.occurrences(str(state.root / "more.seg")) if o.kind == sym.MEMBER]
    assert o.name == "lifecycle.others" and o.span.end_col - o.span.col == len("others")
    edit = nav.rename(str(state.root / "programmes.seg"), 4, 9, "everyone_else")
    assert sorted(len(e) for e in edit.changes.values()) == [1, 1]
    with pytest.raises(ValueError, match="already a member"):
        nav.rename(str(state.root / "programmes.seg"), 4, 9, "at_risk")


def test_segtest_files_are_checked_with_every_subject_the_project_has(state):
    test = state.root / "tests" / "t.segtest"
    test.parent.mkdir()
    body = 'as_of = 2024-06-30\n{}\ncustomers = [{{ customer_id = 1 }}]\n{}\n'
    test.write_text("\n".join([
        'test "a member"\n' + body.format('segment = "lifecycle.champions"', "members = []"),
        'test "a group"\n' + body.format('split = "spring"', "assign = {}"),
        'test "arguments"\n' + body.format("segment = 'regulars_in(\"South\")'", "members = []"),
        'test "unknown"\n' + body.format('segment = "lapsed_vip"', "members = []"),
    ]))
    state.reload_disk()
    found = state.check()
    diags = found[str(test)]
    assert [d.code[:5] for d in diags] == ["SEG07"] and "lapsed_vip" in diags[0].message
    assert [t.subject for t in state.segtests][:3] == ["lifecycle.champions", "spring", 'regulars_in("South")']
    assert is_project_file(str(test)) and not is_project_file("x.segdsl", config=False)


def test_semantic_tokens_of_members_and_parameters(state):
    from segdsl.lsp.tokens import TOKEN_TYPES, encode

    path = str(state.root / "programmes.seg")
    text = state.text(path)
    data = encode(Navigator(state).occurrences(path), text)
    lines, found, line, col = text.split("\n"), {}, 0, 0
    for i in range(0, len(data), 5):
        dl, dc, length, kind, mods = data[i:i + 5]
        line, col = line + dl, (col + dc if dl == 0 else dc)
        found.setdefault((lines[line][col:col + length], line), (TOKEN_TYPES[kind], mods))
    assert found[("champions", 1)] == ("class", 1)  # a member is declared as a segment is
    assert found[("treatment", 7)] == ("class", 1)
    assert found[("min_orders", 10)] == ("parameter", 1)
    assert found[("region", 10)] == ("property", 0)  # `r: region`: the field whose type r takes


def test_members_are_offered_where_a_condition_starts(state):
    from segdsl.lsp.complete import Completer

    completer = Completer(state.project.schema, state.kinds(), {}, state.members(), state.params())
    labels = {i.label for i in completer.complete("segment s where ", len("segment s where "))}
    assert {"in segment lifecycle.at_risk", "in segment spring.control", "then", "with same"} <= labels
    labels = {i.label for i in completer.complete("", 0)}
    assert {"family", "split", "holdout"} <= labels


def test_segtest_diagnostics_are_those_of_check(tmp_path):
    from segdsl.api import load_project

    root = tmp_path / "examples"
    shutil.copytree(HERE.parent.parent / "examples", root)
    tests = sorted(root.rglob("*.segtest"))
    assert tests
    broken = tests[0].read_text().replace("as_of", "as_off", 1) + '\ntest "x"\nas_of = 2024-06-30\nsegment = "lifecycle.champion"\n'
    tests[0].write_text(broken)
    state = ProjectState(root)
    by_path = state.check()
    mine = sorted(str(d) for p in tests for d in by_path[str(p)])
    theirs = sorted(str(d) for d in load_project(root).check() if d.span.path.endswith(".segtest"))
    assert mine == theirs and len(mine) >= 2


def test_a_tests_subject_is_completed_inside_its_quotes(state):
    from segdsl.lsp.complete_uses import subject_items

    text = 'test "t"\nas_of = 2024-06-30\nsegment = "'
    labels = {i.label for i in subject_items(state, text, len(text))}
    assert {"lifecycle.champions", "global_holdout", "champions_west"} <= labels
    assert "regulars_in" not in labels and "spring" not in labels
    text = 'test "t"\nsplit = "sp"\n'
    items = {i.label: i for i in subject_items(state, text, len(text) - 2)}
    assert set(items) == {"spring", "global_holdout"}
    assert items["spring"].text_edit.new_text == "spring"  # the closing quote is there
    assert subject_items(state, "members = [", len("members = [")) == []


def test_renaming_a_family_renames_the_first_part_of_its_members_uses(state):
    nav = Navigator(state)
    edit = nav.rename(str(state.root / "programmes.seg"), 1, 9, "stage")
    (use,) = edit.changes[(state.root / "campaigns.seg").resolve().as_uri()]
    assert use.new_text == "stage" and (use.range.start.character, use.range.end.character) == (40, 49)
