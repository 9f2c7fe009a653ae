"""Diagnostics and quick fixes through a real client."""

from __future__ import annotations

import pytest
from lsprotocol import types as T

from tests.lsp.conftest import change, codes, open_doc, position_of, published, uri

pytestmark = [pytest.mark.lsp, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]


async def test_a_typo_in_a_value_gets_an_error_with_code_link_and_one_click_fix(client, project):
    path = project / "segments.seg"
    text = path.read_text().replace('region = "West Coast"', 'region = "west coast"')
    doc = await open_doc(client, path, text, version=3)
    diags = await published(client, doc, version=3, what=lambda ds: "SEG0302" in codes(ds))
    d = next(d for d in diags if d.code == "SEG0302")
    assert d.severity == T.DiagnosticSeverity.Error
    assert d.source == "segdsl"
    assert "did you mean `West Coast`?" in d.message
    assert d.code_description.href.endswith("errors.md#seg0302-value-not-in-the-enumeration")
    start = position_of(text, '"west coast"')
    assert (d.range.start, d.range.end.character) == (start, start.character + len('"west coast"'))

    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(doc), d.range, T.CodeActionContext(diagnostics=[d])))
    assert [a.title for a in actions] == ['Replace with `"West Coast"`']
    (edit,) = actions[0].edit.changes[doc]
    assert edit.new_text == '"West Coast"' and edit.range == d.range
    assert actions[0].kind == T.CodeActionKind.QuickFix and actions[0].is_preferred

    fixed = text[:_offset(text, d.range.start)] + edit.new_text + text[_offset(text, d.range.end):]
    change(client, doc, 4, fixed)
    assert await published(client, doc, version=4) == []


def _offset(text: str, pos: T.Position) -> int:
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[:pos.line]) + pos.character


async def test_warnings_are_warnings(client, project):
    path = project / "negated.seg"
    path.write_text('segment outside_west where region != "West Coast"\n')
    doc = await open_doc(client, path)
    diags = await published(client, doc, version=1, what=lambda ds: bool(ds))
    assert codes(diags) == ["SEG0603"]
    assert diags[0].severity == T.DiagnosticSeverity.Warning
    assert "help: to leave them out" in diags[0].message


async def test_alternative_fixes_are_offered_in_the_compilers_order(client, project):
    path = project / "negated2.seg"
    text = 'segment outside_west where region != "West Coast"\n'
    path.write_text(text)
    doc = await open_doc(client, path)
    (d,) = await published(client, doc, version=1, what=lambda ds: bool(ds))
    assert d.code == "SEG0603"
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(doc), d.range, T.CodeActionContext(diagnostics=[d])))
    assert [a.title for a in actions] == ["Leave out customers with no region", "Keep customers with no region"]
    assert [a.is_preferred for a in actions] == [True, False]
    edits = [a.edit.changes[doc] for a in actions]
    assert [e.new_text for (e,) in edits] == ['region is set and region != "West Coast"',
                                             '(region != "West Coast" or region is not set)']
    for version, (e,) in enumerate(edits, start=2):  # either one leaves nothing to warn about
        change(client, doc, version, text[:_offset(text, e.range.start)] + e.new_text
               + text[_offset(text, e.range.end):])
        assert await published(client, doc, version=version) == []


async def test_a_misspelt_field_gets_its_did_you_mean_as_a_fix(client, project):
    path = project / "typo.seg"
    text = "segment old where agee > 70\n"
    doc = await open_doc(client, path, text)
    (d,) = await published(client, doc, version=1, what=lambda ds: bool(ds))
    assert d.code == "SEG0203"
    (action,) = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(doc), d.range, T.CodeActionContext(diagnostics=[d])))
    assert action.title == "Replace with `age`"
    (e,) = action.edit.changes[doc]
    assert (e.new_text, e.range) == ("age", d.range)


async def test_related_spans_point_into_the_other_file(client, project):
    path = project / "zz_again.seg"  # after segments.seg: the second definition
    path.write_text("segment lapsed_vips where age > 70\n")
    doc = await open_doc(client, path)
    diags = await published(client, doc, version=1, what=lambda ds: bool(ds))
    assert codes(diags) == ["SEG0201"]
    (related,) = diags[0].related_information
    assert related.location.uri == uri(project / "segments.seg")
    assert related.location.range.start == T.Position(5, 8)
    assert "first defined here" in related.message


async def test_an_edit_publishes_for_the_files_it_breaks_and_mends(client, project):
    """Removing a trait breaks the segments using it in another, unopened file."""
    segments = uri(project / "segments.seg")
    traits = project / "traits.seg"
    text = traits.read_text()
    doc = await open_doc(client, traits, text)
    await published(client, doc, version=1)
    start = len(client.published)
    change(client, doc, 2, text.replace("trait orders_90d", "trait orders_in_90d"))
    broken = await published(client, segments, version=None, since=start, what=lambda ds: bool(ds))
    assert codes(broken) == ["SEG0203"]
    assert "did you mean `orders_in_90d`?" in broken[0].message
    start = len(client.published)
    change(client, doc, 3, text)
    assert await published(client, segments, since=start) == []


async def test_positions_count_in_the_encoding_agreed_with_the_client(client, project):
    """VS Code counts UTF-16 code units, Neovim UTF-8 bytes: the error after an emoji and an
    accented letter is where each of them expects it."""
    encoding = client.init_result.capabilities.position_encoding or "utf-16"
    path = project / "unicode.seg"
    prefix = 'segment s where city = "😀é" and region = '
    text = prefix + '"west coast"\n'
    doc = await open_doc(client, path, text)
    diags = await published(client, doc, version=1, what=bool)
    units = len(prefix.encode("utf-16-le")) // 2 if encoding == "utf-16" else len(prefix.encode("utf-8"))
    assert client.kind != "neovim" or encoding == "utf-8"
    assert (diags[0].code, diags[0].range.start.character) == ("SEG0302", units)
    (action,) = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(doc), diags[0].range, T.CodeActionContext(diagnostics=diags)))
    assert action.edit.changes[doc][0].range == diags[0].range
