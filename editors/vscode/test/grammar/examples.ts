// Every example of the repository through the grammar: the words of the language get their
// scopes wherever they are written (not only on the lines of the hand-written tests).
import * as fs from "fs";
import * as path from "path";

const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = path.resolve(__dirname, "..", "..", "..");  // editors/vscode
const repo = path.resolve(here, "..", "..");
const KEYWORDS = new Set(["and", "or", "not", "where", "in", "is", "set", "has", "no", "did", "between", "contains",
  "starts", "ends", "with", "any", "all", "none", "top", "bottom", "by", "per", "before", "after", "on", "at", "least",
  "most", "exactly", "times", "time", "segment", "trait", "score", "when", "ago", "today", "true", "false", "then",
  "within", "same", "family", "split", "holdout", "salt", "else"]);

async function main(): Promise<void> {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
                               createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async () => vsctm.parseRawGrammar(
      fs.readFileSync(path.join(here, "syntaxes", "segdsl.tmLanguage.json"), "utf8"), "segdsl.tmLanguage.json"),
  });
  const grammar = await registry.loadGrammar("source.segdsl");
  const folders = [path.join(repo, "examples"), path.join(repo, "tests", "lsp", "project")];
  const files = folders.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith(".seg")).map((f) => path.join(d, f)));
  const problems: string[] = [];
  let words = 0;
  for (const file of files) {
    let state = vsctm.INITIAL;
    fs.readFileSync(file, "utf8").split("\n").forEach((line, i) => {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      for (const t of r.tokens) {
        const text = line.slice(t.startIndex, t.endIndex);
        const scopes: string = t.scopes.join(" ");
        const where = `${path.relative(repo, file)}:${i + 1}:${t.startIndex + 1} ${JSON.stringify(text)}`;
        if (/invalid/.test(scopes)) {
          problems.push(`${where}: invalid scope ${scopes}`);
        }
        if (/string|comment/.test(scopes)) {
          continue;
        }
        const word = text.trim();
        if (KEYWORDS.has(word)) {
          words++;
          if (!/keyword|storage|constant|support/.test(scopes)) {
            problems.push(`${where}: keyword without a keyword scope: ${scopes}`);
          }
        } else if (/^\d/.test(word) && !/constant/.test(scopes)) {
          problems.push(`${where}: number without a constant scope: ${scopes}`);
        } else if (word.startsWith('"') || word.startsWith("#")) {
          problems.push(`${where}: string or comment not scoped: ${scopes}`);
        }
      }
    });
  }
  if (problems.length > 0 || files.length === 0 || words === 0) {
    console.error(problems.join("\n") || "no example files found");
    process.exit(1);
  }
  console.log(`grammar: ${files.length} example files, ${words} keywords scoped`);
}

main().catch((e) => { console.error(e); process.exit(1); });
