/**
 * The spec toolkit: the one place that reads an OpenAPI description for the other packages
 * (validators, mock, client generator, docs build). JSON pointers and `$ref`s, the operation
 * list and its parameters, the HTTP methods, the fields marked sensitive, the API's dates and
 * a bounded "did you mean".
 */

/** The HTTP methods an OpenAPI path item can hold, in the order they are reported. */
export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The parts of an OpenAPI 3.1 document this package reads. */
export interface OpenAPIDocument {
  openapi: string;
  info: { title: string; version: string; [key: string]: unknown };
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

type Json = Record<string, unknown>;

/** One operation of the description, flattened. */
export interface OperationEntry {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  operation: Record<string, unknown>;
  /** The path item the operation sits in (its shared `parameters`, the other methods). */
  pathItem: Record<string, unknown>;
}

/** `a/b~c` → `a~1b~0c`: a key written as one JSON-pointer token. */
export function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** `a~1b~0c` → `a/b~c`. */
export function unescapePointer(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The value a local JSON pointer (`#/components/schemas/Client`, or `/components/…`) names, `undefined` when none. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  const body = pointer.startsWith("#") ? pointer.slice(1) : pointer;
  if (body === "") return doc;
  if (!body.startsWith("/")) return undefined;
  let node: unknown = doc;
  for (const raw of body.slice(1).split("/")) {
    if (node === null || typeof node !== "object") return undefined;
    const token = unescapePointer(raw);
    if (!Object.hasOwn(node, token)) return undefined;
    node = (node as Json)[token];
  }
  return node;
}

export interface DerefOptions {
  /** Throw on a `$ref` that is not local, dangles or loops, instead of answering `undefined` (a build step). */
  strict?: boolean;
}

/**
 * Follows a node's local `$ref` chain (`#/components/…`) to what it finally names; a node
 * without `$ref` is answered as it is. A `$ref` that is not local, dangles or loops answers
 * `undefined` (or throws, with `{ strict: true }`).
 */
export function deref<T = Json>(doc: unknown, node: unknown, options: DerefOptions = {}): T | undefined {
  let out = node;
  const seen = new Set<string>();
  while (out !== null && typeof out === "object" && typeof (out as Json).$ref === "string") {
    const ref = (out as Json).$ref as string;
    const fail = (why: string) => {
      if (options.strict) throw new Error(`cannot resolve $ref ${ref}: ${why}`);
      return undefined;
    };
    if (!ref.startsWith("#")) return fail("not a local reference");
    if (seen.has(ref)) return fail("it loops");
    seen.add(ref);
    out = resolvePointer(doc, ref);
    if (out === undefined) return fail("nothing is there");
  }
  return out as T | undefined;
}

/** Every operation of a description, in path order. */
export function listOperations(spec: OpenAPIDocument): OperationEntry[] {
  const out: OperationEntry[] = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (!operation) continue;
      out.push({
        method,
        path,
        operationId: String(operation.operationId ?? ""),
        summary: String(operation.summary ?? ""),
        tags: (operation.tags as string[] | undefined) ?? [],
        operation,
        pathItem: item,
      });
    }
  }
  return out;
}

/** One parameter of an operation, resolved, with the JSON pointer of its schema. */
export interface ParameterEntry {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema?: Record<string, unknown>;
  /** The parameter itself, resolved. */
  parameter: Record<string, unknown>;
  /** Where its schema sits in the description (`#/components/parameters/Page/schema`). */
  schemaPointer: string;
}

/**
 * An operation's parameters: the path item's and the operation's own, resolved, an operation's
 * parameter overriding the path item's of the same name and place (as OpenAPI says).
 */
