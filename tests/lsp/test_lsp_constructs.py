"""Families, splits and holdouts, parameterised segments, sequences and `.segtest` files in
the editor, through a real client."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as T

from tests.lsp.conftest import codes, open_doc, position_of, published, uri
from tests.lsp.test_lsp_completion import complete

pytestmark = [pytest.mark.lsp, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]

PROGRAMMES = """\
family lifecycle "Lifecycle stage" {
  champions where lifetime_value >= 1000
  at_risk where last_order_at before 90 days ago
  else others
}
split spring where in segment lapsed_vips {
  control 10%
  treatment 90%
}
holdout global_holdout 5%
segment regulars_in(r: region, min_orders: number = 3) where region = r and orders_90d >= min_orders
"""
CAMPAIGNS = """\
segment champions_west where in segment lifecycle.champions and region = "West Coast"
segment spring_send where in segment spring.treatment and not in segment global_holdout
segment west_regulars where in segment regulars_in("West Coast", min_orders: 4)
segment abandoned where did "email_open" in last 7 days then not "email_click" with same city within 1 day
"""
TESTS = """\
test "champions in the west"
as_of = 2024-06-30
segment = "champions_west"
customers = [
  { customer_id = 1, region = "west coast" },
]
members = []
"""


@pytest.fixture
def programmes(project) -> Path:
    (project / "programmes.seg").write_text(PROGRAMMES)
    (project / "campaigns.seg").write_text(CAMPAIGNS)
    return project


async def opened(client, project, name: str):
    path = project / name
    text = path.read_text()
    return await open_doc(client, path, text), text


def _pos(doc: str, text: str, needle: str, offset: int = 0):
    return T.TextDocumentIdentifier(doc), position_of(text, needle, offset)


# ---- completion ----
async def test_members_groups_and_parameterised_segments_after_in_segment(client, programmes):
    items = await complete(client, programmes, "segment s where in segment ")
    assert {"lifecycle.champions", "lifecycle.others", "spring.control", "global_holdout"} <= set(items)
    assert "lifecycle" not in items and "spring" not in items  # a family is no segment
    call = items["regulars_in(r, min_orders)"]
    assert call.insert_text_format == T.InsertTextFormat.Snippet
    assert call.insert_text == "regulars_in(${1:r}, ${2:3})"
    assert call.detail == "segment regulars_in(r: region, min_orders: number = 3)"
    items = await complete(client, programmes, "segment s where in segment spring.")
    assert set(items) == {"control", "treatment"}
    items = await complete(client, programmes, "segment s where in segment lifecycle.")
    assert set(items) == {"champions", "at_risk", "others"}


async def test_enumeration_values_for_a_parameter_argument(client, programmes):
    items = await complete(client, programmes, "segment s where in segment regulars_in(")
    assert '"West Coast"' in items and '"Mountain"' in items
    items = await complete(client, programmes, 'segment s where in segment regulars_in("', after='"')
    assert "South" in items
    items = await complete(client, programmes, 'segment s where in segment regulars_in(min_orders: 3, r: "')
    assert "Midwest" in items
    items = await complete(client, programmes, "segment s where in segment regulars_in(\"South\", ")
    assert '"South"' not in items  # min_orders is a number


async def test_sequence_events_same_columns_and_within_units(client, programmes):
    items = await complete(client, programmes, 'segment s where did "email_open" then "', after='"')
    assert "email_click" in items
    items = await complete(client, programmes, 'segment s where did "email_open" then not "')
    assert items["email_click"].text_edit.new_text == 'email_click"'
    items = await complete(client, programmes, 'segment s where did "email_open" then not "email_click" with same ')
    assert set(items) == {"occurred_at", "name", "city"}
    items = await complete(client, programmes, 'segment s where did "email_open" then "email_click" within 2 ')
    assert set(items) == {"minutes", "hours", "days", "weeks"}


# ---- hover ----
async def test_hover_on_members_groups_and_holdouts(client, programmes):
    doc, text = await opened(client, programmes, "campaigns.seg")
    h = await client.text_document_hover_async(T.HoverParams(*_pos(doc, text, "champions and")))
    assert "member of the family `lifecycle`" in h.contents.value
    assert "champions where lifetime_value >= 1000" in h.contents.value
    assert "Customers whose lifecycle" in h.contents.value  # explain's sentence
    h = await client.text_document_hover_async(T.HoverParams(*_pos(doc, text, "treatment")))
    assert "group of the split `spring`" in h.contents.value and "90%" in h.contents.value
    assert "Customers " in h.contents.value
    h = await client.text_document_hover_async(T.HoverParams(*_pos(doc, text, "global_holdout")))
    assert "holdout global_holdout 5%" in h.contents.value and "less than 500" in h.contents.value


async def test_hover_on_a_parameterised_segment_and_a_sequence(client, programmes):
    doc, text = await opened(client, programmes, "campaigns.seg")
    h = await client.text_document_hover_async(T.HoverParams(*_pos(doc, text, "regulars_in")))
    value = h.contents.value
    assert "segment regulars_in(r: region, min_orders: number = 3)" in value
    assert 'region is "West Coast"' in value and "at least 4" in value  # this call's arguments
    doc2, text2 = await opened(client, programmes, "programmes.seg")
    h = await client.text_document_hover_async(T.HoverParams(*_pos(doc2, text2, "regulars_in")))
    assert 'regulars_in("West Coast", 4)' in h.contents.value  # the argument lists in use
    h = await client.text_document_hover_async(T.HoverParams(*_pos(doc, text, "then not")))
    assert "did not do" in h.contents.value and "within 1 day" in h.contents.value


# ---- navigation ----
async def test_definition_and_references_of_members_and_groups(client, programmes):
    doc, text = await opened(client, programmes, "campaigns.seg")
    (loc,) = await client.text_document_definition_async(T.DefinitionParams(*_pos(doc, text, "champions and")))
    assert loc.uri == uri(programmes / "programmes.seg") and loc.range.start == T.Position(1, 2)
    (loc,) = await client.text_document_definition_async(T.DefinitionParams(*_pos(doc, text, "lifecycle.")))
    assert loc.range.start == T.Position(0, 7)  # the family itself
    (loc,) = await client.text_document_definition_async(T.DefinitionParams(*_pos(doc, text, "treatment")))
    assert loc.range.start == T.Position(7, 2)
    (loc,) = await client.text_document_definition_async(T.DefinitionParams(*_pos(doc, text, "regulars_in")))
    assert loc.range.start == T.Position(10, 8)
    refs = await client.text_document_references_async(T.ReferenceParams(
        text_document=T.TextDocumentIdentifier(doc), position=position_of(text, "treatment"),
        context=T.ReferenceContext(True)))
    assert sorted((r.uri.rsplit("/", 1)[1], r.range.start.line) for r in refs) == [
        ("campaigns.seg", 1), ("programmes.seg", 7)]


async def test_rename_a_member_a_group_and_a_parameterised_segment(client, programmes):
    doc, text = await opened(client, programmes, "programmes.seg")
    edit = await client.text_document_rename_async(T.RenameParams(*_pos(doc, text, "champions"), "stars"))
    (use,) = edit.changes[uri(programmes / "campaigns.seg")]
    assert use.new_text == "stars" and use.range.start == position_of(CAMPAIGNS, "champions and")
    edit = await client.text_document_rename_async(T.RenameParams(*_pos(doc, text, "treatment"), "test"))
    assert sorted(len(e) for e in edit.changes.values()) == [1, 1]
    with pytest.raises(Exception, match="already"):
        await client.text_document_rename_async(T.RenameParams(*_pos(doc, text, "treatment"), "control"))
    edit = await client.text_document_rename_async(T.RenameParams(*_pos(doc, text, "regulars_in"), "locals_in"))
    (use,) = edit.changes[uri(programmes / "campaigns.seg")]
    assert use.range.start == position_of(CAMPAIGNS, "regulars_in")


# ---- .segtest files ----
async def test_segtest_diagnostics_definition_and_completion_of_the_subject(client, programmes):
    path = programmes / "checks.segtest"
    path.write_text(TESTS)
    doc = await open_doc(client, path)
    diags = await published(client, doc, what=bool)
    assert all(c.startswith("SEG07") for c in codes(diags)) and "West Coast" in diags[0].message
    (loc,) = await client.text_document_definition_async(T.DefinitionParams(*_pos(doc, TESTS, "champions_west")))
    assert loc.uri == uri(programmes / "campaigns.seg") and loc.range.start == T.Position(0, 8)
    result = await client.text_document_completion_async(T.CompletionParams(*_pos(doc, TESTS, 'champions_west"')))
    assert {"lifecycle.champions", "champions_west"} <= {i.label for i in result.items}
