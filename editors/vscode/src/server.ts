// Finding the `segdsl lsp` command in the user's environment. No `vscode` import here: this
// is plain logic, tested on its own.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface ServerSettings {
  command: string[]; // segdsl.server.command
  pythonPath: string; // segdsl.pythonPath
  workspaceFolders: string[];
  envPath: string; // PATH
  platform: NodeJS.Platform;
}

export interface Candidate {
  command: string[]; // the full command that starts the server
  interpreter: string; // what the user should recognise: a Python or a segdsl executable
  origin: string; // which setting or convention proposed it
}

export type Probe = (command: string[]) => { ok: boolean; detail: string };

export type Found = { ok: true; candidate: Candidate } | { ok: false; tried: Candidate[]; details: string[] };

const SERVER_ARGS = ["lsp"];
const MODULE_ARGS = ["-m", "segdsl.cli.main", "lsp"];

function exe(dir: string, name: string, platform: NodeJS.Platform): string {
  return platform === "win32" ? path.join(dir, "Scripts", `${name}.exe`) : path.join(dir, "bin", name);
}

function onPath(name: string, envPath: string, platform: NodeJS.Platform, exists: (p: string) => boolean): string | undefined {
  const sep = platform === "win32" ? ";" : ":";
  const names = platform === "win32" ? [`${name}.exe`, `${name}.cmd`] : [name];
  for (const dir of envPath.split(sep).filter((d) => d)) {
    for (const n of names) {
      const full = path.join(dir, n);
      if (exists(full)) {
        return full;
      }
    }
  }
  return undefined;
}

/** The commands worth trying, most specific first. */
export function candidates(s: ServerSettings, exists: (p: string) => boolean = fs.existsSync): Candidate[] {
  const out: Candidate[] = [];
  if (s.command.length > 0) {
    out.push({ command: s.command, interpreter: s.command[0], origin: "the setting segdsl.server.command" });
    return out; // an explicit command is the only one tried
  }
  if (s.pythonPath) {
    out.push({ command: [s.pythonPath, ...MODULE_ARGS], interpreter: s.pythonPath, origin: "the setting segdsl.pythonPath" });
    return out;
  }
  for (const folder of s.workspaceFolders) {
    for (const venv of [".venv", "venv"]) {
      const segdsl = exe(path.join(folder, venv), "segdsl", s.platform);
      if (exists(segdsl)) {
        out.push({ command: [segdsl, ...SERVER_ARGS], interpreter: segdsl, origin: `the workspace's ${venv}` });
      }
    }
  }
  const segdsl = onPath("segdsl", s.envPath, s.platform, exists);
  if (segdsl) {
    out.push({ command: [segdsl, ...SERVER_ARGS], interpreter: segdsl, origin: "PATH" });
  }
  const python = onPath(s.platform === "win32" ? "python" : "python3", s.envPath, s.platform, exists);
  out.push({
    command: [python ?? "python3", ...MODULE_ARGS],
    interpreter: python ?? "python3 (not found on PATH)",
    origin: "PATH",
  });
  return out;
}

/** Runs `<command> --help` and says whether segdsl's server is behind it. */
export const probe: Probe = (command) => {
  const r = spawnSync(command[0], [...command.slice(1), "--help"], { encoding: "utf8", timeout: 20000 });
  if (r.error) {
    return { ok: false, detail: r.error.message };
  }
  if (r.status === 0 && /language server/i.test(r.stdout)) {
    return { ok: true, detail: "" };
  }
  const said = `${r.stderr || ""}${r.stdout || ""}`.trim().split("\n").slice(-1)[0] || `exit code ${r.status}`;
  return { ok: false, detail: said };
};

export function findServer(s: ServerSettings, check: Probe = probe, exists?: (p: string) => boolean): Found {
  const tried = candidates(s, exists);
  const details: string[] = [];
  for (const c of tried) {
    const r = check(c.command);
    if (r.ok) {
      return { ok: true, candidate: c };
    }
    details.push(r.detail);
  }
  return { ok: false, tried, details };
}

/** The message shown when no server was found: names every interpreter tried, and why not. */
export function notFoundMessage(found: { tried: Candidate[]; details: string[] }): string {
  const lines = found.tried.map((c, i) => `${c.interpreter} (from ${c.origin}): ${found.details[i] ?? "not tried"}`);
  return (
    "segdsl's language server was not found. Tried " + lines.join("; ") +
    ". Install it in the environment you use with: pip install 'segdsl[lsp]', " +
    "or set segdsl.pythonPath to the Python that has it."
  );
}