export function operationParameters(spec: OpenAPIDocument, path: string, method: string): ParameterEntry[] {
  const item = spec.paths[path] as Json | undefined;
  const operation = item?.[method.toLowerCase()] as Json | undefined;
  if (!item || !operation) return [];
  const out: ParameterEntry[] = [];
  const base = `#/paths/${escapePointer(path)}`;
  const lists: Array<[unknown, string]> = [
    [item.parameters, `${base}/parameters`],
    [operation.parameters, `${base}/${method.toLowerCase()}/parameters`],
  ];
  for (const [list, at] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((raw: unknown, i) => {
      const parameter = deref(spec, raw);
      if (!parameter || typeof parameter.name !== "string" || typeof parameter.in !== "string") return;
      const ref = (raw as Json).$ref;
      const entry: ParameterEntry = {
        name: parameter.name,
        in: parameter.in as ParameterEntry["in"],
        required: parameter.required === true,
        ...(parameter.schema && typeof parameter.schema === "object"
          ? { schema: parameter.schema as Record<string, unknown> }
          : {}),
        parameter,
        schemaPointer: typeof ref === "string" ? `${ref}/schema` : `${at}/${i}/schema`,
      };
      const same = out.findIndex((p) => p.name === entry.name && p.in === entry.in);
      if (same >= 0) out[same] = entry;
      else out.push(entry);
    });
  }
  return out;
}

/** The placeholder a redacted value is replaced with, everywhere. */
export const REDACTED = "[REDACTED]";

const marked = (node: unknown) => node !== null && typeof node === "object" && (node as Json)["x-sensitive"] === true;

/**
 * Names of the properties and parameters the description marks `x-sensitive: true` (on the
 * schema itself, the schema it references, or an `allOf`/`anyOf`/`oneOf` branch of it), and the
 * names of its API-key security schemes: what must never reach a log, an error or a report.
 */
export function sensitiveFields(spec: OpenAPIDocument): string[] {
  const out = new Set<string>();
  const markedDeep = (schema: unknown, depth = 0): boolean => {
    const s = deref(spec, schema);
    if (marked(schema) || marked(s)) return true;
    if (depth > 8 || !s || typeof s !== "object") return false;
    return ["allOf", "anyOf", "oneOf"].some(
      (k) => Array.isArray(s[k]) && (s[k] as unknown[]).some((b) => markedDeep(b, depth + 1)),
    );
  };
  const visited = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== "object" || visited.has(node)) return;
    visited.add(node);
    if (Array.isArray(node)) {
      for (const v of node) walk(v);
      return;
    }
    const n = node as Json;
    if (n.properties && typeof n.properties === "object" && !Array.isArray(n.properties)) {
      for (const [name, schema] of Object.entries(n.properties as Json)) if (markedDeep(schema)) out.add(name);
    }
    if (typeof n.name === "string" && typeof n.in === "string" && (marked(n) || markedDeep(n.schema))) out.add(n.name);
    for (const v of Object.values(n)) walk(v);
  };
  walk(spec);
  const schemes = (spec.components?.securitySchemes ?? {}) as Record<string, Json>;
  for (const scheme of Object.values(schemes)) {
    const s = deref(spec, scheme);
    if (s?.type === "apiKey" && typeof s.name === "string") out.add(s.name);
  }
  return [...out].sort();
}

/** A date as the API writes it, `dd/mm/yyyy` (a one-digit day or month is read too). */
export interface ApiDate {
  day: number;
  month: number;
  year: number;
  /** Whether it was written with a one-digit day or month (`3/12/2017`). */
  short: boolean;
  /** The canonical form, `03/12/2017`. */
  canonical: string;
  /** `yyyymmdd` as a number: dates compare as numbers. */
  dayNumber: number;
}

const API_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** Reads an API date (`dd/mm/yyyy`, or `d/m/yyyy`); `undefined` when the text is not one. */
export function parseApiDate(text: unknown): ApiDate | undefined {
  if (typeof text !== "string" || text.length > 10) return undefined;
  const m = API_DATE.exec(text);
  if (!m) return undefined;
  const [d, mo, y] = [m[1]!, m[2]!, m[3]!];
  return {
    day: Number(d),
    month: Number(mo),
    year: Number(y),
    short: d.length === 1 || mo.length === 1,
    canonical: `${d.padStart(2, "0")}/${mo.padStart(2, "0")}/${y}`,
    dayNumber: Number(y) * 10_000 + Number(mo) * 100 + Number(d),
  };
}

