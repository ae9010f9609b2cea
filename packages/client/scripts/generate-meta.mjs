// Generates src/generated/spec-meta.ts from the bundled spec (../openapi/openapi.json):
//   - SENSITIVE_FIELDS: names of properties and parameters whose schema says `x-sensitive: true`,
//     redacted by the client in errors and logs;
//   - PROPRIETARY_UID_PATHS: POST paths whose request body has a top-level `proprietary_uid`
//     (document creation), where the client may generate one;
//   - ROOT_ALIASES (and the RootAliases type): operations whose success schema says
//     `x-root-aliases: [typeKey, familyKey]` (a document answered under either key), where the
//     client copies the root that arrived to the other key;
//   - NOT_IDEMPOTENT: operations marked `x-idempotent: false` (they e-mail a document or change a
//     state), by method, which the client never sends twice.
// Committed and drift-checked like schema.ts.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { deref as derefIn, HTTP_METHODS, sensitiveFields } from "@ixpress/openapi";

/**
 * Scans an OpenAPI document with the spec toolkit of @ixpress/openapi. A property or parameter
 * is sensitive when its own schema, the schema it references, or any `allOf`/`anyOf`/`oneOf`
 * branch of that schema is marked (`sensitiveFields`).
 */
export function collectMeta(spec) {
  const deref = (node) => derefIn(spec, node);
  const sensitive = sensitiveFields(spec);

  const uidPaths = [];
  for (const [p, item] of Object.entries(spec.paths ?? {})) {
    const post = deref(item)?.post;
    if (!post?.requestBody) continue;
    const body = deref(post.requestBody);
    const schema = deref(body?.content?.["application/json"]?.schema);
    const props = (s, depth = 0) => {
      const r = deref(s);
      if (!r || typeof r !== "object" || depth > 8) return [];
      const own = Object.keys(r.properties ?? {});
      const branches = ["allOf", "anyOf", "oneOf"].flatMap((k) =>
        Array.isArray(r[k]) ? r[k].flatMap((b) => props(b, depth + 1)) : [],
      );
      return [...own, ...branches];
    };
    if (props(schema).includes("proprietary_uid")) uidPaths.push(p);
  }
  const rootAliases = [];
  for (const [p, item] of Object.entries(spec.paths ?? {})) {
    for (const [method, op] of Object.entries(deref(item) ?? {})) {
      if (!HTTP_METHODS.includes(method) || !op || typeof op !== "object") continue;
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (!/^2/.test(status)) continue;
        const schema = deref(deref(response)?.content?.["application/json"]?.schema);
        const keys = schema?.["x-root-aliases"];
        if (keys === undefined) continue;
        if (
          !Array.isArray(keys) ||
          keys.length !== 2 ||
          !keys.every((k) => typeof k === "string") ||
          keys[0] === keys[1]
        )
          throw new Error(`${method.toUpperCase()} ${p} ${status}: x-root-aliases must be two different keys`);
        for (const k of keys)
          if (!schema.properties?.[k])
            throw new Error(`${method.toUpperCase()} ${p} ${status}: x-root-aliases names ${k}, not a property`);
        rootAliases.push({ method: method.toUpperCase(), path: p, keys });
        break;
      }
    }
  }
  rootAliases.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path < b.path ? -1 : 1));
  const notIdempotent = {};
  for (const [p, item] of Object.entries(spec.paths ?? {}))
    for (const [method, op] of Object.entries(deref(item) ?? {}))
      if (HTTP_METHODS.includes(method) && op?.["x-idempotent"] === false) {
        const m = method.toUpperCase();
        notIdempotent[m] = [...(notIdempotent[m] ?? []), p];
      }
  for (const list of Object.values(notIdempotent)) list.sort();
  return { sensitiveFields: sensitive, proprietaryUidPaths: uidPaths.sort(), rootAliases, notIdempotent };
}

/** NOT_IDEMPOTENT as compact source: per method, each rest of a path with the first segments it follows. */
function idempotentTable(notIdempotent) {
  const q = JSON.stringify;
  const methods = Object.keys(notIdempotent).sort();
  if (methods.length === 0) return "{}";
  const body = methods.map((m) => {
    const byRest = new Map();
    for (const p of notIdempotent[m]) {
      const [, head, rest] = /^(\/[^/.{]+)(.*)$/.exec(p) ?? ["", p, ""];
      byRest.set(rest, [...(byRest.get(rest) ?? []), head]);
    }
    const rows = [...byRest]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([rest, heads]) => `    ${q(rest)}: [${heads.sort().map(q).join(", ")}],`);
    return `  ${m}: {\n${rows.join("\n")}\n  },`;
  });
  return `{\n${body.join("\n")}\n}`;
}

