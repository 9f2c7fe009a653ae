"""Rename reaching the `.segtest` files, the warning when a split or holdout is renamed, and
the size of a segment on its hover (counted in the background on the DuckDB warehouse)."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types as T

from tests.lsp.conftest import TIMEOUT, change, open_doc, position_of, uri

pytestmark = [pytest.mark.lsp, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]

PROGRAMMES = """family lifecycle {
  champions where lifetime_value > 1000
  else others
}
split trial salt "2024-06" {
  a 50%
  b 50%
}
holdout hold 5%
"""

TESTS = """test "lapsed"
as_of = 2024-06-30
segment = "lapsed_vips"
customers = [{ customer_id = 1 }]
members = []

test "by stage"
as_of = 2024-06-30
family = "lifecycle"
customers = [{ customer_id = 1 }, { customer_id = 2 }]
assign = { 1 = "others", 2 = "champions" }

test "the others"
as_of = 2024-06-30
segment = "lifecycle.others"
customers = [{ customer_id = 1 }]
members = [1]

test "held out"
as_of = 2024-06-30
split = "hold"
customers = [{ customer_id = 1 }]
assign = { 1 = "hold" }
"""


def applied(text: str, edits: list[T.TextEdit]) -> str:
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        assert e.range.start.line == e.range.end.line  # names are on one line
        line = lines[e.range.start.line]
        lines[e.range.start.line] = line[:e.range.start.character] + e.new_text + line[e.range.end.character:]
    return "\n".join(lines)


def edits_of(edit: T.WorkspaceEdit) -> dict[str, list[T.TextEdit]]:
    """uri -> edits, from `changes` or from `documentChanges` (annotated edits)."""
    if edit.changes:
        return dict(edit.changes)
    return {c.text_document.uri: list(c.edits) for c in edit.document_changes or ()}


async def renamed(client, project, file: str, needle: str, new: str, offset: int = 0) -> T.WorkspaceEdit:
    path = project / file
    text = path.read_text()
    doc = await open_doc(client, path, text)
    return await client.text_document_rename_async(T.RenameParams(
        T.TextDocumentIdentifier(doc), position_of(text, needle, offset), new))


@pytest.fixture
def programmes(project):
    (project / "programmes.seg").write_text(PROGRAMMES)
    (project / "tests.segtest").write_text(TESTS)
    return project


async def test_renaming_a_segment_edits_the_subjects_of_its_tests(client, programmes):
    edit = await renamed(client, programmes, "segments.seg", "lapsed_vips", "old_vips")
    changes = edits_of(edit)
    assert sorted(u.rsplit("/", 1)[1] for u in changes) == ["audiences.seg", "segments.seg", "tests.segtest"]
    after = applied(TESTS, changes[uri(programmes / "tests.segtest")])
    assert after == TESTS.replace('segment = "lapsed_vips"', 'segment = "old_vips"')


async def test_renaming_a_family_or_member_edits_subjects_and_assign(client, programmes):
    seen = len(client.messages)
    edit = await renamed(client, programmes, "programmes.seg", "others", "rest")
    after = applied(TESTS, edits_of(edit)[uri(programmes / "tests.segtest")])
    assert after == TESTS.replace('1 = "others"', '1 = "rest"').replace('"lifecycle.others"', '"lifecycle.rest"')
    edit = await renamed(client, programmes, "programmes.seg", "lifecycle", "stage")
    after = applied(TESTS, edits_of(edit)[uri(programmes / "tests.segtest")])
    assert after == TESTS.replace('"lifecycle', '"stage')
    assert len(client.messages) == seen  # a family: no warning


async def test_renaming_a_split_or_holdout_warns_that_customers_change_group(client, programmes):
    seen = len(client.messages)
    edit = await renamed(client, programmes, "programmes.seg", "trial", "trial_2")
    (message,) = client.messages[seen:]
    assert message.type == T.MessageType.Warning
    assert "renaming the split `trial` gives every customer a new bucket (the salt does not change that)" \
        in message.message
    if client.kind == "visual-studio-code":  # it announces change annotations: it asks before applying
        (note,) = edit.change_annotations.values()
        assert note.needs_confirmation and "customers change group" in note.description
        assert all(e.annotation_id for c in edit.document_changes for e in c.edits)
    else:
        assert edit.changes and not edit.change_annotations
    assert uri(programmes / "programmes.seg") in edits_of(edit)

    edit = await renamed(client, programmes, "programmes.seg", "hold 5%", "held_out")
    assert "the holdout `hold` draws it again" in client.messages[-1].message
    after = applied(TESTS, edits_of(edit)[uri(programmes / "tests.segtest")])
    assert 'split = "held_out"' in after and '1 = "held_out"' in after  # its one group has its name
    seen = len(client.messages)
    await renamed(client, programmes, "programmes.seg", "a 50%", "control")  # a group: nobody moves
    assert len(client.messages) == seen


def warehouse(path, rows) -> None:
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE IF NOT EXISTS customers (customer_id INTEGER, region VARCHAR)")
    con.executemany("INSERT INTO customers VALUES (?, ?)", rows)
    con.close()


async def hover_until(client, doc: str, pos: T.Position, what) -> str:
    async def wait() -> str:
        while True:
            h = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(doc), pos))
            if what(h.contents.value):
                return str(h.contents.value)
            await asyncio.sleep(0.05)

    return await asyncio.wait_for(wait(), TIMEOUT)


async def test_hover_shows_the_size_counted_in_the_background(client, project):
    import duckdb

    db = project / "warehouse.duckdb"
    warehouse(db, [(1, "West Coast"), (2, "South"), (3, "West Coast")])
    config = project / "segdsl.toml"
    config.write_text(config.read_text() + '\n[project]\nwarehouse = "warehouse.duckdb"\nas_of = "2024-06-30"\n')
    text = 'segment westerners where region = "West Coast"\n'
    doc = await open_doc(client, project / "west.seg", text)
    pos = position_of(text, "westerners")
    first = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(doc), pos))
    assert "segment westerners" in first.contents.value  # the hover does not wait for the count
    assert "size: counting…" in first.contents.value or "**size**" in first.contents.value
    value = await hover_until(client, doc, pos, lambda v: "**size**" in v)
    assert value.endswith("**size**: 2 customers (as of 2024-06-30)")

    warehouse(db, [(4, "West Coast")])  # a new warehouse file: counted again (nothing held it open)
    await hover_until(client, doc, pos, lambda v: "**size**: 3 customers" in v)

    writer = duckdb.connect(str(db))  # a writer holds the file: the count fails, on one line
    try:
        change(client, doc, 2, text.replace("West Coast", "South"))
        value = await hover_until(client, doc, pos, lambda v: "size: not counted" in v)
        assert value.count("\n", value.index("size: not counted")) == 0
    finally:
        writer.close()


async def test_hover_without_a_warehouse_file_says_so(client, project):
    config = project / "segdsl.toml"
    config.write_text(config.read_text() + '\n[project]\nwarehouse = "missing.duckdb"\n')
    doc, text = await open_doc(client, project / "segments.seg"), (project / "segments.seg").read_text()
    h = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(doc),
                                                             position_of(text, "lapsed_vips")))
    assert h.contents.value.endswith("size: no warehouse file `missing.duckdb`")