/** Today (UTC) as the API writes dates, `dd/mm/yyyy`. */
export function formatApiDate(date: Date): string {
  const dd = String(date.getUTCDate()).padStart(2, "0");
  const mm = String(date.getUTCMonth() + 1).padStart(2, "0");
  return `${dd}/${mm}/${date.getUTCFullYear()}`;
}

/** Keys longer than this get no "did you mean": no real key is that long, and the work stays bounded. */
export const CLOSEST_MAX_KEY = 64;

const normalized = (s: string) => s.toLowerCase().replace(/[-_\s]/g, "");

/** How many edits a key of this length may be away from a known one to count as a slip. */
function editLimit(length: number): number {
  return length <= 4 ? 1 : length <= 8 ? 2 : 3;
}

/**
 * Edit distance (insertions, deletions, substitutions, adjacent swaps) when it is at most
 * `limit`, else `limit + 1`; only the band of width `limit` around the diagonal is computed.
 */
function boundedDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const over = limit + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => (j <= limit ? j : over));
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = Array<number>(b.length + 1).fill(over);
    if (i <= limit) row[0] = i;
    let best = row[0]!;
    const from = Math.max(1, i - limit);
    const to = Math.min(b.length, i + limit);
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      row[j] = Math.min(v, over);
      if (row[j]! < best) best = row[j]!;
    }
    if (best > limit) return over;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * "Did you mean": the known key closest to `key`, when it is a slip away (one edit for a key of
 * up to 4 characters, two up to 8, three beyond; case, `-` and `_` never count), else
 * `undefined`. Bounded: a key longer than {@link CLOSEST_MAX_KEY} gets none, and only candidates
 * of a similar length are compared, each within a band.
 */
export function closest(key: string, candidates: Iterable<string>): string | undefined {
  if (key.length === 0 || key.length > CLOSEST_MAX_KEY) return undefined;
  const limit = editLimit(key.length);
  const lower = key.toLowerCase();
  const norm = normalized(key);
  let best: string | undefined;
  let bestScore = limit + 1;
  for (const k of candidates) {
    if (k.length > CLOSEST_MAX_KEY + limit) continue;
    if (normalized(k) === norm) return k;
    if (Math.abs(k.length - key.length) > limit) continue;
    const score = boundedDistance(lower, k.toLowerCase(), Math.min(limit, bestScore - 1));
    if (score < bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return bestScore <= limit ? best : undefined;
}

/**
 * A short, bounded preview of a value as JSON (at most `max` characters, then `…`): what
 * messages show after "got". Never serialises more of a large value than it shows.
 */
export function preview(value: unknown, max = 60): string {
  let out = "";
  const full = () => out.length > max;
  const write = (v: unknown, depth: number): void => {
    if (full()) return;
    if (typeof v === "string") {
      out += JSON.stringify(v.length > max ? v.slice(0, max + 1) : v);
      return;
    }
    if (v === null || typeof v !== "object") {
      out += typeof v === "bigint" ? String(v) : (JSON.stringify(v) ?? String(v));
      return;
    }
    if (depth > 8) {
      out += "…";
      return;
    }
    if (Array.isArray(v)) {
      out += "[";
      for (let i = 0; i < v.length && !full(); i++) {
        if (i > 0) out += ",";
        write(v[i] ?? null, depth + 1);
      }
      out += "]";
      return;
    }
    out += "{";
    let first = true;
    for (const k in v) {
      if (full()) break;
      if (!Object.hasOwn(v, k)) continue;
      const child = (v as Json)[k];
      if (child === undefined || typeof child === "function") continue;
      if (!first) out += ",";
      first = false;
      out += `${JSON.stringify(k.length > max ? k.slice(0, max + 1) : k)}:`;
      write(child, depth + 1);
    }
    out += "}";
  };
  write(value, 0);
  return out.length > max ? `${out.slice(0, max)}…` : out;
}
