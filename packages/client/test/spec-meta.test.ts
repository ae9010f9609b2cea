import { readFileSync } from "node:fs";
import { loadSpec } from "@ixpress/openapi";
import { describe, expect, it } from "vitest";
import { collectMeta, renderMeta } from "../scripts/generate-meta.mjs";
import { PROPRIETARY_UID_PATHS, ROOT_ALIASES, SENSITIVE_FIELDS } from "../src/index.js";

const fixture = {
  openapi: "3.1.0",
  paths: {
    "/accounts.json": {
      post: {
        parameters: [
          { name: "partner_token", in: "query", schema: { type: "string", "x-sensitive": true } },
          { name: "page", in: "query", schema: { type: "integer" } },
        ],
        requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/AccountRequest" } } } },
        responses: {
          "201": {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Account" } } },
          },
        },
      },
    },
    "/things.json": {
      post: {
        requestBody: { $ref: "#/components/requestBodies/Things" },
        responses: { "201": { description: "ok" } },
      },
    },
  },
  components: {
    requestBodies: {
      Things: {
        content: {
          "application/json": { schema: { allOf: [{ $ref: "#/components/schemas/Uid" }, { type: "object" }] } },
        },
      },
    },
    schemas: {
      Uid: { type: "object", properties: { proprietary_uid: { type: "string" } } },
      Secret: { type: "string", "x-sensitive": true },
      AccountRequest: {
        type: "object",
        properties: { account: { type: "object", properties: { password: { type: "string", "x-sensitive": true } } } },
      },
      Account: {
        type: "object",
        properties: {
          api_key: { type: "string", "x-sensitive": true },
          refresh_token: { $ref: "#/components/schemas/Secret" },
          webhook_secret: { anyOf: [{ type: "null" }, { $ref: "#/components/schemas/Secret" }] },
          name: { type: "string", "x-sensitive": false },
          items: {
            type: "array",
            items: { type: "object", properties: { pin: { type: "string", "x-sensitive": true } } },
          },
        },
      },
    },
  },
};

describe("spec-meta generation", () => {
  it("finds x-sensitive properties and parameters, through $ref, anyOf and arrays", () => {
    expect(collectMeta(fixture).sensitiveFields).toEqual([
      "api_key",
      "partner_token",
      "password",
      "pin",
      "refresh_token",
      "webhook_secret",
    ]);
  });
  it("finds POST bodies with proprietary_uid, through $ref'd request bodies and allOf", () => {
    expect(collectMeta(fixture).proprietaryUidPaths).toEqual(["/things.json"]);
  });
  it("finds x-root-aliases on success schemas, by method and path, and refuses malformed ones", () => {
    const doc = { type: "object" };
    const twoRoots = (keys: unknown) => ({
      openapi: "3.1.0",
      paths: {
        "/notes.json": {
          get: { responses: { "200": { description: "ok" } } },
          post: { responses: { "201": { $ref: "#/components/responses/NoteCreated" } } },
        },
        "/notes/{id}.json": {
          put: {
            responses: {
              "422": {
                description: "no",
                content: { "application/json": { schema: { $ref: "#/components/schemas/Note" } } },
              },
            },
          },
        },
      },
      components: {
        responses: {
          NoteCreated: {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Note" } } },
          },
        },
        schemas: { Note: { type: "object", "x-root-aliases": keys, properties: { note: doc, invoice: doc } } },
      },
    });
    expect(collectMeta(twoRoots(["note", "invoice"])).rootAliases).toEqual([
      { method: "POST", path: "/notes.json", keys: ["note", "invoice"] },
    ]);
    expect(renderMeta(collectMeta(twoRoots(["note", "invoice"])))).toContain(
      '"/notes.json": { post: readonly ["note", "invoice"] };',
    );
    expect(() => collectMeta(twoRoots(["note"]))).toThrow(/two different keys/);
    expect(() => collectMeta(twoRoots(["note", "bill"]))).toThrow(/names bill, not a property/);
  });
  it("the compact ROOT_ALIASES table expands to exactly the operations the spec marks", () => {
    const expanded = Object.entries(ROOT_ALIASES).flatMap(([method, byPath]) =>
      Object.entries(byPath).map(([p, keys]) => `${method} ${p} ${keys.join("/")}`),
    );
    const marked = collectMeta(loadSpec()).rootAliases.map((a) => `${a.method} ${a.path} ${a.keys.join("/")}`);
    expect(marked.length).toBeGreaterThan(0);
    expect(expanded.sort()).toEqual(marked.sort());
  });
  it("the committed src/generated/spec-meta.ts matches the bundled spec", () => {
    const committed = readFileSync(new URL("../src/generated/spec-meta.ts", import.meta.url), "utf8");
    expect(committed).toBe(renderMeta(collectMeta(loadSpec())));
    expect(PROPRIETARY_UID_PATHS).toContain("/invoices.json");
    expect(PROPRIETARY_UID_PATHS).not.toContain("/clients.json");
    expect(Array.isArray(SENSITIVE_FIELDS)).toBe(true);
  });
});
