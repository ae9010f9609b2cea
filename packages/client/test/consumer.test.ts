// consumer.test-d.ts as a consumer's project compiles it: with `exactOptionalPropertyTypes` on
// (as in @tsconfig/strictest) and off, on TS 5.9 and on TS 7 (the native compiler, run as a
// binary). The file must compile without an error of its own: each round trip type-checks, and
// each enum typo is an error (its `@ts-expect-error` would be unused, itself an error, if not).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = readFileSync(path.join(root, "test/consumer.test-d.ts"), "utf8");
const tsc7 = path.join(path.dirname(createRequire(import.meta.url).resolve("typescript7/package.json")), "bin/tsc");

// Inside the package, so that the file is an ES module (its package.json says `"type": "module"`).
const dir = mkdtempSync(path.join(root, "test", ".consumer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, "consumer.ts");
writeFileSync(file, source.replace('"../src/index.js"', JSON.stringify(path.join(root, "src/index.js"))));
const typos = [...source.matchAll(/@ts-expect-error `([^`]+)`/g)].map((m) => m[1]);

/** The diagnostics TS 5.9 reports in the consumer's file (not in the client's own sources). */
function ts59(exact: boolean, text = file): string[] {
  const program = ts.createProgram([text], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: exact,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === text)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/** The same with the native TS 7 compiler. */
function ts7(exact: boolean, text = file): string[] {
  const config = path.join(dir, `tsconfig.${exact}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      extends: path.join(root, "tsconfig.json"),
      include: [],
      files: [text],
      compilerOptions: { exactOptionalPropertyTypes: exact },
    }),
  );
  const r = spawnSync(process.execPath, [tsc7, "-p", config, "--pretty", "false"], { encoding: "utf8" });
  // tsc prints paths relative to its working directory: match the file name.
  return r.stdout.split("\n").filter((l) => l.includes(`${path.basename(text)}(`));
}

const COMPILE = { timeout: 120_000 };

describe("a consumer's read → change → write compiles, enum typos do not", COMPILE, () => {
  it("has the typos of issue 25", () => {
    expect(typos).toEqual(["pr", "Portgual", "M1", "yes"]);
  });

  for (const exact of [true, false]) {
    it(`TS 5.9, exactOptionalPropertyTypes ${exact ? "on" : "off"}`, () => {
      expect(ts59(exact)).toEqual([]);
    });
    it(`TS 7, exactOptionalPropertyTypes ${exact ? "on" : "off"}`, () => {
      const version = spawnSync(process.execPath, [tsc7, "--version"], { encoding: "utf8" }).stdout;
      expect(version).toMatch(/^Version 7\./);
      expect(ts7(exact)).toEqual([]);
    });
  }

  it("without the directives, each typo is an error on both compilers (the test can fail)", () => {
    const bare = path.join(dir, "bare.ts");
    writeFileSync(bare, readFileSync(file, "utf8").replace(/\/\/ @ts-expect-error[^\n]*/g, ""));
    const five = ts59(true, bare).join("\n");
    const seven = ts7(true, bare).join("\n");
    for (const typo of typos) {
      expect(five).toContain(`"${typo}"`);
      expect(seven).toContain(`"${typo}"`);
    }
  });
});
