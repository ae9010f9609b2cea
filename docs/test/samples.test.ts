// The code samples of the reference: present on every operation, type-checked against
// @ixpress/client, and accepted by the mock when run (curl and TypeScript alike).
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { type RunningMock, startMock } from "@ixpress/mock";
import { specJsonPath } from "@ixpress/openapi";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { codeBlocks, HANDBOOK_PAGES, readPage, renderPage } from "../scripts/handbook.mjs";
import { allSamples, decorate, listOperations, SAMPLE_BASE_URL, TS_CLIENT_LINE } from "../scripts/samples.mjs";

const docs = path.resolve(import.meta.dirname, "..");
const work = path.join(docs, ".build", "typecheck");
const spec = JSON.parse(readFileSync(specJsonPath, "utf8"));
const operations = listOperations(spec);
const samples = allSamples(spec);
const run = promisify(execFile);

/** The documented success status of an operation (the lowest 2xx). */
function successStatus(op: { operation: { responses: Record<string, unknown> } }): number {
  return Math.min(
    ...Object.keys(op.operation.responses)
      .filter((c) => /^2\d\d$/.test(c))
      .map(Number),
  );
}

/** Type-checks files with the options of tsconfig.samples.json; returns the diagnostics as text. */
function typecheck(files: string[]): string[] {
  const configPath = path.join(docs, "tsconfig.samples.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!parsed) throw new Error("cannot read tsconfig.samples.json");
  const program = ts.createProgram(files, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${path.relative(docs, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

const fileName = (s: (typeof samples)[number], i: number) =>
  `${String(i).padStart(3, "0")}-${s.op.operationId}${s.example ? `-${s.example.replace(/[^A-Za-z0-9]+/g, "_")}` : ""}.ts`;

describe("code samples", () => {
  it("every operation of the spec has one TypeScript and one curl sample, from its first request example", () => {
    expect(operations.length).toBeGreaterThan(0);
    for (const op of operations) {
      const own = samples.filter((s) => s.op.method === op.method && s.op.path === op.path);
      expect(
        own.map((s) => s.label),
        op.operationId,
      ).toEqual(["TypeScript", "curl"]);
      if (op.operation.requestBody) {
        const body = op.operation.requestBody as { $ref?: string; content?: Record<string, { examples?: object }> };
        const resolved = body.$ref ? spec.components.requestBodies[body.$ref.split("/").pop()!] : body;
        const first = Object.keys(resolved.content["application/json"].examples ?? {})[0];
        expect(
          own.every((s) => s.example === first),
          op.operationId,
        ).toBe(true);
      }
      expect(own[0]!.source).toContain(JSON.stringify(op.path));
      expect(own[1]!.source).toContain(SAMPLE_BASE_URL);
    }
  });

  it("the built reference carries the samples, and the published bundle stays the pure spec", () => {
    const html = readFileSync(path.join(docs, "dist", "index.html"), "utf8");
    // Every sample, as the page's embedded definition spells it.
    const embedded = (text: string) =>
      JSON.stringify(text).slice(1, -1).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
    for (const s of samples) expect(html.includes(embedded(s.source)), `${s.op.operationId} ${s.label}`).toBe(true);
    expect(readFileSync(specJsonPath, "utf8")).not.toContain("x-codeSamples");
    expect(listOperations(decorate(spec)).every((op) => op.operation["x-codeSamples"]?.length === 2)).toBe(true);
  });

  it("refuses to generate a sample for a required parameter without an example", () => {
    const broken = structuredClone(spec);
    const op = listOperations(broken).find((o) => o.path.includes("{"));
    expect(op, "an operation with a path parameter").toBeDefined();
    op!.operation.parameters = [{ name: "document-id", in: "path", required: true, schema: { type: "integer" } }];
    expect(() => allSamples(broken)).toThrow(/has no example/);
  });

  it("every TypeScript sample and every checked TypeScript block of the handbook type-checks against @ixpress/client", () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const files: string[] = [];
    samples.forEach((s, i) => {
      if (s.lang !== "TypeScript") return;
      const file = path.join(work, fileName(s, i));
      writeFileSync(file, `${s.source}\nexport {};\n`);
      files.push(file);
    });
    let blocks = 0;
    for (const page of HANDBOOK_PAGES) {
      codeBlocks(readPage(page.slug)).forEach((b, i) => {
        if (b.lang !== "ts" || !b.check) return;
        const file = path.join(work, `handbook-${page.slug}-${i}.ts`);
        writeFileSync(file, `${b.code}\nexport {};\n`);
        files.push(file);
        blocks++;
      });
    }
    expect(blocks).toBeGreaterThanOrEqual(6);
    expect(typecheck(files)).toEqual([]);
  });

  it("the type-check catches a sample that drifted from the spec", () => {
    const ts0 = samples.find((s) => s.lang === "TypeScript" && s.source.includes("  body: {\n"));
    expect(ts0).toBeDefined();
    const drifted = ts0!.source.replace(/(body: \{\n\s+)(\w+):/, "$1$2_misspelt:");
    expect(drifted).not.toBe(ts0!.source);
    const file = path.join(docs, ".build", "typecheck-negative", "drifted.ts");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${drifted}\nexport {};\n`);
    expect(typecheck([file]).join("\n")).toMatch(/misspelt/);
  });
});

describe("the handbook", () => {
  it("links to operations resolve to the reference, and an unknown one fails the build", () => {
    const html = renderPage("[x](op:" + operations[0]!.operationId + ")", spec);
    expect(html).toMatch(/href="\.\.\/index\.html#\/[a-z0-9-]+\/[a-z0-9-]+"/);
    expect(() => renderPage("[x](op:noSuchOperation)", spec)).toThrow(/unknown operation/);
  });
});

describe("samples run against the mock", () => {
  let mock: RunningMock;
  const bin = path.join(docs, ".build", "bin");
  beforeAll(async () => {
    mock = await startMock();
    // A `curl` first on PATH that prints only the status code, so the samples run unchanged.
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, "curl"), `#!/bin/sh\nexec /usr/bin/curl -sS -o /dev/null -w '%{http_code}' "$@"\n`);
    chmodSync(path.join(bin, "curl"), 0o755);
  });
  afterAll(async () => {
    await mock?.stop();
  });

  for (const [i, s] of samples.entries()) {
    const expected = successStatus(s.op);
    if (s.lang === "curl") {
      it(`curl: ${s.op.operationId}${s.example ? ` (${s.example})` : ""} → ${expected}`, async () => {
        const script = s.source.replaceAll(SAMPLE_BASE_URL, mock.url);
        const { stdout } = await run("sh", ["-c", script], {
          env: { PATH: `${bin}:${process.env.PATH}`, IX_API_KEY: "sample-key" },
        });
        expect(Number(stdout.trim())).toBe(expected);
      });
    } else {
      it(`TypeScript: ${s.op.operationId}${s.example ? ` (${s.example})` : ""} → ${expected}`, async () => {
        expect(s.source).toContain(TS_CLIENT_LINE);
        const source = s.source.replace(
          TS_CLIENT_LINE,
          `const ix = createClient({ baseUrl: ${JSON.stringify(mock.url)}, apiKey: process.env.IX_API_KEY! });`,
        );
        const file = path.join(docs, ".build", "run", fileName(s, i));
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, source);
        const log = vi.spyOn(console, "log").mockImplementation(() => {});
        vi.stubEnv("IX_API_KEY", "sample-key");
        try {
          await import(pathToFileURL(file).href);
          expect(log).toHaveBeenCalledTimes(1);
          expect(log.mock.calls[0]![0]).toBe(expected);
        } finally {
          log.mockRestore();
          vi.unstubAllEnvs();
        }
      });
    }
  }
});
