// Breaking-change gate: compares the bundled description (openapi.json) with the last
// released one kept in the repo (released/openapi.json) and fails on a breaking change
// unless a changeset announces a major release of @ixpress/openapi.
//
//   node scripts/breaking.mjs                     check (exit 1 on unannounced breaking changes)
//   node scripts/breaking.mjs --update-baseline   copy openapi.json to released/openapi.json
//
// The diff and its classification come from api-smart-diff. On top of it we apply the
// project's own, stricter reading for a consumer of the API (see `policy` below): a response
// property removed or given a new type, and a request property removed from a closed
// (additionalProperties: false) request schema, are breaking too.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { apiCompare } from "api-smart-diff";

const here = path.dirname(fileURLToPath(import.meta.url));
export const packageDir = path.resolve(here, "..");
export const baselinePath = path.join(packageDir, "released", "openapi.json");
export const currentPath = path.join(packageDir, "openapi.json");
export const changesetDir = path.resolve(packageDir, "../../.changeset");
const PACKAGE = "@ixpress/openapi";
const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

const typeSet = (t) => new Set(t === undefined ? [] : [].concat(t));

/** Walks schema keywords after `schema` into a readable field name: `client.items[].unit_price`. */
function fieldName(rest) {
  let out = "";
  let i = 0;
  for (; i < rest.length; i++) {
    const token = rest[i];
    if (token === "properties" && i + 1 < rest.length) {
      out += out ? `.${rest[++i]}` : String(rest[++i]);
    } else if (token === "items") {
      out += "[]";
    } else if ((token === "allOf" || token === "anyOf" || token === "oneOf") && typeof rest[i + 1] === "number") {
      i++;
    } else if (
      (token === "additionalProperties" || token === "not" || token === "prefixItems") &&
      i + 1 < rest.length
    ) {
      out += `{${token}}`;
    } else break;
  }
  return { field: out || "(root)", keyword: rest.slice(i) };
}

/** What a local reference (`#/components/schemas/Client`) points to in `doc`. */
function refTarget(doc, ref) {
  return ref
    .slice(2)
    .split("/")
    .reduce((n, t) => (n == null ? n : n[t.replace(/~1/g, "/").replace(/~0/g, "~")]), doc);
}

function resolve(doc, node) {
  let out = node;
  for (let guard = 0; out && typeof out.$ref === "string" && out.$ref.startsWith("#/") && guard < 20; guard++) {
    out = refTarget(doc, out.$ref);
  }
  return out;
}

const show = (v) => (v === undefined ? "nothing" : JSON.stringify(v));

