import { readFileSync } from "node:fs";
import { deref, HTTP_METHODS, loadSpec } from "@ixpress/openapi";
import { build, transform } from "esbuild";
import { describe, expect, it } from "vitest";
import { collectMeta, renderMeta, type SpecMeta } from "../scripts/generate-meta.mjs";
import {
  isRepeatable,
  NOT_IDEMPOTENT,
  PROPRIETARY_UID_PATHS,
  ROOT_ALIASES,
  rootAliasesOf,
  SENSITIVE_FIELDS,
} from "../src/index.js";

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

type Meta = {
  isRepeatable: typeof isRepeatable;
  rootAliasesOf: typeof rootAliasesOf;
  NOT_IDEMPOTENT: typeof NOT_IDEMPOTENT;
  ROOT_ALIASES: typeof ROOT_ALIASES;
};

/** The module renderMeta writes for `meta`, compiled and loaded. */
async function rendered(meta: Partial<SpecMeta>): Promise<Meta> {
  const source = renderMeta({ sensitiveFields: [], proprietaryUidPaths: [], ...meta });
  const { code } = await transform(source, { loader: "ts", format: "esm" });
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

/** What the spec says of every method of every path (methods it does not define included). */
function specOperations() {
  const spec = loadSpec();
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    HTTP_METHODS.map((m) => {
      const op = deref<Record<string, unknown>>(spec, item[m]);
      const responses = Object.entries((op?.responses ?? {}) as Record<string, unknown>);
      const aliases = responses
        .filter(([status]) => status.startsWith("2"))
        .map(([, r]) => deref<{ content?: Record<string, { schema?: unknown }> }>(spec, r)?.content)
        .map((content) => deref<Record<string, unknown>>(spec, content?.["application/json"]?.schema))
        .find((schema) => schema?.["x-root-aliases"])?.["x-root-aliases"];
      return { method: m.toUpperCase(), path, defined: !!op, once: op?.["x-idempotent"] === false, aliases };
    }),
  );
}

