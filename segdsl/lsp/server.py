"""`segdsl lsp`: the language server (stdio, pygls).

Diagnostics are computed DEBOUNCE seconds after the last edit (configurable with the
`debounceMs` initialization option), for the whole project at once through the incremental
checker, and published for the changed files and every file whose diagnostics changed, each
with the version of the open document they were computed from. The check runs on the
server's event loop, so no edit can arrive while it runs; a version check before publishing
still guards against publishing for a document that moved on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer

from segdsl import __version__
from segdsl.diagnostics import Diagnostic
from segdsl.lsp import commands, convert, renaming
from segdsl.lsp.complete import Completer
from segdsl.lsp.complete_uses import subject_items
from segdsl.lsp.convert import ErrorLinks, Lines, path_to_uri, uri_to_path
from segdsl.lsp.navigate import Navigator
from segdsl.lsp.sizes import Sizes, with_size
from segdsl.lsp.tokens import LEGEND, encode
from segdsl.lsp.workspace import ProjectState, find_root, is_project_file

DEBOUNCE = 0.15  # seconds after the last keystroke before the project is checked
log = logging.getLogger("segdsl.lsp")


class SegdslServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("segdsl", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Incremental)
        self.debounce = DEBOUNCE
        self.options: dict[str, Any] = {}
        self.states: dict[Path, ProjectState] = {}
        self.navigators: dict[Path, Navigator] = {}
        self.timers: dict[Path, asyncio.TimerHandle] = {}
        self.pending: dict[Path, set[str] | None] = {}
        self.published: dict[str, list[Diagnostic]] = {}  # path -> the segdsl diagnostics last published
        self.links = ErrorLinks()
        self.sizes = Sizes()  # segment sizes for hover, counted in the background

    # ---- projects ----
    def state_for(self, path: str) -> ProjectState | None:
        open_configs = {uri_to_path(u) for u in self.workspace.text_documents if u.endswith("segdsl.toml")}
        root = find_root(Path(path), open_configs)
        if root is None:
            return None
        if root not in self.states:
            self.states[root] = ProjectState(root)
            self.navigators[root] = Navigator(self.states[root])
            for uri, doc in self.workspace.text_documents.items():
                p = uri_to_path(uri)
                if self.states[root].owns(p) or (is_project_file(p, config=False) and Path(p).is_relative_to(root)):
                    self.states[root].overlay[p] = doc.source
        return self.states[root]

    def navigator(self, uri: str) -> tuple[Navigator, str] | None:
        path = uri_to_path(uri)
        state = self.state_for(path)
        if state is None:
            return None
        if state.root in self.pending or state.checker is None:
            self.check_now(state)  # answer from the current text, not the last debounced check
        return self.navigators[state.root], path

    def schedule(self, state: ProjectState, path: str | None) -> None:
        """Check the project `debounce` seconds from now; `path=None`: everything changed."""
        pending = self.pending.get(state.root, set())
        if path is None or pending is None:
            self.pending[state.root] = None
        else:
            pending.add(path)
            self.pending[state.root] = pending
        handle = self.timers.pop(state.root, None)
        if handle is not None:
            handle.cancel()
        loop = asyncio.get_running_loop()
        self.timers[state.root] = loop.call_later(self.debounce, self.check_now, state)

    def check_now(self, state: ProjectState) -> None:
        handle = self.timers.pop(state.root, None)
        if handle is not None:
            handle.cancel()
        changed = self.pending.pop(state.root, set())
        versions = {uri_to_path(u): d.version for u, d in self.workspace.text_documents.items()}
        try:
            by_path = state.check(changed)
        except Exception:  # a bug in segdsl: say so once, keep the server alive
            log.exception("check failed")
            self.window_show_message(T.ShowMessageParams(
                T.MessageType.Error, "segdsl: internal error while checking; see the server log"))
            return
        for path, diags in by_path.items():
            self.publish(state, path, diags, versions.get(path), force=changed is None or path in changed)
        for path in [p for p in self.published if p not in by_path and Path(p).is_relative_to(state.root)]:
            self.publish(state, path, [], versions.get(path), force=True)  # a file that is gone
            self.published.pop(path, None)

    def uri_for(self, path: str) -> str:
        """The URI the client uses for an open file (its spelling may differ from ours)."""
        for uri in self.workspace.text_documents:
            if uri_to_path(uri) == path:
                return cast(str, uri)
        return path_to_uri(path)

    def publish(self, state: ProjectState, path: str, diags: list[Diagnostic], version: int | None,
                force: bool) -> None:
        uri = self.uri_for(path)
        doc = self.workspace.text_documents.get(uri)
        if doc is not None and version is not None and doc.version != version:
            return  # computed for an older text: a newer check is on its way
        if not force and self.published.get(path) == diags:
            return  # unchanged (compared before converting: most files are, after an edit)
        self.published[path] = list(diags)
        lines = Lines(state.text(path))
        converted = [convert.to_lsp(d, lines, state.text, self.links, state.abs) for d in diags]
        self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(
            uri=uri, diagnostics=converted, version=version))


server = SegdslServer()


@server.feature(T.INITIALIZE)
def initialize(ls: SegdslServer, params: T.InitializeParams) -> None:
    options = params.initialization_options or {}
    ls.options = options if isinstance(options, dict) else {}
    if "debounceMs" in ls.options:
        ls.debounce = max(0.0, float(ls.options["debounceMs"]) / 1000)
    if ls.options.get("errorsUrl"):
        ls.links = ErrorLinks(str(ls.options["errorsUrl"]))
    general = params.capabilities.general
    encodings = (general.position_encodings if general is not None else None) or []
    chosen = next((e for e in encodings if e in ("utf-8", "utf-16", "utf-32")), "utf-16")
    convert.ENCODING["name"] = str(getattr(chosen, "value", chosen))


@server.feature(T.INITIALIZED)
async def initialized(ls: SegdslServer, params: T.InitializedParams) -> None:
    # the project of each workspace folder is checked at once: every file's problems show,
    # and workspace symbols work, before any file is opened
    for folder in ls.workspace.folders.values():
        state = ls.state_for(str(Path(uri_to_path(folder.uri)) / "_.seg"))
        if state is not None:
            ls.schedule(state, None)
    caps = ls.client_capabilities.workspace
    watch = caps is not None and caps.did_change_watched_files is not None \
        and caps.did_change_watched_files.dynamic_registration
    if watch:
        watchers = [T.FileSystemWatcher(glob_pattern=g) for g in ("**/*.seg", "**/*.segtest", "**/segdsl.toml")]
        try:
            await ls.client_register_capability_async(T.RegistrationParams(registrations=[T.Registration(
                id="segdsl-files", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=T.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))
        except Exception:  # the client said it could, then did not: edits on disk go unseen
            log.warning("the client did not accept watching *.seg files")


# ---- documents ----
def _buffer_changed(ls: SegdslServer, uri: str) -> None:
    path = uri_to_path(uri)
    if not is_project_file(path):
        return
    state = ls.state_for(path)
    if state is None:
        ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[T.Diagnostic(
            range=T.Range(T.Position(0, 0), T.Position(0, 0)), severity=T.DiagnosticSeverity.Error,
            code="SEG0401", source="segdsl",
            message="no segdsl.toml found in this folder or any folder above it\n"
                    "help: a project is a folder with a segdsl.toml; `segdsl init DIR` creates one")]))
        return
    doc = ls.workspace.get_text_document(uri)
    state.overlay[path] = doc.source
    ls.schedule(state, None if path == state.config_path else path)


@server.feature(T.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: SegdslServer, params: T.DidOpenTextDocumentParams) -> None:
    _buffer_changed(ls, params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: SegdslServer, params: T.DidChangeTextDocumentParams) -> None:
    _buffer_changed(ls, params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
async def did_close(ls: SegdslServer, params: T.DidCloseTextDocumentParams) -> None:
    path = uri_to_path(params.text_document.uri)
    state = ls.state_for(path)
    if state is not None and path in state.overlay:
        state.overlay.pop(path)
        state.reload_file(path)  # the file as saved (or gone)
        ls.schedule(state, None if path == state.config_path else path)


def _files_changed(ls: SegdslServer, paths: list[str]) -> None:
    for path in paths:
        if not is_project_file(path):
            continue
        state = ls.state_for(path)
        if state is None:
            continue
        state.reload_file(path)
        ls.schedule(state, None if path == state.config_path else path)


@server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def watched(ls: SegdslServer, params: T.DidChangeWatchedFilesParams) -> None:
    _files_changed(ls, [uri_to_path(c.uri) for c in params.changes])


@server.feature(T.WORKSPACE_DID_RENAME_FILES)
async def renamed(ls: SegdslServer, params: T.RenameFilesParams) -> None:
    _files_changed(ls, [uri_to_path(u) for f in params.files for u in (f.old_uri, f.new_uri)])


@server.feature(T.WORKSPACE_DID_DELETE_FILES)
async def deleted(ls: SegdslServer, params: T.DeleteFilesParams) -> None:
    _files_changed(ls, [uri_to_path(f.uri) for f in params.files])


@server.feature(T.WORKSPACE_DID_CREATE_FILES)
async def created(ls: SegdslServer, params: T.CreateFilesParams) -> None:
    _files_changed(ls, [uri_to_path(f.uri) for f in params.files])


# ---- language features ----
def _where(ls: SegdslServer, uri: str, pos: T.Position) -> tuple[Navigator, str, int, int] | None:
    found = ls.navigator(uri)
    if found is None:
        return None
    nav, path = found
    line, col = Lines(nav.state.text(path)).from_position(pos)
    return nav, path, line, col


@server.feature(T.TEXT_DOCUMENT_CODE_ACTION, T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix]))
def code_action(ls: SegdslServer, params: T.CodeActionParams) -> list[T.CodeAction]:
    actions: list[T.CodeAction] = []
    for d in params.context.diagnostics:
        data = d.data if isinstance(d.data, dict) else {}
        # a diagnostic's fixes are alternatives, the compiler's preferred one first
        for i, fix in enumerate(data.get("fixes") or ()):
            edit = T.TextEdit(convert.range_from_json(fix["range"]), fix["newText"])
            target = fix.get("uri", params.text_document.uri)
            actions.append(T.CodeAction(title=fix["title"], kind=T.CodeActionKind.QuickFix, diagnostics=[d],
                                        edit=T.WorkspaceEdit(changes={target: [edit]}),
                                        is_preferred=i == 0))
    return actions


@server.feature(T.TEXT_DOCUMENT_COMPLETION, T.CompletionOptions(trigger_characters=['.', '"', " ", "["]))
def completion(ls: SegdslServer, params: T.CompletionParams) -> T.CompletionList | None:
    found = ls.navigator(params.text_document.uri)  # checks first if an edit is pending
    if found is None:
        return None
    state = found[0].state
    text = ls.workspace.get_text_document(params.text_document.uri).source
    offset = Lines(text).offset(params.position)
    if found[1].endswith(".segtest"):  # a test's body is TOML: only its subject is completed
        return T.CompletionList(is_incomplete=False, items=subject_items(state, text, offset))
    schema = state.project.schema if state.project is not None else None
    typed = state.checker.result.typed if state.checker is not None else {}
    types_of = {n: str(t.type) for n, t in typed.items() if t is not None}
    completer = Completer(schema, state.kinds(), types_of, state.members(), state.params())
    items = completer.complete(text, offset)
    return T.CompletionList(is_incomplete=completer.incomplete, items=items)


@server.feature(T.TEXT_DOCUMENT_HOVER)
def hover(ls: SegdslServer, params: T.HoverParams) -> T.Hover | None:
    w = _where(ls, params.text_document.uri, params.position)
    return with_size(w[0].hover(*w[1:]), ls.sizes, *w, ls.options.get("warehouse")) if w else None


@server.feature(T.TEXT_DOCUMENT_DEFINITION)
def definition(ls: SegdslServer, params: T.DefinitionParams) -> list[T.Location] | None:
    w = _where(ls, params.text_document.uri, params.position)
    return w[0].definition(*w[1:]) if w else None


@server.feature(T.TEXT_DOCUMENT_REFERENCES)
def references(ls: SegdslServer, params: T.ReferenceParams) -> list[T.Location] | None:
    w = _where(ls, params.text_document.uri, params.position)
    return w[0].references(*w[1:], params.context.include_declaration) if w else None


@server.feature(T.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: SegdslServer, params: T.PrepareRenameParams) -> T.Range | None:
    w = _where(ls, params.text_document.uri, params.position)
    return w[0].prepare_rename(*w[1:]) if w else None


@server.feature(T.TEXT_DOCUMENT_RENAME)
def rename(ls: SegdslServer, params: T.RenameParams) -> T.WorkspaceEdit | None:
    from pygls.exceptions import JsonRpcInvalidParams

    w = _where(ls, params.text_document.uri, params.position)
    try:
        return renaming.warned(ls, *w, w[0].rename(*w[1:], params.new_name)) if w else None
    except ValueError as e:
        raise JsonRpcInvalidParams(str(e)) from None


@server.feature(T.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbols(ls: SegdslServer, params: T.DocumentSymbolParams) -> list[T.DocumentSymbol] | None:
    found = ls.navigator(params.text_document.uri)
    return found[0].document_symbols(found[1]) if found else None


@server.feature(T.WORKSPACE_SYMBOL)
def workspace_symbols(ls: SegdslServer, params: T.WorkspaceSymbolParams) -> list[T.SymbolInformation]:
    out: list[T.SymbolInformation] = []
    for nav in ls.navigators.values():
        out += nav.workspace_symbols(params.query)
    return out


@server.feature(T.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: SegdslServer, params: T.DocumentFormattingParams) -> list[T.TextEdit] | None:
    from segdsl.format import FormatError, format_source

    path = uri_to_path(params.text_document.uri)
    if not path.endswith(".seg"):
        return None
    text = ls.workspace.get_text_document(params.text_document.uri).source
    try:
        new = format_source(text, path)
    except FormatError:
        return None  # a file with syntax errors is never rewritten; its diagnostics say why
    if new == text:
        return []
    lines = text.split("\n")
    end = T.Position(len(lines) - 1, convert.client_col(lines[-1], len(lines[-1])))
    return [T.TextEdit(T.Range(T.Position(0, 0), end), new)]


@server.feature(T.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)
def semantic_tokens(ls: SegdslServer, params: T.SemanticTokensParams) -> T.SemanticTokens:
    found = ls.navigator(params.text_document.uri)
    if not found:
        return T.SemanticTokens(data=[])
    nav, path = found
    return T.SemanticTokens(data=encode(nav.occurrences(path), nav.state.text(path) or ""))


# ---- commands ----
# Named segdsl.server.*: clients turn a server's commands into editor commands of the same
# name, and the VS Code extension's own segdsl.showSql (which asks for a dialect) wraps this.
def _command_target(ls: SegdslServer, args: Sequence[Any]) -> tuple[Navigator, str]:
    """Arguments: [uri, {line, character}, ...] as the editors send them."""
    if not args or len(args) < 2:
        raise commands.CommandError("expected the document and the cursor position")
    uri, pos = args[0], args[1]
    pos = pos if isinstance(pos, T.Position) else T.Position(int(pos["line"]), int(pos["character"]))
    w = _where(ls, uri, pos)
    if not w:
        raise commands.CommandError("this file is not in a segdsl project")
    nav, path, line, col = w
    return nav, commands.segment_at(nav, path, line, col)


def _option(args: Sequence[Any], index: int, key: str, default: Any = None) -> Any:
    if args and len(args) > index and isinstance(args[index], dict):
        return args[index].get(key, default)
    return default


@server.command("segdsl.server.showSql")
def show_sql(ls: SegdslServer, *args: Any) -> dict[str, Any]:
    """[uri, position, {dialect?, asOf?}] -> {segment, dialect, sql}"""
    try:
        nav, name = _command_target(ls, args)
        return commands.show_sql(nav.state, name, _option(args, 2, "dialect", ls.options.get("dialect")),
                                 _option(args, 2, "asOf"))
    except commands.CommandError as e:
        ls.window_show_message(T.ShowMessageParams(T.MessageType.Warning, f"segdsl: {e}"))
        return {"error": str(e)}


@server.command("segdsl.server.countMembers")
def count_members(ls: SegdslServer, *args: Any) -> dict[str, Any]:
    """[uri, position, {warehouse?, asOf?}] -> {segment, count, seconds}"""
    try:
        nav, name = _command_target(ls, args)
        return commands.count_members(nav.state, name, _option(args, 2, "warehouse", ls.options.get("warehouse")),
                                      _option(args, 2, "asOf"))
    except commands.CommandError as e:
        ls.window_show_message(T.ShowMessageParams(T.MessageType.Warning, f"segdsl: {e}"))
        return {"error": str(e)}


def main() -> None:
    server.start_io()
