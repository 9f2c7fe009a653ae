// The VS Code client: starts `segdsl lsp` from the user's environment and adds the
// "Show SQL" and "Count members" commands on top of the server's own ones.
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import { findServer, notFoundMessage } from "./server";

let client: LanguageClient | undefined;

export const DIALECTS = ["duckdb", "postgres", "bigquery"];

function settings() {
  const config = vscode.workspace.getConfiguration("segdsl");
  return {
    command: config.get<string[]>("server.command", []),
    pythonPath: config.get<string>("pythonPath", ""),
    dialect: config.get<string>("dialect", "duckdb"),
    warehouse: config.get<string>("warehouse", ""),
    debounceMs: config.get<number>("debounceMs", 150),
  };
}

export async function start(context: vscode.ExtensionContext): Promise<LanguageClient | undefined> {
  const s = settings();
  const found = findServer({
    command: s.command,
    pythonPath: s.pythonPath,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    envPath: process.env.PATH ?? "",
    platform: process.platform,
  });
  if (!found.ok) {
    void vscode.window.showErrorMessage(notFoundMessage(found));
    return undefined;
  }
  const [command, ...args] = found.candidate.command;
  const serverOptions: ServerOptions = { command, args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "segdsl" },
      { scheme: "file", language: "segtest" },
      { scheme: "file", pattern: "**/segdsl.toml" },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.seg,*.segtest,segdsl.toml}") },
    initializationOptions: { dialect: s.dialect, warehouse: s.warehouse || undefined, debounceMs: s.debounceMs },
  };
  client = new LanguageClient("segdsl", "segdsl", serverOptions, clientOptions);
  await client.start();
  return client;
}

interface Target {
  uri: string;
  position: { line: number; character: number };
}

function target(): Target | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "segdsl") {
    void vscode.window.showWarningMessage("segdsl: open a .seg file and put the cursor on a segment");
    return undefined;
  }
  const p = editor.selection.active;
  return { uri: editor.document.uri.toString(), position: { line: p.line, character: p.character } };
}

async function run(command: string, args: unknown[]): Promise<Record<string, unknown> | undefined> {
  if (!client) {
    void vscode.window.showErrorMessage("segdsl: the language server is not running");
    return undefined;
  }
  const result = (await client.sendRequest("workspace/executeCommand", { command, arguments: args })) as
    | Record<string, unknown>
    | undefined;
  if (!result || typeof result.error === "string") {
    return undefined; // the server has shown its message
  }
  return result;
}

export async function showSql(): Promise<void> {
  const t = target();
  if (!t) {
    return;
  }
  const first = settings().dialect;
  const dialect = await vscode.window.showQuickPick([first, ...DIALECTS.filter((d) => d !== first)], {
    placeHolder: "SQL dialect",
  });
  if (!dialect) {
    return;
  }
  const result = await run("segdsl.server.showSql", [t.uri, t.position, { dialect }]);
  if (result) {
    const doc = await vscode.workspace.openTextDocument({
      language: "sql",
      content: `-- segment ${result.segment}, ${result.dialect}\n${result.sql}\n`,
    });
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
}

export async function countMembers(): Promise<void> {
  const t = target();
  if (!t) {
    return;
  }
  const warehouse = settings().warehouse || undefined;
  const result = await run("segdsl.server.countMembers", [t.uri, t.position, { warehouse }]);
  if (result) {
    void vscode.window.showInformationMessage(`segdsl: ${result.segment} has ${result.count} members (${result.seconds} s)`);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("segdsl.showSql", showSql),
    vscode.commands.registerCommand("segdsl.countMembers", countMembers),
    vscode.commands.registerCommand("segdsl.restartServer", async () => {
      await deactivate();
      await start(context);
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop();
  }
}