describe("isRepeatable and rootAliasesOf", () => {
  const ops = specOperations();

  it("agree with the spec and with NOT_IDEMPOTENT and ROOT_ALIASES for every method of every path", () => {
    expect(ops.filter((o) => o.once).length).toBeGreaterThan(0);
    expect(ops.filter((o) => o.aliases).length).toBeGreaterThan(0);
    for (const { method, path, once, aliases } of ops) {
      const at = `${method} ${path}`;
      expect(isRepeatable(method, path), at).toBe(!once);
      expect(isRepeatable(method, path), at).toBe(!NOT_IDEMPOTENT[method]?.includes(path));
      expect(rootAliasesOf(method, path), at).toEqual(aliases);
      expect(rootAliasesOf(method, path), at).toEqual(ROOT_ALIASES[method]?.[path]);
    }
  });

  it("the public tables hold exactly the operations the spec marks, paths sorted", () => {
    const once = ops.filter((o) => o.defined && o.once).map((o) => `${o.method} ${o.path}`);
    const inTable = Object.entries(NOT_IDEMPOTENT).flatMap(([m, paths]) => {
      expect(paths).toEqual([...paths].sort());
      return paths.map((p) => `${m} ${p}`);
    });
    expect(inTable.sort()).toEqual(once.sort());
    const aliased = ops.filter((o) => o.aliases).map((o) => `${o.method} ${o.path} ${o.aliases}`);
    const inAliases = Object.entries(ROOT_ALIASES).flatMap(([m, byPath]) =>
      Object.entries(byPath).map(([p, keys]) => `${m} ${p} ${keys}`),
    );
    expect(inAliases.sort()).toEqual(aliased.sort());
  });

  it("answer nothing marked for what the spec does not have, inherited names included", () => {
    const near = ops
      .filter((o) => o.once || o.aliases)
      .flatMap(({ method, path }) => [
        [method.toLowerCase(), path],
        [`${method} `, path],
        [method, `${path}/`],
        [method, `${path}\n`],
        [method, ` ${path}`],
        [method, path.replace(/\.json$/, "")],
        [method, path.replace(/^\/[^/.]*/, "")],
        [method, path.replace(/^\/[^/.]*/, "/__proto__")],
      ]);
    const hostile = ["", "/", "constructor", "/constructor", "__proto__", "/__proto__", "/toString.json", "/{id}.json"];
    for (const [method, path] of [
      ...near,
      ...hostile.flatMap((x) => [
        ["PUT", x],
        [x, "/invoices/{document-id}/email-document.json"],
        [x, x],
      ]),
    ] as [string, string][]) {
      expect(isRepeatable(method, path), `${method} ${path}`).toBe(true);
      expect(rootAliasesOf(method, path), `${method} ${path}`).toBeUndefined();
    }
  });

  it("a consumer that reads only the functions and the lists bundles neither public table", async () => {
    const entry = new URL("../src/generated/spec-meta.ts", import.meta.url).pathname;
    const bundle = async (names: string) => {
      const out = await build({
        stdin: { contents: `export { ${names} } from ${JSON.stringify(entry)};`, resolveDir: ".", loader: "ts" },
        bundle: true,
        minify: true,
        format: "esm",
        write: false,
        logLevel: "silent",
      });
      return out.outputFiles[0]!.text;
    };
    const small = await bundle("isRepeatable, rootAliasesOf, PROPRIETARY_UID_PATHS, SENSITIVE_FIELDS");
    const all = await bundle("NOT_IDEMPOTENT, ROOT_ALIASES");
    expect(all).toContain("Object.entries");
    expect(small).not.toContain("Object.entries");
    expect(small.length).toBeLessThan(all.length);
  });

  it("renderMeta writes first segments, shared lists and explicit type keys that read back as given", async () => {
    const meta: Partial<SpecMeta> = {
      notIdempotent: {
        DELETE: ["/a/{id}.json"],
        PUT: ["/a/{id}/send.json", "/b/{id}/send.json", "/c.json", "/{x}.json", "/d"],
      },
      rootAliases: [
        { method: "POST", path: "/notes.json", keys: ["note", "memo"] },
        { method: "GET", path: "/notes/{id}.json", keys: ["note", "memo"] },
        { method: "POST", path: "/bills.json", keys: ["invoice", "bill"] },
        { method: "PUT", path: "/a/{id}/send.json", keys: ["a", "b"] },
      ],
    };
    const m = await rendered(meta);
    expect(m.NOT_IDEMPOTENT).toEqual({
      DELETE: ["/a/{id}.json"],
      PUT: ["/a/{id}/send.json", "/b/{id}/send.json", "/c.json", "/d", "/{x}.json"],
    });
    expect(m.ROOT_ALIASES).toEqual({
      POST: { "/bills.json": ["invoice", "bill"], "/notes.json": ["note", "memo"] },
      GET: { "/notes/{id}.json": ["note", "memo"] },
      PUT: { "/a/{id}/send.json": ["a", "b"] },
    });
    for (const [method, path] of [
      ["PUT", "/c.json"],
      ["PUT", "/d"],
      ["PUT", "/{x}.json"],
      ["PUT", "/b/{id}/send.json"],
    ])
      expect(m.isRepeatable(method!, path!), `${method} ${path}`).toBe(false);
    for (const [method, path] of [
      ["PUT", "/c/{id}/send.json"],
      ["PUT", "/a/{id}.json"],
      ["PUT", "/{x}/d"],
      ["GET", "/d"],
    ])
      expect(m.isRepeatable(method!, path!), `${method} ${path}`).toBe(true);
    expect(m.rootAliasesOf("PUT", "/a/{id}/send.json")).toEqual(["a", "b"]);
    expect(m.rootAliasesOf("PUT", "/b/{id}/send.json")).toBeUndefined();
    expect(m.rootAliasesOf("GET", "/bills/{id}.json")).toBeUndefined();
    const empty = await rendered({});
    expect([empty.NOT_IDEMPOTENT, empty.ROOT_ALIASES]).toEqual([{}, {}]);
    expect([empty.isRepeatable("PUT", "/a"), empty.rootAliasesOf("PUT", "/a")]).toEqual([true, undefined]);
  });

  it("renderMeta refuses what it cannot write", () => {
    const keys = (a: [string, string], b: [string, string]) => ({
      rootAliases: [
        { method: "GET", path: "/notes/{id}.json", keys: a },
        { method: "POST", path: "/notes.json", keys: b },
      ],
    });
    expect(() =>
      renderMeta({ sensitiveFields: [], proprietaryUidPaths: [], ...keys(["note", "memo"], ["note", "bill"]) }),
    ).toThrow(/differ/);
    expect(() =>
      renderMeta({ sensitiveFields: [], proprietaryUidPaths: [], notIdempotent: { PUT: ["notes.json"] } }),
    ).toThrow(/must start with \//);
  });
});
