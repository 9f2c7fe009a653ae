"""`segdsl lsp` as a command: without the lsp extra it says which extra to install (exit 2);
with it, it speaks the protocol on stdin/stdout and exits when its input ends."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.lsp

HIDE_PYGLS = """
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name == "pygls" or name.startswith("pygls."):
            raise ImportError("No module named 'pygls'")
sys.meta_path.insert(0, Hide())
sys.argv = ["segdsl", "lsp"]
from segdsl.cli.main import main
main()
"""


def test_without_the_extra_it_names_the_pip_line():
    proc = subprocess.run([sys.executable, "-c", HIDE_PYGLS], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "pip install 'segdsl[lsp]'" in proc.stderr
    assert "Traceback" not in proc.stderr


def _message(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_it_answers_initialize_and_stops_at_the_end_of_its_input():
    messages = _message({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                         "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    proc = subprocess.run([sys.executable, "-m", "segdsl.cli.main", "lsp", "--stdio"], input=messages,
                          capture_output=True, timeout=120)
    assert proc.returncode == 0
    header, _, body = proc.stdout.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n") if line.startswith(b"Content-Length"))
    reply = json.loads(body[:length])
    caps = reply["result"]["capabilities"]
    assert reply["result"]["serverInfo"]["name"] == "segdsl"
    assert caps["completionProvider"]["triggerCharacters"] == [".", '"', " ", "["]
    for feature in ("hoverProvider", "definitionProvider", "referencesProvider", "renameProvider",
                    "documentSymbolProvider", "workspaceSymbolProvider", "documentFormattingProvider",
                    "codeActionProvider", "semanticTokensProvider", "executeCommandProvider"):
        assert caps.get(feature), feature
    assert set(caps["executeCommandProvider"]["commands"]) == {"segdsl.server.showSql", "segdsl.server.countMembers"}
