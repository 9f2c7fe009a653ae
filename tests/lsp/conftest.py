"""End-to-end fixtures: the real `segdsl lsp` in a subprocess, driven by pytest-lsp as a
VS Code client and as a Neovim client (each with the capabilities that editor announces).

One server per client kind serves the whole session; every test gets its own copy of the
fixture project (tests/lsp/project), so tests do not see each other's edits.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as T
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

HERE = Path(__file__).resolve().parent
TIMEOUT = 60  # seconds: the machine running the tests may be busy
CLIENTS = ["visual-studio-code", "neovim"]


def _record(client: LanguageClient, params: T.PublishDiagnosticsParams):
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append((params.uri, params.version, params.diagnostics))


def _register(client: LanguageClient, params: T.RegistrationParams):
    client.registrations.extend(params.registrations)  # the editor would start watching files


def _make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record,
                                   T.CLIENT_REGISTER_CAPABILITY: _register})
    client.registrations = []
    client.published = []
    return client


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "segdsl.cli.main", "lsp"],
                              client_factory=_make_client),
    scope="session", params=CLIENTS, ids=["vscode", "neovim"],
)
async def client(lsp_client: LanguageClient, request):
    lsp_client.init_result = await lsp_client.initialize_session(T.InitializeParams(
        capabilities=client_capabilities(request.param),
        initialization_options={"debounceMs": 20},
    ))
    lsp_client.kind = request.param
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(HERE / "project", root)
    return root


def uri(path: Path) -> str:
    return path.resolve().as_uri()


async def open_doc(client, path: Path, text: str | None = None, version: int = 1) -> str:
    text = path.read_text() if text is None else text
    language = "toml" if path.name.endswith(".toml") else "segdsl"
    client.text_document_did_open(T.DidOpenTextDocumentParams(
        T.TextDocumentItem(uri=uri(path), language_id=language, version=version, text=text)))
    return uri(path)


def change(client, doc_uri: str, version: int, text: str) -> None:
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        T.VersionedTextDocumentIdentifier(uri=doc_uri, version=version),
        [T.TextDocumentContentChangeWholeDocument(text=text)]))


async def published(client, doc_uri: str, version=None, since: int = 0, what=None):
    """The first diagnostics published for `doc_uri` (with `version`, if given; satisfying
    `what(diagnostics)`, if given) after the `since`-th publication, waiting for them."""
    async def wait():
        seen = since
        while True:
            for u, v, diags in client.published[seen:]:
                if u == doc_uri and (version is None or v == version) and (what is None or what(diags)):
                    return list(diags)
            seen = len(client.published)
            await client.wait_for_notification(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), TIMEOUT)


def codes(diags) -> list[str]:
    return [d.code for d in diags]


def position_of(text: str, needle: str, offset: int = 0) -> T.Position:
    i = text.index(needle) + offset
    line = text.count("\n", 0, i)
    return T.Position(line, i - (text.rfind("\n", 0, i) + 1))
