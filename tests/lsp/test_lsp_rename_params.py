"""Rename of a parameterised segment's parameters (its declaration, its uses in the body,
`in last n`, the named arguments of every use and of the tests' subjects), and rename
started from a `.segtest` file's subject."""

from __future__ import annotations

import pytest
from lsprotocol import types as T
from pygls.exceptions import JsonRpcInvalidParams

from tests.lsp.conftest import open_doc, position_of, uri
from tests.lsp.test_lsp_rename_tests_and_sizes import PROGRAMMES, TESTS, applied, edits_of, renamed

pytestmark = [pytest.mark.lsp, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]

PARAMS = """segment regulars_in(r: region, min_orders: number = 3, n: duration = 90 days) where region = r and count(orders in last n) >= min_orders
segment southern where in segment regulars_in(r: "South", min_orders: 5)
segment western where in segment regulars_in("West Coast")
segment other_r where region = "Midwest"
"""

PARAM_TESTS = """test "southern regulars"
as_of = 2024-06-30
segment = 'regulars_in(r: "South", min_orders: 2)'
customers = [{ customer_id = 1, region = "South" }]
members = []
"""


@pytest.fixture
def parameterised(project):
    (project / "params.seg").write_text(PARAMS)
    (project / "params.segtest").write_text(PARAM_TESTS)
    return project


async def test_renaming_a_parameter_edits_the_body_and_the_named_arguments(client, parameterised):
    edit = await renamed(client, parameterised, "params.seg", "r: region", "place")
    changes = edits_of(edit)
    assert applied(PARAMS, changes[uri(parameterised / "params.seg")]) == PARAMS.replace(
        "(r: region", "(place: region").replace("region = r ", "region = place ").replace(
        '(r: "South"', '(place: "South"')
    assert applied(PARAM_TESTS, changes[uri(parameterised / "params.segtest")]) == PARAM_TESTS.replace(
        "(r: ", "(place: ")
    assert sorted(u.rsplit("/", 1)[1] for u in changes) == ["params.seg", "params.segtest"]


async def test_a_parameter_is_renamed_from_a_use_and_in_a_window(client, parameterised):
    edit = await renamed(client, parameterised, "params.seg", "in last n", "days_back", len("in last "))
    after = applied(PARAMS, edits_of(edit)[uri(parameterised / "params.seg")])
    assert after == PARAMS.replace("n: duration", "days_back: duration").replace("in last n)", "in last days_back)")
    edit = await renamed(client, parameterised, "params.seg", ">= min_orders", "least", len(">= "))
    after = applied(PARAMS, edits_of(edit)[uri(parameterised / "params.seg")])
    assert after == PARAMS.replace("min_orders", "least")
    assert applied(PARAM_TESTS, edits_of(edit)[uri(parameterised / "params.segtest")]) == \
        PARAM_TESTS.replace("min_orders", "least")


async def test_a_parameter_cannot_take_a_name_already_in_use(client, parameterised):
    text = (parameterised / "params.seg").read_text()
    doc = await open_doc(client, parameterised / "params.seg", text)
    pos = position_of(text, "r: region")
    prepared = await client.text_document_prepare_rename_async(T.PrepareRenameParams(T.TextDocumentIdentifier(doc), pos))
    assert prepared is not None and (prepared.start.character, prepared.end.character) == (20, 21)
    for taken, problem in [("min_orders", "already a parameter of `regulars_in`"),
                           ("other_r", "already defined in this project"),
                           ("city", "a field or relation of the schema")]:
        with pytest.raises(JsonRpcInvalidParams, match=problem):
            await client.text_document_rename_async(T.RenameParams(T.TextDocumentIdentifier(doc), pos, taken))


@pytest.fixture
def programmes(project):
    (project / "programmes.seg").write_text(PROGRAMMES)
    (project / "tests.segtest").write_text(TESTS)
    return project


async def test_rename_starts_from_a_test_subject(client, programmes):
    doc = await open_doc(client, programmes / "tests.segtest", TESTS)
    pos = position_of(TESTS, '"lapsed_vips"', 3)
    prepared = await client.text_document_prepare_rename_async(T.PrepareRenameParams(T.TextDocumentIdentifier(doc), pos))
    assert prepared == T.Range(T.Position(2, 11), T.Position(2, 22))
    edit = await client.text_document_rename_async(T.RenameParams(T.TextDocumentIdentifier(doc), pos, "old_vips"))
    changes = edits_of(edit)
    assert sorted(u.rsplit("/", 1)[1] for u in changes) == ["audiences.seg", "segments.seg", "tests.segtest"]
    assert applied(TESTS, changes[uri(programmes / "tests.segtest")]) == TESTS.replace('"lapsed_vips"', '"old_vips"')
    segments = (programmes / "segments.seg").read_text()
    assert "segment old_vips where" in applied(segments, changes[uri(programmes / "segments.seg")])


async def test_rename_from_a_test_renames_a_member_or_a_family(client, programmes):
    edit = await renamed(client, programmes, "tests.segtest", '"lifecycle.others"', "rest", len('"lifecycle.o'))
    changes = edits_of(edit)
    assert applied(TESTS, changes[uri(programmes / "tests.segtest")]) == TESTS.replace(
        '1 = "others"', '1 = "rest"').replace('"lifecycle.others"', '"lifecycle.rest"')
    assert "else rest" in applied(PROGRAMMES, changes[uri(programmes / "programmes.seg")])
    edit = await renamed(client, programmes, "tests.segtest", 'family = "lifecycle"', "stage", len('family = "l'))
    assert applied(TESTS, edits_of(edit)[uri(programmes / "tests.segtest")]) == TESTS.replace('"lifecycle', '"stage')
    doc = uri(programmes / "tests.segtest")
    pos = position_of(TESTS, "as_of = 2024-06-30")  # not a subject: nothing to rename
    assert await client.text_document_prepare_rename_async(T.PrepareRenameParams(T.TextDocumentIdentifier(doc), pos)) is None
