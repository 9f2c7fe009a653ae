"""The packaged VS Code extension (built by `make vsix`, which `make test` runs first) holds
what VS Code loads: the manifest, the compiled client, both grammars, the language
configuration and the language client library it needs at run time."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

VSIX = Path(__file__).resolve().parents[2] / "editors" / "vscode" / "segdsl.vsix"

pytestmark = [pytest.mark.lsp, pytest.mark.slow]


def test_the_vsix_holds_the_extension():
    assert VSIX.is_file(), "run `make vsix` first (make test does)"
    with zipfile.ZipFile(VSIX) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("extension/package.json"))
    for needed in ("extension/out/src/extension.js", "extension/out/src/server.js",
                   "extension/syntaxes/segdsl.tmLanguage.json", "extension/syntaxes/segtest.tmLanguage.json",
                   "extension/language-configuration.json",
                   "extension/node_modules/vscode-languageclient/node.js"):
        assert needed in names, needed
    assert not any(n.startswith(("extension/src/", "extension/test/", "extension/out/test/")) for n in names)
    assert manifest["main"] == "./out/src/extension.js"
    assert {lang["id"]: lang["extensions"] for lang in manifest["contributes"]["languages"]} == {
        "segdsl": [".seg"], "segtest": [".segtest"]}
    assert {c["command"] for c in manifest["contributes"]["commands"]} == {
        "segdsl.showSql", "segdsl.countMembers", "segdsl.restartServer"}
