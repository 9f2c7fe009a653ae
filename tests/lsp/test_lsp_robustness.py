"""Files renamed and deleted, a broken segdsl.toml, a 10 MB file, edits faster than the
checks, and the two commands, through a real client."""

from __future__ import annotations

import asyncio
import time

import pytest
from lsprotocol import types as T

from tests.lsp.conftest import change, codes, open_doc, position_of, published, uri

pytestmark = [pytest.mark.lsp, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]


async def test_a_file_renamed_then_deleted(client, project):
    audiences = project / "audiences.seg"
    doc = await open_doc(client, audiences)
    assert await published(client, doc, version=1) == []
    old, new = project / "segments.seg", project / "moved" / "segments.seg"
    new.parent.mkdir()
    old.rename(new)
    start = len(client.published)
    client.workspace_did_rename_files(T.RenameFilesParams([T.FileRename(uri(old), uri(new))]))
    await published(client, uri(old), since=start)  # the old name's diagnostics are cleared
    assert not client.diagnostics.get(doc)  # the definitions are still found

    new.unlink()
    start = len(client.published)
    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(
        [T.FileEvent(uri(new), T.FileChangeType.Deleted)]))
    diags = await published(client, doc, since=start, what=bool)
    assert codes(diags) == ["SEG0206", "SEG0206"]  # west_coast_regulars and lapsed_vips are gone
    assert "unknown segment `west_coast_regulars`" in diags[0].message


async def test_a_broken_segdsl_toml_is_reported_and_mended(client, project):
    toml = project / "segdsl.toml"
    text = toml.read_text()
    seg = await open_doc(client, project / "segments.seg")
    await published(client, seg, version=1)
    doc = await open_doc(client, toml, text.replace('[entity.columns]', '[entity.columns'))
    diags = await published(client, doc, version=1, what=bool)
    assert codes(diags) == ["SEG0402"]
    assert "is not valid TOML" in diags[0].message and diags[0].range.start.line == 9
    # the segments are still parsed; hover and completion do not fail without a schema
    h = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(seg), T.Position(5, 10)))
    assert h is None or "lapsed_vips" in h.contents.value
    start = len(client.published)
    change(client, doc, 2, text.replace('age = "integer"', 'age = "integr"'))
    diags = await published(client, doc, version=2, since=start, what=bool)
    assert codes(diags) == ["SEG0404"] and "integr" in diags[0].message
    start = len(client.published)
    change(client, doc, 3, text)
    assert await published(client, doc, version=3, since=start) == []


async def test_a_10_mb_file_does_not_hang_the_server(client, project):
    path = project / "huge.seg"
    text = "segment big where age > 1\n" * 400_000  # 10.4 MB
    began = time.perf_counter()
    doc = await open_doc(client, path, text)
    diags = await published(client, doc, version=1, what=bool)
    assert codes(diags) == ["SEG0107"]  # larger than the parser accepts: one clear error
    items = await client.text_document_completion_async(T.CompletionParams(
        T.TextDocumentIdentifier(doc), T.Position(399_999, 25)))
    assert items is not None
    await client.text_document_semantic_tokens_full_async(T.SemanticTokensParams(T.TextDocumentIdentifier(doc)))
    other = await open_doc(client, project / "audiences.seg")
    assert await published(client, other, version=1) == []  # the rest of the project still works
    assert time.perf_counter() - began < 50


async def test_edits_faster_than_checks_never_publish_stale_results(client, project):
    """Version v puts the error on line v: every publication must match its version."""
    path = project / "typing.seg"
    doc = await open_doc(client, path, "segment t where age >\n")
    await published(client, doc, version=1)
    start = len(client.published)
    for v in range(2, 41):
        change(client, doc, v, "\n" * (v - 1) + "segment t where age >\n")
        if v % 10 == 0:
            await asyncio.sleep(0.05)  # some checks start between bursts
    final = await published(client, doc, version=40, since=start)
    assert final[0].range.start.line == 39
    ours = [(v, ds) for u, v, ds in client.published[start:] if u == doc]
    versions = [v for v, _ in ours]
    assert versions == sorted(versions) and versions[-1] == 40
    for v, ds in ours:
        assert [d.range.start.line for d in ds] == [v - 1], (v, ds)
    assert len(ours) < 39  # debounced: not one check per keystroke


async def test_show_sql_for_the_segment_under_the_cursor(client, project):
    doc = await open_doc(client, project / "audiences.seg")
    text = (project / "audiences.seg").read_text()
    result = await client.workspace_execute_command_async(T.ExecuteCommandParams(
        "segdsl.server.showSql", [doc, position_of(text, "webinar_fans"), {"dialect": "postgres", "asOf": "2024-06-30"}]))
    assert result["segment"] == "webinar_fans" and result["dialect"] == "postgres"
    import datetime as dt

    import segdsl

    expected = segdsl.load_project(project).compile("webinar_fans", "postgres", dt.date(2024, 6, 30))
    assert result["sql"] == expected and "'webinar_attended'" in expected
    result = await client.workspace_execute_command_async(T.ExecuteCommandParams(
        "segdsl.server.showSql", [doc, {"line": 0, "character": 20}]))  # on `where` of west_vips
    assert result["segment"] == "west_vips" and result["dialect"] == "duckdb"


async def test_count_members_opens_the_warehouse_for_the_query_only(client, project):
    import duckdb

    db = project / "warehouse.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE customers (customer_id INTEGER, region VARCHAR)")
    con.execute("INSERT INTO customers VALUES (1, 'West Coast'), (2, 'South'), (3, 'West Coast'), (4, NULL)")
    con.close()
    path = project / "west.seg"
    doc = await open_doc(client, path, 'segment westerners where region = "West Coast"\n')
    result = await client.workspace_execute_command_async(T.ExecuteCommandParams(
        "segdsl.server.countMembers", [doc, T.Position(0, 10), {"warehouse": str(db)}]))
    assert result["segment"] == "westerners" and result["count"] == 2
    con = duckdb.connect(str(db))  # not held open by the server: a writer can open it
    con.execute("INSERT INTO customers VALUES (5, 'West Coast')")
    con.close()
    result = await client.workspace_execute_command_async(T.ExecuteCommandParams(
        "segdsl.server.countMembers", [doc, T.Position(0, 10), {"warehouse": str(db)}]))
    assert result["count"] == 3
    result = await client.workspace_execute_command_async(T.ExecuteCommandParams(
        "segdsl.server.countMembers", [doc, T.Position(0, 10)]))
    assert "no warehouse configured" in result["error"]


async def test_a_workspace_folder_is_checked_before_any_file_is_opened(project):
    """Opened on a folder, the server publishes every file's problems and answers workspace
    symbols without a file being opened (a server of its own: the folder is given at start)."""
    import sys

    from pytest_lsp import ClientServerConfig, client_capabilities

    from tests.lsp.conftest import _make_client

    (project / "bad.seg").write_text('segment bad where plan = "gold"\n')
    config = ClientServerConfig(server_command=[sys.executable, "-m", "segdsl.cli.main", "lsp"],
                                client_factory=_make_client)
    client = await config.start()
    try:
        await client.initialize_session(T.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), initialization_options={"debounceMs": 0},
            workspace_folders=[T.WorkspaceFolder(uri(project), "project")]))
        diags = await published(client, uri(project / "bad.seg"), what=bool)
        assert codes(diags) == ["SEG0302"]
        found = await client.workspace_symbol_async(T.WorkspaceSymbolParams(query="vips"))
        assert {s.name for s in found} == {"lapsed_vips", "west_vips"}
    finally:
        await client.shutdown_session()
