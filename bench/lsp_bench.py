"""Speed of the language server on a generated 1,000-segment project (20 files of 50
segments, the project of bench/check_speed.py).

    .venv/bin/python bench/lsp_bench.py [--segments 1000] [--edits 30]

Targets: fresh diagnostics within 50 ms (median) of the end of the debounce after an edit of
one file, completion within 30 ms. Two measurements of each:

- in process: what the server runs once the debounce has passed (incremental parse and
  check, conversion of every file's diagnostics to the protocol), and the completion
  function; no transport.
- end to end: a real `segdsl lsp` over stdio with the debounce set to 0, from sending
  didChange to receiving the publishDiagnostics of that version (so transport and JSON
  included), and from sending a completion request to its answer.

Edits: a keystroke inside one segment (`age > N` grows a digit), and an edit that inserts a
line (every later definition of the file moves). The in-process figures are also given in
CPU time of the process, which a machine busy with other work does not inflate. No timing
is asserted anywhere: this
script is where the figures in docs/performance.md and docs/editors.md come from.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from check_speed import generate  # noqa: E402

EDITED = "segments_010.seg"  # a file in the middle of the project
TARGETS = {"diagnostics": 50.0, "completion": 30.0}


def in_process(root: Path, edits: int) -> dict[str, list[float]]:
    from segdsl.lsp import convert
    from segdsl.lsp.complete import Completer
    from segdsl.lsp.workspace import ProjectState

    state = ProjectState(root)
    t = time.perf_counter()
    last = state.check()
    cold = time.perf_counter() - t
    path = str(root / EDITED)
    base = state.text(path)
    links = convert.ErrorLinks()
    out: dict[str, list[float]] = {"cold check": [cold * 1000], "keystroke": [], "new line": [], "completion": [],
                                   "keystroke (cpu)": [], "new line (cpu)": []}
    for kind in ("keystroke", "new line"):
        for i in range(edits):
            if kind == "keystroke":
                text = base.replace("segment s500 where", f"segment s500 where age > {i} and", 1)
            else:
                text = base.replace("segment s500 where", "\n" * (1 + i % 2) + "segment s500 where", 1)
            state.overlay[path] = text
            t, cpu = time.perf_counter(), time.process_time()
            by_path = state.check({path})
            for p, diags in by_path.items():  # what the server converts and sends
                if p == path or last.get(p) != diags:
                    last[p] = diags
                    lines = convert.Lines(state.text(p))
                    [convert.to_lsp(d, lines, state.text, links, state.abs) for d in diags]
            out[kind].append((time.perf_counter() - t) * 1000)
            out[kind + " (cpu)"].append((time.process_time() - cpu) * 1000)  # what a busy machine hides
    typed = {n: str(t.type) for n, t in state.checker.result.typed.items() if t is not None}
    for i in range(edits):
        text = base + f'\nsegment typing{i} where count(orders where status = "'
        t = time.perf_counter()
        items = Completer(state.project.schema, state.kinds(), typed).complete(text, len(text))
        out["completion"].append((time.perf_counter() - t) * 1000)
        assert {i.label for i in items} == {"paid", "refunded", "cancelled"}
    return out


async def end_to_end(root: Path, edits: int) -> dict[str, list[float]]:
    from lsprotocol import types as T
    from pytest_lsp import ClientServerConfig, client_capabilities

    from tests.lsp.conftest import _make_client

    config = ClientServerConfig(server_command=[sys.executable, "-m", "segdsl.cli.main", "lsp"],
                                client_factory=_make_client)
    client = await config.start()
    await client.initialize_session(T.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), initialization_options={"debounceMs": 0}))
    path = root / EDITED
    uri = path.resolve().as_uri()
    base = path.read_text()
    out: dict[str, list[float]] = {"keystroke": [], "completion": []}

    async def published(version: int) -> None:
        while not any(u == uri and v == version for u, v, _ in client.published):
            await client.wait_for_notification(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    client.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(uri, "segdsl", 1, base)))
    await asyncio.wait_for(published(1), 120)
    for i in range(edits):
        text = base.replace("segment s500 where", f"segment s500 where age > {i} and", 1)
        t = time.perf_counter()
        client.text_document_did_change(T.DidChangeTextDocumentParams(
            T.VersionedTextDocumentIdentifier(version=i + 2, uri=uri), [T.TextDocumentContentChangeWholeDocument(text)]))
        await asyncio.wait_for(published(i + 2), 60)
        out["keystroke"].append((time.perf_counter() - t) * 1000)
    lines = base.split("\n")
    pos = T.Position(len(lines) - 1, 0)
    for _ in range(edits):
        t = time.perf_counter()
        await client.text_document_completion_async(T.CompletionParams(T.TextDocumentIdentifier(uri), pos))
        out["completion"].append((time.perf_counter() - t) * 1000)
    await client.shutdown_session()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.segments)
        local = in_process(root, args.edits)
        remote = asyncio.run(end_to_end(root, args.edits))
    print(f"segdsl lsp on {args.segments} segments, {args.edits} edits each (milliseconds)")
    print(f"{'measure':<34}{'median':>9}{'p90':>9}{'target':>9}")
    for where, figures in (("in process", local), ("end to end", remote)):
        for name, values in figures.items():
            values = sorted(values)
            p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
            target = TARGETS["completion" if name == "completion" else "diagnostics"] if name != "cold check" else None
            print(f"{where + ': ' + name:<34}{statistics.median(values):>9.1f}{p90:>9.1f}"
                  f"{(f'{target:.0f}' if target else '-'):>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