/** Describes one diff in our words: where it is (operation, part, field) and what changed. */
function describe(diff, before, after) {
  const [root, p, method, ...rest] = diff.path;
  if (root !== "paths" || !METHODS.has(String(method))) {
    return {
      operation: root === "paths" ? String(p) : String(root),
      text: `${diff.action} ${diff.path.slice(1).join("/")}: ${show(diff.before)} → ${show(diff.after)}`,
    };
  }
  const operation = `${String(method).toUpperCase()} ${p}`;
  if (rest.length === 0)
    return { operation, text: `operation ${{ add: "added", remove: "removed" }[diff.action] ?? diff.action}` };
  let where;
  let schemaRest = [];
  let side = "other";
  if (rest[0] === "parameters") {
    const list = (diff.action === "add" ? after : before).paths?.[p]?.[method]?.parameters ?? [];
    const param = resolve(diff.action === "add" ? after : before, list[rest[1]]) ?? {};
    where = `${param.in ?? "parameter"} parameter ${param.name ?? rest[1]}`;
    if (rest.length === 2) return { operation, text: `${where} ${diff.action === "remove" ? "removed" : "added"}` };
    if (rest[2] === "required" && rest.length === 3) {
      const now = diff.action === "remove" ? false : Boolean(diff.after);
      return {
        operation,
        text: `${where} ${now ? "is now required" : "is no longer required"}`,
        side: "request",
        keyword: ["required"],
      };
    }
    schemaRest = rest[2] === "schema" ? rest.slice(3) : rest.slice(2);
    side = "request";
  } else if (rest[0] === "requestBody") {
    if (rest[3] !== "schema") return { operation, text: `request body ${rest.slice(1).join(" ")} ${diff.action}` };
    where = "request body";
    schemaRest = rest.slice(4);
    side = "request";
    if (rest.length <= 3) return { operation, text: `request body ${rest.slice(1).join(" ")} ${diff.action}` };
  } else if (rest[0] === "responses") {
    where = `response ${rest[1]}`;
    if (rest.length === 2) return { operation, text: `${where} ${diff.action === "remove" ? "removed" : diff.action}` };
    if (rest[4] !== "schema") return { operation, text: `${where} ${rest.slice(2).join(" ")} ${diff.action}` };
    schemaRest = rest.slice(5);
    side = "response";
  } else {
    return { operation, text: `${rest.join("/")} ${diff.action}: ${show(diff.before)} → ${show(diff.after)}` };
  }
  const { field, keyword } = fieldName(schemaRest);
  const at = `${where} ${field}`;
  let text;
  if (keyword.length === 0) {
    text = diff.action === "remove" ? `${at} removed` : diff.action === "add" ? `${at} added` : `${at} changed`;
  } else if (keyword[0] === "required") {
    const name = diff.action === "add" ? diff.after : diff.before;
    text = `${where} ${field === "(root)" ? "" : `${field}.`}${name} ${diff.action === "add" ? "is now required" : "is no longer required"}`;
  } else if (keyword[0] === "enum") {
    text =
      diff.action === "add"
        ? `${at}: enum value ${show(diff.after)} added`
        : diff.action === "remove"
          ? `${at}: enum value ${show(diff.before)} removed`
          : `${at}: enum value ${show(diff.before)} → ${show(diff.after)}`;
  } else {
    text = `${at}: ${keyword.join(".")} ${show(diff.before)} → ${show(diff.after)}`;
  }
  return { operation, text, side, keyword, field };
}

/**
 * Whether a schema still has the field at `tokens` (the diff's path below `schema`), looking
 * through $ref and every oneOf/anyOf/allOf branch. A property that only moved into a branch
 * (a body wrapped in `oneOf` to accept a second form) is still there.
 */
function hasField(doc, node, tokens, depth = 0) {
  const schema = resolve(doc, node);
  if (!schema || typeof schema !== "object" || depth > 64) return false;
  if (tokens.length === 0) return true;
  for (const key of ["oneOf", "anyOf", "allOf"]) {
    if (Array.isArray(schema[key]) && schema[key].some((branch) => hasField(doc, branch, tokens, depth + 1)))
      return true;
  }
  const [token, next, ...rest] = tokens;
  if ((token === "oneOf" || token === "anyOf" || token === "allOf") && typeof next === "number") {
    // Branch indexes do not survive a restructuring: any branch will do.
    return hasField(doc, schema, rest, depth + 1);
  }
  if (token === "properties") return hasField(doc, schema.properties?.[next], rest, depth + 1);
  if (token === "items") return hasField(doc, schema.items, tokens.slice(1), depth + 1);
  if (token === "additionalProperties" || token === "not")
    return hasField(doc, schema[token], tokens.slice(1), depth + 1);
  return false;
}

/** The schema a diff's path sits under in `doc` (request body or response), and the tokens below it. */
function schemaRoot(doc, diffPath) {
  const [, p, method, part, ...rest] = diffPath;
  const operation = doc.paths?.[p]?.[method];
  if (!operation) return undefined;
  if (part === "requestBody" && rest[0] === "content" && rest[2] === "schema") {
    return { node: resolve(doc, operation.requestBody)?.content?.[rest[1]]?.schema, tokens: rest.slice(3) };
  }
  if (part === "responses" && rest[1] === "content" && rest[3] === "schema") {
    return { node: resolve(doc, operation.responses?.[rest[0]])?.content?.[rest[2]]?.schema, tokens: rest.slice(4) };
  }
  return undefined;
}

function stillThere(after, diffPath) {
  const root = schemaRoot(after, diffPath);
  return root !== undefined && hasField(after, root.node, root.tokens);
}

