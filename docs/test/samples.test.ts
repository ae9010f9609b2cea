// The code samples of the reference: present on every operation, type-checked against
// @ixpress/client, and accepted by the mock when run (curl and TypeScript alike).
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { type RunningMock, startMock } from "@ixpress/mock";
import { specJsonPath } from "@ixpress/openapi";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  changelogMarkdown,
  codeBlocks,
  guidesByOperation,
  HANDBOOK_PAGES,
  readPage,
  renderPage,
  searchIndex,
} from "../scripts/handbook.mjs";
import { checkLinks } from "../scripts/links.mjs";
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

/** The named request examples of an operation, [name, example], in the spec's order. */
function requestExamples(op: {
  operation: { requestBody?: unknown };
}): [string, { summary?: string; value: unknown }][] {
  const body = op.operation.requestBody as
    | { $ref?: string; content?: Record<string, { examples?: object }> }
    | undefined;
  if (!body) return [];
  const resolved = body.$ref ? spec.components.requestBodies[body.$ref.split("/").pop()!] : body;
  const examples = resolved.content?.["application/json"]?.examples ?? {};
  return Object.entries(examples).map(([name, raw]) => {
    const ex = raw as { $ref?: string; summary?: string; value: unknown };
    const e = ex.$ref ? spec.components.examples[ex.$ref.split("/").pop()!] : ex;
    return [name, { summary: e.summary ?? name, value: e.value }];
  });
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
  it("every request example of every operation has a TypeScript and a curl sample, labelled with its name", () => {
    expect(operations.length).toBeGreaterThan(0);
    let several = 0;
    for (const op of operations) {
      const own = samples.filter((s) => s.op.method === op.method && s.op.path === op.path);
      const examples = requestExamples(op);
      if (examples.length > 1) several++;
      const expected =
        examples.length > 1
          ? examples.flatMap(([, e]) => [`TypeScript: ${e.summary}`, `curl: ${e.summary}`])
          : ["TypeScript", "curl"];
      expect(
        own.map((s) => s.label),
        op.operationId,
      ).toEqual(expected);
      expect(
        own.map((s) => s.example),
        op.operationId,
      ).toEqual(examples.length > 0 ? examples.flatMap(([name]) => [name, name]) : [null, null]);
      // Each pair carries its own example's body, not the first one's.
      for (const [i, [, e]] of examples.entries()) {
        expect(own[2 * i + 1]!.source, `${op.operationId} curl`).toContain(JSON.stringify(e.value, null, 2));
      }
      expect(own[0]!.source).toContain(JSON.stringify(op.path));
      expect(own[1]!.source).toContain(SAMPLE_BASE_URL);
    }
    expect(several, "operations with several request examples").toBeGreaterThanOrEqual(2);
  });

  it("the samples of the 202 operations poll, and no other sample does", () => {
    const polled = operations.filter((op) => "202" in op.operation.responses);
    expect(polled.length).toBeGreaterThan(0);
    for (const s of samples.filter((x) => x.lang === "TypeScript")) {
      const is202 = "202" in s.op.operation.responses;
      expect(s.source.includes("await poll(() => ix.GET("), s.op.operationId).toBe(is202);
    }
  });

  it("the built reference carries the samples, and the published bundle stays the pure spec", () => {
    const html = readFileSync(path.join(docs, "dist", "reference.html"), "utf8");
    // Every sample, as the page's embedded definition spells it.
    const embedded = (text: string) => JSON.stringify(text).slice(1, -1).replace(/</g, "\\u003c");
    for (const s of samples) expect(html.includes(embedded(s.source)), `${s.op.operationId} ${s.label}`).toBe(true);
    expect(readFileSync(specJsonPath, "utf8")).not.toContain("x-codeSamples");
    for (const op of listOperations(decorate(spec)))
      expect(op.operation["x-codeSamples"]?.length, op.operationId).toBe(2 * Math.max(1, requestExamples(op).length));
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

/** The names in the first column of the options table of Getting started. */
function documentedOptions(): string[] {
  const md = readPage("getting-started");
  const section = md.slice(md.indexOf("## Options of `createClient`"));
  const table = section.slice(0, section.indexOf("\n\n", section.indexOf("| option |")));
  return [...table.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]!);
}

/** The property names of ClientOptions, as the client's published types declare them. */
function clientOptionNames(): string[] {
  const file = path.join(docs, ".build", "typecheck-options", "options.ts");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `import type { ClientOptions } from "@ixpress/client";\nexport type Options = ClientOptions;\n`);
  const program = ts.createProgram([file], {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const alias = source.statements.find(ts.isTypeAliasDeclaration)!;
  const type = checker.getTypeAtLocation(alias.name);
  const names = type.getProperties().map((p) => p.getName());
  expect(names.length, "ClientOptions resolved from @ixpress/client").toBeGreaterThan(3);
  return names;
}

describe("the handbook", () => {
  it("links to operations resolve to the reference, and an unknown one fails the build", () => {
    const html = renderPage(`[x](op:${operations[0]!.operationId})`, spec);
    expect(html).toMatch(/href="\.\.\/reference\.html#\/[a-z0-9-]+\/[a-z0-9-]+"/);
    expect(() => renderPage("[x](op:noSuchOperation)", spec)).toThrow(/unknown operation/);
  });

  it("the options table of Getting started lists exactly the options of ClientOptions", () => {
    expect(documentedOptions().sort()).toEqual(clientOptionNames().sort());
  });

  it("teaches no hand-written retry loop: every guide relies on the client's own retries", () => {
    for (const p of HANDBOOK_PAGES) {
      for (const b of codeBlocks(readPage(p.slug))) {
        expect(b.code, `${p.slug}: a retrying fetch`).not.toMatch(/retryingFetch|for \(let attempt/);
        expect(b.code, `${p.slug}: errorMessages re-implemented`).not.toMatch(/function errorMessages/);
      }
    }
  });

  it("every operation links to at least one guide, and every guide a guide links from exists", () => {
    const guides = guidesByOperation(spec);
    const slugs = new Set(HANDBOOK_PAGES.map((p) => p.slug));
    expect(guides.size).toBe(operations.length);
    for (const op of operations) {
      const list = guides.get(op.operationId)!;
      expect(list.length, op.operationId).toBeGreaterThan(0);
      for (const g of list) expect(slugs.has(g.slug), `${op.operationId} → ${g.slug}`).toBe(true);
    }
    // Built from data: the paginated lists point at Pagination, the 202 operations at polling.
    expect(guides.get("listClients")!.map((g: { slug: string }) => g.slug)).toContain("pagination");
    for (const op of operations.filter((o) => "202" in o.operation.responses))
      expect(guides.get(op.operationId)!.map((g: { slug: string }) => g.slug)).toContain("async-operations");
  });

  it("the built site has no dead link, and the link check fails on one", () => {
    expect(checkLinks(path.join(docs, "dist"), spec)).toBeGreaterThan(operations.length);
    const broken = path.join(docs, ".build", "broken-site");
    rmSync(broken, { recursive: true, force: true });
    mkdirSync(path.join(broken, "handbook"), { recursive: true });
    writeFileSync(path.join(broken, "reference.html"), "");
    writeFileSync(path.join(broken, "handbook", "try.html"), "");
    writeFileSync(
      path.join(broken, "handbook", "a.html"),
      '<h2 id="here">x</h2><a href="#here">ok</a><a href="try.html#!/Clients/listClients">ok</a>' +
        '<a href="../reference.html#/no-such/operation">dead</a><a href="gone.html">dead</a>' +
        '<a href="try.html#!/Clients/noSuchOperation">dead</a>',
    );
    expect(() => checkLinks(broken, spec)).toThrow(
      /3 dead link\(s\)[\s\S]*no-such\/operation[\s\S]*gone\.html[\s\S]*noSuchOperation \(no such operation in the console\)/,
    );
  });

  it("the changelog lists every changeset, and the search index holds guides and operations", () => {
    const root = path.resolve(docs, "..");
    const files = readdirSync(path.join(root, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
    const { markdown, changesets } = changelogMarkdown(root);
    expect(changesets).toBe(files.length);
    for (const f of files) expect(markdown).toContain(`## ${f.replace(/\.md$/, "")}`);
    const index = searchIndex(spec);
    expect(index.filter((e) => e.k === "operation").length).toBe(operations.length);
    expect(index.filter((e) => e.k === "guide").length).toBeGreaterThan(HANDBOOK_PAGES.length);
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

  const handbookBlocks = HANDBOOK_PAGES.flatMap((p) =>
    codeBlocks(readPage(p.slug))
      .map((b, i) => ({ ...b, slug: p.slug, i }))
      .filter((b) => b.lang === "ts"),
  );
  it("every TypeScript block of the handbook is run here, except the few marked as shapes", () => {
    const run = handbookBlocks.filter((b) => b.run);
    expect(run.length).toBeGreaterThanOrEqual(15);
    // Not type-checked: only the shapes of an API that is not in the packages yet.
    for (const b of handbookBlocks.filter((x) => !x.check))
      expect(b.flags, `${b.slug} block ${b.i}`).toEqual(["shape", "pending"]);
    expect(handbookBlocks.filter((b) => !b.run).length).toBeLessThanOrEqual(4);
  });
  for (const b of handbookBlocks.filter((x) => x.run)) {
    it(`handbook: ${b.slug} block ${b.i} runs against the mock`, async () => {
      // Blocks create their client for "your-account"; here it is the mock.
      const source = b.code.replaceAll('accountName: "your-account"', `baseUrl: ${JSON.stringify(mock.url)}`);
      const file = path.join(docs, ".build", "run", `handbook-${b.slug}-${b.i}.ts`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${source}\nexport {};\n`);
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      vi.stubEnv("IX_API_KEY", "sample-key");
      try {
        await import(pathToFileURL(file).href);
        // Each block prints what it got: proof that it ran to its end.
        expect(log).toHaveBeenCalled();
      } finally {
        log.mockRestore();
        vi.unstubAllEnvs();
      }
    });
  }

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
