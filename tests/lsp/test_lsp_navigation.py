"""Hover, go to definition, references, rename, symbols, formatting and semantic tokens."""

from __future__ import annotations

import pytest
from lsprotocol import types as T
from pygls.exceptions import JsonRpcInvalidParams

from tests.lsp.conftest import open_doc, position_of, published, uri

pytestmark = [pytest.mark.lsp, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]


async def opened(client, project, name: str):
    path = project / name
    text = path.read_text()
    return await open_doc(client, path, text), text


async def test_hover_on_a_field_shows_its_type_and_values(client, project):
    doc, text = await opened(client, project, "segments.seg")
    h = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(doc),
                                                             position_of(text, "region =", 2)))
    assert "**region**: text, field of customer" in h.contents.value
    assert '`"West Coast"`' in h.contents.value


async def test_hover_on_a_segment_shows_its_definition_and_meaning(client, project):
    doc, text = await opened(client, project, "audiences.seg")
    h = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(doc),
                                                             position_of(text, "lapsed_vips")))
    value = h.contents.value
    assert "segment lapsed_vips where lifetime_value > 1000" in value  # the definition
    assert value.count("Customers ") == 1 and "180 days" in value  # segdsl explain's sentence
    h = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(doc),
                                                             position_of(text, "west_coast_regulars")))
    assert "*Regular buyers on the West Coast*" in h.contents.value


async def test_hover_on_a_trait(client, project):
    doc, text = await opened(client, project, "segments.seg")
    h = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(doc),
                                                             position_of(text, "orders_90d")))
    assert "trait orders_90d = count(orders in last 90 days)" in h.contents.value
    assert "trait (integer)" in h.contents.value


async def test_go_to_definition_of_segments_traits_and_schema_fields(client, project):
    doc, text = await opened(client, project, "audiences.seg")
    (loc,) = await client.text_document_definition_async(T.DefinitionParams(
        T.TextDocumentIdentifier(doc), position_of(text, "lapsed_vips")))
    assert loc.uri == uri(project / "segments.seg") and loc.range.start == T.Position(5, 8)

    doc, text = await opened(client, project, "segments.seg")
    (loc,) = await client.text_document_definition_async(T.DefinitionParams(
        T.TextDocumentIdentifier(doc), position_of(text, "region")))
    toml = (project / "segdsl.toml").read_text().split("\n")
    assert loc.uri == uri(project / "segdsl.toml")
    assert toml[loc.range.start.line].startswith("region = ")
    (loc,) = await client.text_document_definition_async(T.DefinitionParams(
        T.TextDocumentIdentifier(doc), position_of(text, "orders_90d")))
    assert loc.uri == uri(project / "traits.seg") and loc.range.start.line == 2


async def test_find_references_across_files(client, project):
    doc, text = await opened(client, project, "traits.seg")
    refs = await client.text_document_references_async(T.ReferenceParams(
        text_document=T.TextDocumentIdentifier(doc), position=position_of(text, "last_order_at"),
        context=T.ReferenceContext(True)))
    assert sorted((r.uri.rsplit("/", 1)[1], r.range.start.line) for r in refs) == [
        ("segments.seg", 5), ("traits.seg", 3)]
    refs = await client.text_document_references_async(T.ReferenceParams(
        text_document=T.TextDocumentIdentifier(doc), position=position_of(text, "status"),
        context=T.ReferenceContext(True)))
    assert {r.uri.rsplit("/", 1)[1] for r in refs} == {"traits.seg", "segdsl.toml"}


async def test_rename_a_segment_across_the_project(client, project):
    doc, text = await opened(client, project, "segments.seg")
    pos = position_of(text, "west_coast_regulars")
    r = await client.text_document_prepare_rename_async(T.PrepareRenameParams(T.TextDocumentIdentifier(doc), pos))
    assert r.start == pos
    edit = await client.text_document_rename_async(T.RenameParams(T.TextDocumentIdentifier(doc), pos, "west_regulars"))
    assert sorted((u.rsplit("/", 1)[1], len(e)) for u, e in edit.changes.items()) == [
        ("audiences.seg", 1), ("segments.seg", 1)]
    (e,) = edit.changes[uri(project / "audiences.seg")]
    assert e.new_text == "west_regulars" and e.range.start == T.Position(0, 35)