/** The TypeScript source written to src/generated/spec-meta.ts. */
export function renderMeta({ sensitiveFields, proprietaryUidPaths, rootAliases = [], notIdempotent = {} }) {
  const list = (xs) => (xs.length === 0 ? "[]" : `[\n${xs.map((x) => `  ${JSON.stringify(x)},`).join("\n")}\n]`);
  const q = JSON.stringify;
  // The runtime table, compact (it ships in every bundle): the operations grouped by the path's first
  // segment and their two keys, each group naming its list of (method, rest of the path) by index.
  const groups = new Map();
  for (const a of rootAliases) {
    const [, head, rest] = /^(\/[^/.{]+)(.*)$/.exec(a.path) ?? ["", a.path, ""];
    const id = q([head, ...a.keys]);
    if (!groups.has(id)) groups.set(id, { head, keys: a.keys, routes: [] });
    groups.get(id).routes.push([a.method, rest]);
  }
  const routeLists = [];
  const docs = [...groups.values()].map((g) => {
    const r = `[${g.routes.map(([m, rest]) => `[${q(m)}, ${q(rest)}]`).join(", ")}]`;
    if (!routeLists.includes(r)) routeLists.push(r);
    return `  [${q(g.head)}, ${g.keys.map(q).join(", ")}, ${routeLists.indexOf(r)}],`;
  });
  const runtime = `expand(\n  [\n${routeLists.map((r) => `    ${r},`).join("\n")}\n  ],\n  [\n${docs.map((d) => `  ${d}`).join("\n")}\n  ],\n)`;
  const byPath = new Map();
  for (const a of rootAliases) byPath.set(a.path, [...(byPath.get(a.path) ?? []), a]);
  const typed =
    rootAliases.length === 0
      ? "{}"
      : `{\n${[...byPath]
          .map(
            ([p, as]) =>
              `  ${q(p)}: { ${as.map((a) => `${a.method.toLowerCase()}: readonly [${a.keys.map(q).join(", ")}]`).join("; ")} };`,
          )
          .join("\n")}\n}`;
  return `// Generated from the bundled spec by scripts/generate-meta.mjs. Do not edit.

/** Fields and parameters marked \`x-sensitive: true\` in the spec: redacted in errors and logs. */
export const SENSITIVE_FIELDS: readonly string[] = ${list(sensitiveFields)};

/** POST paths whose request body takes \`proprietary_uid\` (document creation). */
export const PROPRIETARY_UID_PATHS: readonly string[] = ${list(proprietaryUidPaths)};

/** Operations marked \`x-idempotent: false\` (they e-mail a document or change a state), by method: never sent twice. */
export const NOT_IDEMPOTENT: { readonly [method: string]: readonly string[] } = joinPaths(${idempotentTable(notIdempotent)});

/** Builds {@link NOT_IDEMPOTENT} from, per method, the rest of each path and the first segments it follows. */
function joinPaths(table: { [method: string]: { [rest: string]: readonly string[] } }) {
  const entries = Object.entries(table).map(([m, byRest]) => [m, Object.entries(byRest).flatMap(([rest, heads]) => heads.map((h) => h + rest)).sort()]);
  return Object.fromEntries(entries) as { [method: string]: string[] };
}

type Aliases = { readonly [method: string]: { readonly [path: string]: readonly [string, string] } };

/** Builds {@link ROOT_ALIASES} from lists of [method, rest of the path] and [first segment, keys, list]. */
function expand(routes: ReadonlyArray<ReadonlyArray<readonly [string, string]>>, docs: ReadonlyArray<readonly [string, string, string, number]>): Aliases {
  const out: Record<string, Record<string, readonly [string, string]>> = {};
  for (const [head, a, b, list] of docs) for (const [method, rest] of routes[list]!) (out[method] ??= {})[head + rest] = [a, b];
  return out;
}

/**
 * Operations that answer a document under its type's key or its family's key (the spec's
 * \`x-root-aliases: [typeKey, familyKey]\`), by method and path: the client copies the root that
 * arrived to the other key, so both hold the same object.
 */
export const ROOT_ALIASES: Aliases = ${runtime};

/** {@link ROOT_ALIASES} as a type, by path and method (lower case, as in \`paths\`). */
export type RootAliases = ${typed};
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const specFile = path.resolve(here, "../../openapi/openapi.json");
  const out = path.resolve(here, "../src/generated/spec-meta.ts");
  const meta = collectMeta(JSON.parse(readFileSync(specFile, "utf8")));
  writeFileSync(out, renderMeta(meta));
  console.log(
    `spec-meta: ${meta.sensitiveFields.length} sensitive field(s), ${meta.proprietaryUidPaths.length} proprietary_uid path(s), ${meta.rootAliases.length} aliased root(s), ${Object.values(meta.notIdempotent).flat().length} non-idempotent operation(s) -> src/generated/spec-meta.ts`,
  );
}
