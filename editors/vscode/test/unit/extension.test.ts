// The extension's own code against a mocked `vscode`: activation, the server command it
// starts, the error naming the interpreter, and the two commands.
import { strict as assert } from "node:assert";
import { beforeEach, test } from "node:test";
import * as path from "path";
import { recorded } from "./vscode-mock";
import * as ext from "../../src/extension";

const context = { subscriptions: [] as unknown[] } as any;
const FAKE = [process.execPath, path.join(__dirname, "..", "..", "..", "test", "fixtures", "fake-segdsl.js"), "lsp"];

beforeEach(async () => {
  await ext.deactivate();
  Object.assign(recorded, { errors: [], warnings: [], infos: [], clients: [], opened: [], shown: [], quickPick: undefined,
    config: {}, activeEditor: undefined, responses: {} });
  recorded.commands.clear();
});

test("activation registers the commands and starts the configured server", async () => {
  recorded.config = { "server.command": FAKE, debounceMs: 80 };
  await ext.activate(context);
  assert.deepEqual([...recorded.commands.keys()].sort(), ["segdsl.countMembers", "segdsl.restartServer", "segdsl.showSql"]);
  const [client] = recorded.clients;
  assert.ok(client.started);
  assert.equal(client.serverOptions.command, process.execPath);
  assert.deepEqual(client.serverOptions.args, FAKE.slice(1));
  assert.deepEqual(client.clientOptions.documentSelector[0], { scheme: "file", language: "segdsl" });
  assert.deepEqual(client.clientOptions.documentSelector[1], { scheme: "file", language: "segtest" });
  assert.equal(client.clientOptions.initializationOptions.debounceMs, 80);
  assert.equal(client.clientOptions.synchronize.fileEvents.glob, "**/{*.seg,*.segtest,segdsl.toml}");
});

test("a Python without segdsl gives an error naming that interpreter", async () => {
  recorded.config = { pythonPath: process.execPath };  // node standing in for a Python without segdsl
  await ext.activate(context);
  assert.equal(recorded.clients.length, 0);
  assert.equal(recorded.errors.length, 1);
  assert.ok(recorded.errors[0].includes(process.execPath), recorded.errors[0]);
  assert.match(recorded.errors[0], /pip install 'segdsl\[lsp\]'/);
});

function editorAt(line: number, character: number, languageId = "segdsl") {
  return { document: { languageId, uri: { toString: () => "file:///p/a.seg" } }, selection: { active: { line, character } } };
}

test("Show SQL asks for a dialect and opens the SQL beside the file", async () => {
  recorded.config = { "server.command": FAKE, dialect: "postgres" };
  await ext.activate(context);
  recorded.activeEditor = editorAt(3, 9);
  recorded.quickPick = "bigquery";
  recorded.responses["segdsl.server.showSql"] = { segment: "hikers", dialect: "bigquery", sql: "SELECT 1" };
  await recorded.commands.get("segdsl.showSql")!();
  const request = recorded.clients[0].requests[0];
  assert.equal(request.method, "workspace/executeCommand");
  assert.deepEqual(request.params.arguments, ["file:///p/a.seg", { line: 3, character: 9 }, { dialect: "bigquery" }]);
  assert.deepEqual(recorded.opened, [{ language: "sql", content: "-- segment hikers, bigquery\nSELECT 1\n" }]);
});

test("Count members reports the size, and needs a .seg editor", async () => {
  recorded.config = { "server.command": FAKE, warehouse: "/data/w.duckdb" };
  await ext.activate(context);
  recorded.activeEditor = editorAt(0, 0, "python");
  await recorded.commands.get("segdsl.countMembers")!();
  assert.equal(recorded.clients[0].requests.length, 0);
  assert.match(recorded.warnings[0], /open a \.seg file/);
  recorded.activeEditor = editorAt(0, 0);
  recorded.responses["segdsl.server.countMembers"] = { segment: "hikers", count: 42, seconds: 0.01 };
  await recorded.commands.get("segdsl.countMembers")!();
  assert.deepEqual(recorded.clients[0].requests[0].params.arguments[2], { warehouse: "/data/w.duckdb" });
  assert.deepEqual(recorded.infos, ["segdsl: hikers has 42 members (0.01 s)"]);
});

test("a server error is not shown twice", async () => {
  recorded.config = { "server.command": FAKE };
  await ext.activate(context);
  recorded.activeEditor = editorAt(0, 0);
  recorded.responses["segdsl.server.countMembers"] = { error: "no warehouse configured" };
  await recorded.commands.get("segdsl.countMembers")!();
  assert.deepEqual(recorded.infos, []);
});
