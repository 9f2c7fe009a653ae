// A stand-in for the `vscode` module and for vscode-languageclient, installed before the
// extension is loaded: nothing here can run a real VS Code.
import Module = require("module");

export interface Recorded {
  errors: string[];
  warnings: string[];
  infos: string[];
  commands: Map<string, (...args: unknown[]) => unknown>;
  clients: FakeClient[];
  opened: { language: string; content: string }[];
  shown: unknown[];
  quickPick: string | undefined;
  config: Record<string, unknown>;
  activeEditor: unknown;
  responses: Record<string, unknown>;
}

export const recorded: Recorded = {
  errors: [], warnings: [], infos: [], commands: new Map(), clients: [], opened: [], shown: [],
  quickPick: undefined, config: {}, activeEditor: undefined, responses: {},
};

export class FakeClient {
  started = false;
  stopped = false;
  requests: { method: string; params: any }[] = [];
  constructor(public id: string, public name: string, public serverOptions: any, public clientOptions: any) {
    recorded.clients.push(this);
  }
  async start() { this.started = true; }
  async stop() { this.stopped = true; }
  async sendRequest(method: string, params: any) {
    this.requests.push({ method, params });
    return recorded.responses[params.command];
  }
}

const vscode = {
  workspace: {
    workspaceFolders: [{ uri: { fsPath: "/nonexistent/workspace" } }],
    getConfiguration: () => ({ get: (key: string, dflt: unknown) => (key in recorded.config ? recorded.config[key] : dflt) }),
    createFileSystemWatcher: (glob: string) => ({ glob }),
    openTextDocument: async (what: { language: string; content: string }) => { recorded.opened.push(what); return what; },
  },
  window: {
    showErrorMessage: async (m: string) => { recorded.errors.push(m); },
    showWarningMessage: async (m: string) => { recorded.warnings.push(m); },
    showInformationMessage: async (m: string) => { recorded.infos.push(m); },
    showQuickPick: async (items: string[]) => recorded.quickPick ?? items[0],
    showTextDocument: async (doc: unknown) => { recorded.shown.push(doc); },
    get activeTextEditor() { return recorded.activeEditor; },
  },
  commands: {
    registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => { recorded.commands.set(id, fn); return { dispose() {} }; },
  },
  ViewColumn: { Beside: -2 },
};

const original = (Module as any)._load;
(Module as any)._load = function (request: string, parent: unknown, isMain: boolean) {
  if (request === "vscode") {
    return vscode;
  }
  if (request === "vscode-languageclient/node") {
    return { LanguageClient: FakeClient };
  }
  return original.call(this, request, parent, isMain);
};
