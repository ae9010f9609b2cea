// Generates src/generated/spec-meta.ts from the bundled spec (../openapi/openapi.json):
//   - SENSITIVE_FIELDS: names of properties and parameters whose schema says `x-sensitive: true`,
//     redacted by the client in errors and logs;
//   - PROPRIETARY_UID_PATHS: POST paths whose request body has a top-level `proprietary_uid`
//     (document creation), where the client may generate one;
//   - ROOT_ALIASES (and the RootAliases type): operations whose success schema says
//     `x-root-aliases: [typeKey, familyKey]` (a document answered under either key), where the
//     client copies the root that arrived to the other key;
//   - NOT_IDEMPOTENT: operations marked `x-idempotent: false` (they e-mail a document or change a
//     state), by method, which the client never sends twice;
//   - isRepeatable(method, path) and rootAliasesOf(method, path), what the client calls: they read
//     one compact table (by first segment of the path), from which NOT_IDEMPOTENT and ROOT_ALIASES
//     are built in calls marked pure, so a bundle that does not read the tables leaves them out.
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

/** How a path is keyed in the generated tables: its first segment (up to `/`, `.` or `{`) and the rest. */
const SPLIT = /^(\/[^/.{]*)(.*)$/s;

/** A path's first segment in the singular: the type's key the generated marks() assumes when none is written. */
const singular = (head) => head.slice(1, -1);

/** What the spec marks an operation with, as bits of the generated ROUTES. */
const ONCE = 1; // `x-idempotent: false`
const TWO_ROOTS = 2; // `x-root-aliases`

/**
 * The operations marked in the spec, as the generated module stores them: for each first segment
 * of a path (`heads`), the number of its list of routes (method and rest of the path, with their
 * bits), then the family's and the type's key of its `x-root-aliases` (the type's key left out
 * when it is the segment in the singular: `/credit_notes` → `credit_note`); lists that several
 * first segments share (the document types) are written once.
 */
function compactMeta({ rootAliases = [], notIdempotent = {} }) {
  const byHead = new Map();
  const mark = (method, p, bit, keys) => {
    const [, head, rest] = SPLIT.exec(p) ?? [];
    if (head === undefined) throw new Error(`${method} ${p}: a path must start with /`);
    if (!byHead.has(head)) byHead.set(head, { routes: {}, keys: undefined });
    const h = byHead.get(head);
    const route = `${method} ${rest}`;
    h.routes[route] = (h.routes[route] ?? 0) | bit;
    if (keys && h.keys && keys.join() !== h.keys.join())
      throw new Error(`${method} ${p}: x-root-aliases ${keys} differ from ${h.keys} under the same ${head}`);
    h.keys ??= keys;
  };
  for (const [method, paths] of Object.entries(notIdempotent)) for (const p of paths) mark(method, p, ONCE);
  for (const a of rootAliases) mark(a.method, a.path, TWO_ROOTS, a.keys);
  const lists = [];
  const heads = [...byHead.keys()].sort().map((head) => {
    const { routes, keys } = byHead.get(head);
    const list = Object.fromEntries(Object.entries(routes).sort(([a], [b]) => (a < b ? -1 : 1)));
    let number = lists.findIndex((l) => JSON.stringify(l) === JSON.stringify(list));
    if (number < 0) number = lists.push(list) - 1;
    if (!keys) return [head, number];
    const [type, family] = keys;
    return type === singular(head) ? [head, number, family] : [head, number, family, type];
  });
  return { routes: lists, heads };
}

/** The TypeScript source written to src/generated/spec-meta.ts. */
export function renderMeta({ sensitiveFields, proprietaryUidPaths, rootAliases = [], notIdempotent = {} }) {
  const list = (xs) => (xs.length === 0 ? "[]" : `[\n${xs.map((x) => `  ${JSON.stringify(x)},`).join("\n")}\n]`);
  const q = JSON.stringify;
  const { routes, heads } = compactMeta({ rootAliases, notIdempotent });
  const routesSource = routes
    .map(
      (r) =>
        `  {\n${Object.entries(r)
          .map(([route, bits]) => `    ${q(route)}: ${bits},\n`)
          .join("")}  },`,
    )
    .join("\n");
  const headsSource = heads.map(([head, ...rest]) => `  ${q(head)}: [${rest.map(q).join(", ")}],`).join("\n");
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

const ONCE = ${ONCE}; // marked \`x-idempotent: false\`: never sent twice
const TWO_ROOTS = ${TWO_ROOTS}; // marked \`x-root-aliases\`: answered under its type's key or its family's key

/** Lists of routes (method, a space, the rest of the path after its first segment), each with its marks. */
const ROUTES: ReadonlyArray<{ readonly [route: string]: number }> = [
${routesSource}
];

/**
 * By first segment of a path: the number of its list in ROUTES, then, if it has two roots, its
 * family's key and its type's key (by default the segment in the singular: \`/credit_notes\` → \`credit_note\`).
 */
const HEADS: { readonly [head: string]: readonly [number, string?, string?] } = {
${headsSource}
};

/** An operation's marks (0 if none) and its keys. Keys looked up start with \`/\` or hold a space: never inherited. */
function marks(method: string, path: string): [number, string?, string?] {
  const [, head = "", rest] = ${SPLIT}.exec(path) ?? [];
  const [list, family, type = head.slice(1, -1)] = HEADS[head] ?? [];
  return [list === undefined ? 0 : (ROUTES[list]![\`\${method} \${rest}\`] ?? 0), type, family];
}

/** False for the operations marked \`x-idempotent: false\` (they e-mail a document or change a state): never sent twice. */
export function isRepeatable(method: string, path: string): boolean {
  return !(marks(method, path)[0] & ONCE);
}

/** The spec's \`x-root-aliases: [typeKey, familyKey]\` of an operation (the same as \`ROOT_ALIASES[method]?.[path]\`). */
export function rootAliasesOf(method: string, path: string): readonly [string, string] | undefined {
  const [bits, type, family] = marks(method, path);
  return bits & TWO_ROOTS ? [type!, family!] : undefined;
}

/** Every operation of the table, sorted by path: [method, path]. */
function operations() {
  const all = Object.entries(HEADS).flatMap(([head, [list]]) =>
    Object.keys(ROUTES[list]!).map((route) => {
      const space = route.indexOf(" ");
      return [route.slice(0, space), head + route.slice(space + 1)] as const;
    }),
  );
  return all.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

function notIdempotent() {
  const out: Record<string, string[]> = {};
  for (const [method, path] of operations()) if (!isRepeatable(method, path)) (out[method] ??= []).push(path);
  return out;
}

function rootAliases() {
  const out: Record<string, Record<string, readonly [string, string]>> = {};
  for (const [method, path] of operations()) {
    const keys = rootAliasesOf(method, path);
    if (keys) (out[method] ??= {})[path] = keys;
  }
  return out;
}

/**
 * Operations marked \`x-idempotent: false\` (they e-mail a document or change a state), by method,
 * paths sorted: never sent twice. Built from the table {@link isRepeatable} reads; a bundle that
 * does not read NOT_IDEMPOTENT leaves it out.
 */
export const NOT_IDEMPOTENT: { readonly [method: string]: readonly string[] } = /* @__PURE__ */ notIdempotent();

/**
 * Operations that answer a document under its type's key or its family's key (the spec's
 * \`x-root-aliases: [typeKey, familyKey]\`), by method and path: the client copies the root that
 * arrived to the other key, so both hold the same object. Built from the table
 * {@link rootAliasesOf} reads; a bundle that does not read ROOT_ALIASES leaves it out.
 */
export const ROOT_ALIASES: { readonly [method: string]: { readonly [path: string]: readonly [string, string] } } =
  /* @__PURE__ */ rootAliases();

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
