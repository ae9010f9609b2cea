import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baselinePath, runGate as gate, majorChangesets } from "../scripts/breaking.mjs";
import { SpecValidator } from "../src/validate.js";

type Json = Record<string, any>;
const released = JSON.parse(readFileSync(baselinePath, "utf8")) as Json;
const edit = (change: (spec: Json) => void): Json => {
  const spec = structuredClone(released);
  change(spec);
  return spec;
};
const schemas = (spec: Json): Json => spec.components.schemas;
const makeValidator = (spec: any) => new SpecValidator(spec);
const runGate = (input: { before: unknown; after: unknown; changesets: string }) => gate({ ...input, makeValidator });

const dirs: string[] = [];
function changesets(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "ixpress-changesets-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const minorOnly = () =>
  changesets({ "feat.md": '---\n"@ixpress/openapi": minor\n"@ixpress/mock": major\n---\n\nNew things.\n' });
const major = () =>
  changesets({ "README.md": "not a changeset", "drop.md": "---\n'@ixpress/openapi': major\n---\n\nDrops things.\n" });

const breakingCases: Array<[string, (spec: Json) => void, RegExp]> = [
  [
    "an operation removed",
    (s) => delete s.paths["/clients/{client-id}.json"].delete,
    /DELETE \/clients\/\{client-id\}\.json: operation removed/,
  ],
  [
    "a required request field added",
    (s) => schemas(s).ClientInput.required.push("email"),
    /POST \/clients\.json: request body client\.email is now required/,
  ],
  [
    "a request enum value removed",
    (s) => (schemas(s).Language.enum = ["pt", "es"]),
    /request body client\.language: enum value "en" removed/,
  ],
  [
    "a response field removed",
    (s) => delete schemas(s).Client.properties.name,
    /GET \/clients\.json: response 200 clients\[\]\.name removed/,
  ],
  [
    "a response field retyped",
    (s) => (schemas(s).Pagination.properties.total_pages = { type: "string" }),
    /response 200 pagination\.total_pages: type "integer" → "string"/,
  ],
  [
    "a query parameter made required",
    (s) => (s.components.parameters.Page.required = true),
    /GET \/clients\.json: query parameter page is now required/,
  ],
  [
    "a property dropped from a closed request schema",
    (s) => delete schemas(s).ClientInput.properties.fax,
    /request body client\.fax removed/,
  ],
];

/** Changes the gate must let through, and one only the example replay catches. */
const otherCases = {
  additive: (s: Json) => {
    s.paths["/things.json"] = { get: { ...structuredClone(s.paths["/clients.json"].get), operationId: "listThings" } };
    schemas(s).ClientInput.properties.nickname = { type: "string" };
    schemas(s).Client.properties.nickname = { type: "string" };
    schemas(s).Language.enum.push("fr");
  },
  narrowed: (s: Json) => {
    schemas(s).Client.properties.email = { type: "string" };
  },
  oneOf: (s: Json) => {
    const media = invoiceCreate(s);
    media.schema = {
      oneOf: [
        media.schema,
        {
          type: "object",
          additionalProperties: false,
          required: ["invoice_receipt"],
          properties: { invoice_receipt: { type: "object" } },
        },
      ],
    };
  },
  // api-smart-diff stumbles on this shape (it logs a "Classification Rule error"), which is
  // exactly why the gate also replays the released request examples.
  replay: (s: Json) => {
    const media = invoiceCreate(s);
    media.schema = {
      oneOf: [
        { allOf: [media.schema, { required: ["reference_code"], properties: { reference_code: { type: "string" } } }] },
        { type: "object", required: ["invoice_receipt"] },
      ],
    };
  },
};
function invoiceCreate(s: Json): Json {
  const body = s.components.requestBodies?.InvoiceCreate ?? s.paths["/invoices.json"].post.requestBody;
  return body.content["application/json"];
}

type Gate = ReturnType<typeof runGate>;
const gates = {} as Record<"nothing" | "breaking" | "announced" | keyof typeof otherCases, Gate>;

// The gate diffs whole descriptions, the expensive part of this file, so every gate run is
// done once, before the tests, and each test asserts on its result. The breaking cases do
// not overlap: they are applied together, and the gate runs once for all of them (and once
// more with a major changeset). The hook's timeout is for a busy machine: on an idle one,
// the whole hook takes about 1 s.
beforeAll(() => {
  const all = edit((s) => {
    for (const [, change] of breakingCases) change(s);
  });
  gates.nothing = runGate({ before: released, after: structuredClone(released), changesets: minorOnly() });
  gates.breaking = runGate({ before: released, after: all, changesets: minorOnly() });
  gates.announced = runGate({ before: released, after: all, changesets: major() });
  for (const [name, change] of Object.entries(otherCases) as [keyof typeof otherCases, (s: Json) => void][]) {
    gates[name] = runGate({ before: released, after: edit(change), changesets: minorOnly() });
  }
}, 120_000);

describe("breaking-change gate", () => {
  it("passes when nothing changed", () => {
    expect(gates.nothing.ok).toBe(true);
    expect(gates.nothing.changes).toEqual([]);
  });

  for (const [name, , expected] of breakingCases) {
    it(`fails on ${name} without a major changeset`, () => {
      const gate = gates.breaking;
      expect(gate.breaking.map((c) => `${c.operation}: ${c.text}`)).toContainEqual(expect.stringMatching(expected));
      expect(gate.ok).toBe(false);
      expect(gate.report).toMatch(expected);
      expect(gate.report).toMatch(/no major changeset for @ixpress\/openapi/);
    });
  }

  it("passes breaking changes announced by a major changeset, and says so", () => {
    const gate = gates.announced;
    expect(gate.ok).toBe(true);
    expect(gate.breaking.length).toBeGreaterThanOrEqual(breakingCases.length);
    expect(gate.report).toMatch(/announced as a major release of @ixpress\/openapi by \.changeset\/drop\.md/);
  });

  it("passes additive changes: new operation, optional fields, new enum value, new response field", () => {
    const gate = gates.additive;
    expect(gate.breaking).toEqual([]);
    expect(gate.ok).toBe(true);
    expect(gate.changes.map((c) => c.text)).toEqual(
      expect.arrayContaining([
        "operation added",
        "request body client.nickname added",
        'request body client.language: enum value "fr" added',
      ]),
    );
  });

  it("treats a narrowed response type as safe", () => {
    expect(gates.narrowed.ok).toBe(true);
  });

  it("sees through a request body wrapped in oneOf to accept a second form", () => {
    const gate = gates.oneOf;
    expect(gate.breaking.map((c) => `${c.operation}: ${c.text}`)).toEqual([]);
    expect(gate.ok).toBe(true);
  });

  // api-smart-diff stumbles on this shape (it logs a "Classification Rule error"), which is
  // exactly why the gate also replays the released request examples.
  it("replays the released request examples: a restructured body that refuses them is breaking", () => {
    const gate = gates.replay;
    expect(gate.ok).toBe(false);
    expect(gate.report).toMatch(/POST \/invoices\.json: released request example "\w+" is now refused: body/);
  });

  it("reads only major bumps of @ixpress/openapi from changeset frontmatter", () => {
    expect(majorChangesets(minorOnly())).toEqual([]);
    expect(majorChangesets(major())).toEqual(["drop.md"]);
  });
});