/**
 * Our reading on top of the tool's: returns "breaking" where a consumer of the API would be
 * broken although api-smart-diff says otherwise, else the tool's own type.
 */
/**
 * Whether the released description already took a request property `name` as required in a
 * branch of the oneOf/anyOf the diff points into. The diff tool pairs branches by similarity;
 * once request schemas are opened it pairs them differently and reports a branch's own root
 * key as "now required". A branch that already required it refuses nothing new.
 */
function branchAlreadyRequired(before, diffPath, name) {
  const root = schemaRoot(before, diffPath);
  if (!root) return false;
  let node = resolve(before, root.node);
  for (let i = 0; i < root.tokens.length && node; i++) {
    const token = root.tokens[i];
    if ((token === "oneOf" || token === "anyOf") && Array.isArray(node[token])) {
      return node[token].some((branch) => [].concat(resolve(before, branch)?.required ?? []).includes(name));
    }
    node = resolve(before, node[token]);
  }
  return false;
}

function policy(diff, described, after, before) {
  const { side, keyword } = described;
  if (side === "request" && diff.path.some((t) => t === "oneOf" || t === "anyOf")) {
    const name = diff.action === "add" ? diff.after : undefined;
    const added = keyword?.[0] === "required" ? name : keyword?.length === 0 ? diff.path.at(-1) : undefined;
    if (typeof added === "string" && branchAlreadyRequired(before, diff.path, added)) return "non-breaking";
  }
  const removedField = keyword?.length === 0 && diff.action === "remove";
  // A property that only moved into a oneOf/anyOf/allOf branch has not gone anywhere.
  if (removedField && (side === "request" || side === "response") && stillThere(after, diff.path)) {
    return diff.type === "breaking" ? "unclassified" : diff.type;
  }
  if (side === "request" && keyword?.[0] === "type" && keyword.length === 1 && diff.action === "replace") {
    // A request field that now takes more types (string → string|null) refuses nothing it took.
    const was = typeSet(diff.before);
    const now = typeSet(diff.after);
    if (was.size > 0 && [...was].every((t) => now.has(t))) return "non-breaking";
  }
  if (diff.type === "breaking") return "breaking";
  if (side === "response") {
    // A field the client reads is gone.
    if (removedField) return "breaking";
    // A field now has a type it could not have before (string → integer, string → string|null).
    if (keyword?.[0] === "type" && (diff.action === "replace" || diff.action === "add")) {
      const was = typeSet(diff.before);
      const now = keyword.length > 1 ? new Set([...was, diff.after]) : typeSet(diff.after);
      if (was.size === 0 || [...now].some((t) => !was.has(t))) return "breaking";
    }
  }
  if (side === "request" && removedField) {
    // Request schemas are closed: a client still sending the property is now refused.
    return "breaking";
  }
  return diff.type;
}

/** A canonical string of `node` with every local `$ref` replaced by what it points to. */
function fingerprint(doc, node, memo, stack = new Set()) {
  if (node === null || typeof node !== "object") return JSON.stringify(node);
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/")) {
    const ref = node.$ref;
    if (memo.has(ref)) return memo.get(ref);
    if (stack.has(ref)) return `{"$cycle":${JSON.stringify(ref)}}`;
    stack.add(ref);
    const target = refTarget(doc, ref);
    const siblings = Object.keys(node).filter((k) => k !== "$ref");
    const own = siblings.length
      ? fingerprint(doc, Object.fromEntries(siblings.map((k) => [k, node[k]])), memo, stack)
      : "";
    const out = `${fingerprint(doc, target, memo, stack)}${own}`;
    stack.delete(ref);
    memo.set(ref, out);
    return out;
  }
  if (Array.isArray(node)) return `[${node.map((v) => fingerprint(doc, v, memo, stack)).join(",")}]`;
  const keys = Object.keys(node).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${fingerprint(doc, node[k], memo, stack)}`).join(",")}}`;
}

/** The paths whose item, with every reference resolved, differs between the two descriptions. */
export function changedPaths(before, after) {
  const out = new Set();
  for (const p of new Set([...Object.keys(before.paths ?? {}), ...Object.keys(after.paths ?? {})])) {
    const a = pathFingerprint(before, p);
    if (a === undefined || a !== pathFingerprint(after, p)) out.add(p);
  }
  return out;
}

