// Finding the server: which commands are tried, in which order, and what the user is told.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import * as path from "path";
import { candidates, findServer, notFoundMessage, ServerSettings } from "../../src/server";

const base: ServerSettings = { command: [], pythonPath: "", workspaceFolders: ["/work/proj"], envPath: "/usr/local/bin:/usr/bin", platform: "linux" };

test("an explicit command is the only one tried", () => {
  const c = candidates({ ...base, command: ["/opt/seg/bin/segdsl", "lsp"] }, () => true);
  assert.deepEqual(c.map((x) => x.command), [["/opt/seg/bin/segdsl", "lsp"]]);
});

test("segdsl.pythonPath runs the module with that interpreter", () => {
  const c = candidates({ ...base, pythonPath: "/home/me/.venv/bin/python" }, () => true);
  assert.deepEqual(c[0].command, ["/home/me/.venv/bin/python", "-m", "segdsl.cli.main", "lsp"]);
  assert.equal(c.length, 1);
});

test("the workspace's .venv comes before PATH, and python3 is the last resort", () => {
  const present = new Set(["/work/proj/.venv/bin/segdsl", "/usr/bin/segdsl", "/usr/bin/python3"]);
  const c = candidates(base, (p) => present.has(p));
  assert.deepEqual(c.map((x) => x.command[0]), ["/work/proj/.venv/bin/segdsl", "/usr/bin/segdsl", "/usr/bin/python3"]);
  assert.deepEqual(c[2].command.slice(1), ["-m", "segdsl.cli.main", "lsp"]);
});

test("Windows virtual environments keep executables in Scripts", () => {
  const want = path.join("C:\\proj", ".venv", "Scripts", "segdsl.exe");
  const c = candidates({ ...base, workspaceFolders: ["C:\\proj"], envPath: "", platform: "win32" }, (p) => p === want);
  assert.equal(c[0].command[0], want);
});

test("the first candidate that answers is used", () => {
  const present = new Set(["/usr/bin/segdsl", "/usr/bin/python3"]);
  const asked: string[] = [];
  const found = findServer(base, (cmd) => { asked.push(cmd[0]); return { ok: cmd[0] === "/usr/bin/python3", detail: "no" }; }, (p) => present.has(p));
  assert.ok(found.ok);
  assert.deepEqual(asked, ["/usr/bin/segdsl", "/usr/bin/python3"]);
});

test("when nothing answers, the message names each interpreter tried and the install line", () => {
  const present = new Set(["/usr/bin/python3"]);
  const found = findServer(base, () => ({ ok: false, detail: "No module named segdsl" }), (p) => present.has(p));
  assert.ok(!found.ok);
  if (!found.ok) {
    const message = notFoundMessage(found);
    assert.match(message, /\/usr\/bin\/python3 \(from PATH\): No module named segdsl/);
    assert.match(message, /pip install 'segdsl\[lsp\]'/);
    assert.match(message, /segdsl\.pythonPath/);
  }
});

test("no python3 on PATH is said plainly", () => {
  const found = findServer({ ...base, envPath: "" }, () => ({ ok: false, detail: "spawn python3 ENOENT" }), () => false);
  assert.ok(!found.ok);
  if (!found.ok) {
    assert.match(notFoundMessage(found), /python3 \(not found on PATH\)/);
  }
});
