"""Completion on text that does not parse yet, through a real client."""

from __future__ import annotations

import pytest
from lsprotocol import types as T

from tests.lsp.conftest import open_doc

pytestmark = [pytest.mark.lsp, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]


async def complete(client, project, text: str, name: str = "draft.seg", after: str = ""):
    """Completion items at the end of `text` (followed by `after`, e.g. an auto-closed quote)."""
    path = project / name
    doc = await open_doc(client, path, text + after)
    lines = text.split("\n")
    result = await client.text_document_completion_async(T.CompletionParams(
        T.TextDocumentIdentifier(doc), T.Position(len(lines) - 1, len(lines[-1]))))
    items = result.items if isinstance(result, T.CompletionList) else result
    return {i.label: i for i in items}


async def test_values_inside_the_quotes_after_equals(client, project):
    items = await complete(client, project, 'segment s where region = "', after='"')
    assert set(items) == {"West Coast", "East Coast", "Midwest", "South", "Mountain"}
    edit = items["West Coast"].text_edit
    assert edit.new_text == "West Coast"  # the closing quote is already there
    assert (edit.range.start.character, edit.range.end.character) == (26, 26)


async def test_values_in_a_list_and_of_a_list_field(client, project):
    items = await complete(client, project, 'segment s where plan in ["pro", "')
    assert set(items) == {"free", "basic", "pro", "enterprise"}
    assert items["free"].text_edit.new_text == 'free"'  # no closing quote yet: add it
    items = await complete(client, project, 'segment s where devices has any ["mo')
    assert "mobile" in items and "tv" in items
    items = await complete(client, project, 'segment s where devices has "')
    assert "desktop" in items


async def test_values_of_a_relation_column_inside_a_filter(client, project):
    items = await complete(client, project, 'segment s where count(orders where status = "')
    assert set(items) == {"paid", "refunded", "cancelled"}
    items = await complete(client, project, 'segment s where has orders where channel = "')
    assert "mobile_app" in items


async def test_columns_after_the_relation_and_inside_filters(client, project):
    items = await complete(client, project, "segment s where sum(orders.")
    assert {"amount", "status", "ordered_at", "channel"} <= set(items)
    assert "age" not in items
    items = await complete(client, project, "segment s where count(orders where am")
    assert items["amount"].sort_text < items["age"].sort_text  # the relation's columns first
    items = await complete(client, project, 'segment s where did "email_open" where ci')
    assert items["city"].detail.endswith("events")


async def test_event_names_after_did(client, project):
    items = await complete(client, project, "segment s where did ")
    assert '"webinar_attended"' in items
    items = await complete(client, project, 'segment s where not did "web', after='"')
    assert "webinar_attended" in items


async def test_fields_traits_segments_functions_keywords(client, project):
    items = await complete(client, project, "segment s where ")
    assert items["age"].kind == T.CompletionItemKind.Field
    assert items["lifetime_value"].kind == T.CompletionItemKind.Variable
    assert items["days_since"].kind == T.CompletionItemKind.Function
    assert items["and"].kind == T.CompletionItemKind.Keyword
    assert "in segment lapsed_vips" in items
    items = await complete(client, project, "segment s where in segment ")
    assert {"west_coast_regulars", "lapsed_vips", "west_vips", "webinar_fans"} <= set(items)


async def test_units_after_a_number_and_times_after_a_count(client, project):
    items = await complete(client, project, "segment s where signup_date in last 30 ")
    assert set(items) == {"days", "weeks", "months", "years"}
    items = await complete(client, project, 'segment s where did "email_open" at least 3 ')
    assert set(items) == {"times"}


async def test_calendar_periods_after_this_last_next(client, project):
    for word in ("this", "last", "next"):
        items = await complete(client, project, f"segment s where has orders in {word} ")
        assert {"week", "month", "quarter", "year", "fiscal_quarter", "fiscal_year"} <= set(items)
        assert items["quarter"].kind == T.CompletionItemKind.Unit


async def test_names_defined_in_text_that_does_not_parse(client, project):
    text = "trait spend = sum(orders.amount\nsegment s where sp"
    items = await complete(client, project, text)
    assert "spend" in items