// Fingerprints per description object: a gate run (or a test file) compares the same
// released description many times. The descriptions are treated as immutable.
const fingerprints = new WeakMap();
function pathFingerprint(doc, p) {
  if (doc.paths?.[p] === undefined) return undefined;
  let cache = fingerprints.get(doc);
  if (!cache) {
    cache = { refs: new Map(), paths: new Map() };
    fingerprints.set(doc, cache);
  }
  if (!cache.paths.has(p)) cache.paths.set(p, fingerprint(doc, doc.paths[p], cache.refs));
  return cache.paths.get(p);
}

/** `doc` with only the paths in `keep` and the components they reach (component diffs are not reported). */
function onlyPaths(doc, keep) {
  const paths = Object.fromEntries(Object.entries(doc.paths ?? {}).filter(([p]) => keep.has(p)));
  const components = {};
  const seen = new Set();
  const visit = (node) => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const ref = node.$ref;
    if (typeof ref === "string" && ref.startsWith("#/components/") && !seen.has(ref)) {
      seen.add(ref);
      const [, , section, name] = ref.split("/");
      const target = doc.components?.[section]?.[name];
      if (target !== undefined) {
        components[section] ??= {};
        components[section][name] = target;
        visit(target);
      }
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(paths);
  if (doc.components?.securitySchemes) components.securitySchemes = doc.components.securitySchemes;
  return { ...doc, paths, components };
}

/**
 * Compares two bundled descriptions. Returns every change, each with the operation it
 * touches, a readable text and its type (`breaking`, `non-breaking`, `annotation`, …).
 */
export function compareSpecs(before, after) {
  // api-smart-diff costs about 0.3 s for the whole description; paths whose resolved content
  // is the same on both sides cannot differ, so only the others are handed to it.
  const changed = changedPaths(before, after);
  const { diffs } = apiCompare(onlyPaths(before, changed), onlyPaths(after, changed));
  const out = [];
  const seen = new Set();
  for (const diff of diffs) {
    // Component changes show up again, resolved, under every operation that uses them.
    if (diff.path[0] === "components") continue;
    const described = describe(diff, before, after);
    const change = {
      type: policy(diff, described, after, before),
      operation: described.operation,
      text: described.text,
      path: diff.path,
    };
    const key = `${change.type}|${change.operation}|${change.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(change);
  }
  const schemesBefore = JSON.stringify(before.components?.securitySchemes ?? {});
  const schemesAfter = JSON.stringify(after.components?.securitySchemes ?? {});
  if (schemesBefore !== schemesAfter) {
    out.push({
      type: "breaking",
      operation: "security",
      text: "components.securitySchemes changed (how the API key is sent)",
      path: ["components", "securitySchemes"],
    });
  }
  return out;
}

/**
 * Replays every named request example of the released description against the current one:
 * a request that was valid must stay valid, however the schemas were restructured. Needs a
 * validator factory (`spec => new SpecValidator(spec)` from @ixpress/openapi/validate).
 */
export function replayRequestExamples(before, after, makeValidator) {
  const validator = makeValidator(after);
  const out = [];
  // An example was valid against its released path; a path that resolves the same still takes it.
  const changed = changedPaths(before, after);
  for (const [p, item] of Object.entries(before.paths ?? {})) {
    if (!changed.has(p)) continue;
    for (const method of Object.keys(item)) {
      if (!METHODS.has(method) || !after.paths?.[p]?.[method]) continue;
      const operation = item[method];
      const params = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((x) => resolve(before, x) ?? {});
      const concrete = p.replace(/\{([^}]+)\}/g, (_, name) => {
        const param = params.find((x) => x.name === name && x.in === "path") ?? {};
        return encodeURIComponent(String(param.example ?? param.schema?.example ?? 1));
      });
      const examples = resolve(before, operation.requestBody)?.content?.["application/json"]?.examples ?? {};
      for (const [name, example] of Object.entries(examples)) {
        const value = resolve(before, example)?.value;
        if (value === undefined) continue;
        const result = validator.validateRequest({ method, path: concrete, body: value });
        const bodyErrors = result.errors.filter((e) => e.startsWith("body"));
        if (bodyErrors.length > 0) {
          out.push({
            type: "breaking",
            operation: `${method.toUpperCase()} ${p}`,
            text: `released request example "${name}" is now refused: ${bodyErrors.slice(0, 3).join("; ")}`,
            path: ["paths", p, method, "requestBody", "examples", name],
          });
        }
      }
    }
  }
  return out;
}

/** The changeset files (`.changeset/*.md`) whose frontmatter bumps @ixpress/openapi by a major. */
export function majorChangesets(dir = changesetDir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".md") || file === "README.md") continue;
    const text = readFileSync(path.join(dir, file), "utf8");
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    if (!front) continue;
    for (const line of front[1].split(/\r?\n/)) {
      const m = /^\s*["']?([^"':]+)["']?\s*:\s*["']?(major|minor|patch|none)["']?\s*$/.exec(line);
      if (m && m[1].trim() === PACKAGE && m[2] === "major") out.push(file);
    }
  }
  return out;
}

/**
 * The gate: `ok` is false when there are breaking changes and no major changeset for
 * @ixpress/openapi. `report` is what the CLI prints.
 */
export function runGate({ before, after, changesets = changesetDir, makeValidator }) {
  const changes = compareSpecs(before, after);
  if (makeValidator) changes.push(...replayRequestExamples(before, after, makeValidator));
  const breaking = changes.filter((c) => c.type === "breaking");
  const announced = majorChangesets(changesets);
  const lines = [];
  const counts = {};
  for (const c of changes) counts[c.type] = (counts[c.type] ?? 0) + 1;
  const summary =
    Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(", ") || "no changes";
  lines.push(`breaking-change gate: ${summary} against the last released description`);
  for (const c of breaking) lines.push(`  breaking: ${c.operation}: ${c.text}`);
  let ok = true;
  if (breaking.length > 0) {
    if (announced.length > 0) {
      lines.push(
        `  announced as a major release of ${PACKAGE} by .changeset/${announced.join(", .changeset/")}: passing`,
      );
    } else {
      ok = false;
      lines.push(
        `  ${breaking.length} breaking change(s) and no major changeset for ${PACKAGE}.`,
        `  Undo them, or announce them: add .changeset/<name>.md with "${PACKAGE}": major.`,
      );
    }
  }
  return { ok, changes, breaking, announced, report: lines.join("\n") };
}

async function main(argv) {
  if (argv.includes("--update-baseline")) {
    if (!existsSync(currentPath)) throw new Error(`${currentPath} is missing; run the bundle script first`);
    mkdirSync(path.dirname(baselinePath), { recursive: true });
    const spec = JSON.parse(readFileSync(currentPath, "utf8"));
    writeFileSync(baselinePath, `${JSON.stringify(spec, null, 2)}\n`);
    console.log(
      `released baseline updated: ${path.relative(process.cwd(), baselinePath)} (${spec.info?.version ?? "?"}, ${Object.keys(spec.paths).length} paths)`,
    );
    return 0;
  }
  for (const file of [baselinePath, currentPath]) {
    if (!existsSync(file)) {
      console.error(
        `breaking-change gate: ${file} is missing${file === currentPath ? " (run the bundle script first)" : ""}`,
      );
      return 1;
    }
  }
  const before = JSON.parse(readFileSync(baselinePath, "utf8"));
  const after = JSON.parse(readFileSync(currentPath, "utf8"));
  const validatePath = path.join(packageDir, "dist", "validate.js");
  if (!existsSync(validatePath)) {
    console.error(`breaking-change gate: ${validatePath} is missing (build @ixpress/openapi first)`);
    return 1;
  }
  const { SpecValidator } = await import(pathToFileURL(validatePath).href);
  const { ok, report } = runGate({ before, after, makeValidator: (spec) => new SpecValidator(spec) });
  (ok ? console.log : console.error)(report);
  return ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await main(process.argv.slice(2)));
}
