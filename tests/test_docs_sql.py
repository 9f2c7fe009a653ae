"""The SQL shown in the docs is what the compiler prints: every ```sh block holding one
`segdsl compile ...` command and followed by a ```sql block is run, and the block must equal
its output. After a deliberate change of the SQL shape, rewrite the blocks with
`SEGDSL_UPDATE_DOCS=1 pytest tests/test_docs_sql.py` and review the diff."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PAIR = re.compile(r"```sh\n(segdsl compile [^\n]*)\n```\n```sql\n(.*?)```", re.DOTALL)


def _examples():
    for path in DOCS:
        for m in PAIR.finditer(path.read_text(encoding="utf-8")):
            yield pytest.param(path, m.group(1), id=f"{path.name}:{m.group(1)[len('segdsl compile '):]}")


def _run(command: str) -> str:
    from tests.analysis.fixture import invoke

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = invoke(*shlex.split(command)[1:])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return result.stdout


EXAMPLES = list(_examples())


def test_the_docs_show_compiled_sql():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("path", "command"), EXAMPLES)
def test_sql_in_the_docs_is_the_compiler_output(path, command):
    out = _run(command)
    text = path.read_text(encoding="utf-8")
    block = next(m for m in PAIR.finditer(text) if m.group(1) == command)
    if os.environ.get("SEGDSL_UPDATE_DOCS") and block.group(2) != out:
        start, end = block.span(2)
        path.write_text(text[:start] + out + text[end:], encoding="utf-8")
        return
    assert block.group(2) == out, f"{path.name}: the SQL of `{command}` changed; see the module docstring"