async def test_rename_refuses_a_name_in_use_or_not_a_name(client, project):
    doc, text = await opened(client, project, "traits.seg")
    pos = position_of(text, "orders_90d")
    for bad, why in [("lifetime_value", "is already defined"), ("2x", "is not a name"),
                     ("where", "is not a name"), ("region", "is a field or relation")]:
        with pytest.raises(JsonRpcInvalidParams, match=why):
            await client.text_document_rename_async(T.RenameParams(T.TextDocumentIdentifier(doc), pos, bad))
    edit = await client.text_document_rename_async(T.RenameParams(T.TextDocumentIdentifier(doc), pos, "recent_orders"))
    assert {u.rsplit("/", 1)[1] for u in edit.changes} == {"traits.seg", "segments.seg"}


async def test_document_and_workspace_symbols(client, project):
    doc, _ = await opened(client, project, "segments.seg")
    symbols = await client.text_document_document_symbol_async(T.DocumentSymbolParams(T.TextDocumentIdentifier(doc)))
    assert [(s.name, s.kind, s.detail) for s in symbols] == [
        ("west_coast_regulars", T.SymbolKind.Class, "West Coast regulars"),
        ("lapsed_vips", T.SymbolKind.Class, "segment")]
    found = await client.workspace_symbol_async(T.WorkspaceSymbolParams(query="VIP"))
    assert {(s.name, s.location.uri) for s in found if s.location.uri.startswith(uri(project))} == {
        ("lapsed_vips", uri(project / "segments.seg")), ("west_vips", uri(project / "audiences.seg"))}


async def test_formatting_the_whole_document(client, project):
    path = project / "messy.seg"
    doc = await open_doc(client, path, "segment   messy   where age>3   and  region='x'\n".replace("'", '"'))
    (edit,) = await client.text_document_formatting_async(T.DocumentFormattingParams(
        T.TextDocumentIdentifier(doc), T.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert edit.new_text == 'segment messy where age > 3 and region = "x"\n'
    broken = await open_doc(client, project / "broken.seg", "segment b where age >\n")
    assert not await client.text_document_formatting_async(T.DocumentFormattingParams(
        T.TextDocumentIdentifier(broken), T.FormattingOptions(tab_size=2, insert_spaces=True)))


async def test_semantic_tokens_say_what_each_name_is(client, project):
    doc, text = await opened(client, project, "segments.seg")
    legend = client.init_result.capabilities.semantic_tokens_provider.legend
    tokens = await client.text_document_semantic_tokens_full_async(T.SemanticTokensParams(T.TextDocumentIdentifier(doc)))
    lines = text.split("\n")
    found, line, col = {}, 0, 0
    data = tokens.data
    for i in range(0, len(data), 5):
        dl, dc, length, kind, mods = data[i:i + 5]
        line, col = line + dl, (col + dc if dl == 0 else dc)
        found[lines[line][col:col + length]] = (legend.token_types[kind], mods)
    assert found["west_coast_regulars"] == ("class", 1)  # declaration
    assert found["region"][0] == "property"
    assert found['"West Coast"'][0] == "enumMember"
    assert found["orders_90d"][0] == "variable"
    assert found["last_order_at"][0] == "variable"


async def test_text_that_does_not_parse_keeps_the_rest_working(client, project):
    path = project / "half.seg"
    text = "segment broken where age >= and\nsegment fine where region = \"South\"\n"
    doc = await open_doc(client, path, text)
    diags = await published(client, doc, version=1, what=bool)
    assert [d.code for d in diags] == ["SEG0101"] and diags[0].range.start.line == 0
    h = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(doc),
                                                             position_of(text, "region")))
    assert "field of customer" in h.contents.value
    symbols = await client.text_document_document_symbol_async(T.DocumentSymbolParams(T.TextDocumentIdentifier(doc)))
    assert [s.name for s in symbols] == ["fine"]
