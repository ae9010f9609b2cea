// What the `@ts-expect-error`s of exact.test-d.ts cannot say: that each error names the misspelt
// key, on TS 5.9 and on TS 7 (the native compiler, run as a binary), and that completion inside
// a body still lists the operation's fields.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = readFileSync(path.join(root, "test/exact.test-d.ts"), "utf8");
const index = path.join(root, "src/index.js");
// typescript@7 exports no `bin/tsc` subpath: find the binary next to its package.json.
const tsc7 = path.join(path.dirname(createRequire(import.meta.url).resolve("typescript7/package.json")), "bin/tsc");

/** The type-test file without its directives, and the line (1-based) and key each one expects. */
function stripped() {
  const lines = source.split("\n");
  const expected: Array<{ line: number; key: string }> = [];
  lines.forEach((text, i) => {
    const m = /^\s*\/\/ @ts-expect-error `([^`]+)`/.exec(text);
    if (m?.[1]) expected.push({ line: i + 2, key: m[1] });
  });
  const text = lines
    .map((l) => (l.includes("@ts-expect-error") ? "" : l))
    .join("\n")
    .replace('"../src/index.js"', JSON.stringify(index));
  return { text, expected };
}

// Inside the package, so that the files are ES modules (its package.json says `"type": "module"`).
const dir = mkdtempSync(path.join(root, "test", ".exact-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { text, expected } = stripped();
const file = path.join(dir, "exact.ts");
writeFileSync(file, text);
const options = {
  ...ts.getDefaultCompilerOptions(),
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  noEmit: true,
  types: [],
};

// Each case compiles the whole client's types (a few seconds, more on a busy machine).
const COMPILE = { timeout: 120_000 };

describe("a misspelt key is an error that names it", COMPILE, () => {
  it("has a case for each depth", () => {
    // envelope, document, client, line item, init, params, query, path, message, call options
    expect(expected.length).toBeGreaterThanOrEqual(15);
  });

  it("TS 5.9 names the key of every case (and suggests the nearest one where it can)", () => {
    const program = ts.createProgram([file], options);
    const byLine = new Map<number, string[]>();
    for (const d of ts.getPreEmitDiagnostics(program)) {
      if (d.file?.fileName !== file || d.start === undefined) continue;
      const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
      byLine.set(line, [...(byLine.get(line) ?? []), ts.flattenDiagnosticMessageText(d.messageText, "\n")]);
    }
    for (const { line, key } of expected) {
      const messages = (byLine.get(line) ?? []).join("\n");
      expect(messages, `line ${line}: ${key}`).toContain(`'${key}'`);
    }
    expect(byLine.get(expected.find((e) => e.key === "perpage")!.line)?.join()).toContain("Did you mean");
  });

  it("TS 7 (native tsc) reports the same keys on the same lines", () => {
    const config = path.join(dir, "tsconfig.json");
    writeFileSync(
      config,
      JSON.stringify({ extends: path.join(root, "tsconfig.json"), include: [], files: [file], compilerOptions: {} }),
    );
    const r = spawnSync(process.execPath, [tsc7, "-p", config, "--pretty", "false"], { encoding: "utf8" });
    expect(r.stdout).toMatch(/error TS/);
    const version = spawnSync(process.execPath, [tsc7, "--version"], { encoding: "utf8" }).stdout;
    expect(version).toMatch(/^Version 7\./);
    for (const { line, key } of expected) {
      const here = r.stdout.split("\n").filter((l) => l.includes(`exact.ts(${line},`));
      expect(here.join("\n"), `line ${line}: ${key}`).toContain(`'${key}'`);
    }
  });

  it("the type tests themselves pass on TS 7", () => {
    const r = spawnSync(process.execPath, [tsc7, "-p", path.join(root, "tsconfig.json"), "--pretty", "false"], {
      encoding: "utf8",
    });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("completion still lists the operation's fields", COMPILE, () => {
  function completions(code: string, marker: string): string[] {
    const name = path.join(dir, "complete.ts");
    const content = `import { createClient } from ${JSON.stringify(index)};\nconst ix = createClient({ accountName: "a", apiKey: "k" });\n${code}`;
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [name],
      getScriptVersion: () => "1",
      getScriptSnapshot: (f) =>
        f === name
          ? ts.ScriptSnapshot.fromString(content.replace(marker, ""))
          : ts.sys.fileExists(f)
            ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f) ?? "")
            : undefined,
      getCurrentDirectory: () => root,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => f === name || ts.sys.fileExists(f),
      readFile: (f) => (f === name ? content.replace(marker, "") : ts.sys.readFile(f)),
      directoryExists: ts.sys.directoryExists,
      realpath: ts.sys.realpath, // pnpm's symlinks: openapi-fetch finds its helpers from its real path
      getDirectories: ts.sys.getDirectories,
    };
    const service = ts.createLanguageService(host);
    const at = content.indexOf(marker);
    const entries = service.getCompletionsAtPosition(name, at, {})?.entries ?? [];
    return entries.map((e) => e.name);
  }

  it("in a nested client of an invoice, in a line item and in the query", () => {
    const client = completions(
      `void ix.POST("/invoices.json", { body: { invoice: { date: "", due_date: "", items: [], client: { name: "", code: "", /*|*/ } } } });`,
      "/*|*/",
    );
    expect(client).toEqual(expect.arrayContaining(["email", "fiscal_id", "country"]));
    const line = completions(
      `void ix.POST("/invoices.json", { body: { invoice: { date: "", due_date: "", client: { name: "", code: "" }, items: [{ /*|*/ }] } } });`,
      "/*|*/",
    );
    expect(line).toEqual(expect.arrayContaining(["unit_price", "quantity", "tax"]));
    const query = completions(`void ix.GET("/clients.json", { params: { query: { /*|*/ } } });`, "/*|*/");
    expect(query).toEqual(expect.arrayContaining(["page", "per_page"]));
    const paths = completions(`void ix.DELETE("/*|*/");`, "/*|*/");
    expect(paths).toContain("/clients/{client-id}.json");
  });
});
