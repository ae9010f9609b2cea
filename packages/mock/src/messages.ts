/**
 * Refusals in the API's own words: plain messages for validator issues, the error body shape
 * the operation documents, an ASCII-safe `sl-violations` header, and strict-mode checks for
 * unknown keys (with a "did you mean").
 */
import type { OpenAPIDocument } from "@ixpress/openapi";
import type { ValidationIssue } from "@ixpress/openapi/validate";

type Json = Record<string, unknown>;

/** JSON with every character outside printable ASCII written as `\uXXXX`, safe in an HTTP header. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const MAX_HEADER = 8 * 1024 - 100;

/** The `sl-violations` header Prism sends, ASCII-safe and bounded. */
export function violationsHeader(issues: ValidationIssue[]): string {
  const list = issues.map((i) => ({
    location: ["request", ...i.at.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== "")],
    severity: "Error",
    code: "invalid",
    message: i.message,
  }));
  let value = asciiJson(list);
  if (value.length > MAX_HEADER) value = `Too many violations! ${value.slice(0, MAX_HEADER)}`;
  return value;
}

/** Reads the value at `body.client.items[0].name` (or `query.page`) from the request. */
function valueAt(at: string, body: unknown, query: Map<string, string | string[]>): unknown {
  if (at.startsWith("query.")) {
    const m = /^(.*?)(?:\[(\d+)\])?$/.exec(at.slice(6))!;
    const v = query.get(m[1]!);
    return m[2] !== undefined ? ([] as string[]).concat(v ?? [])[Number(m[2])] : v;
  }
  if (!at.startsWith("body")) return undefined;
  let node: unknown = body;
  for (const token of at.slice(4).match(/\.[^.[]+|\[\d+\]/g) ?? []) {
    if (node === null || typeof node !== "object") return undefined;
    const key = token.startsWith("[") ? Number(token.slice(1, -1)) : token.slice(1);
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function shown(value: unknown): string {
  let text = JSON.stringify(value) ?? String(value);
  if (text.length > 60) text = `${text.slice(0, 60)}…`;
  return text;
}

/** `body.client.email` → `client.email`; `query.page` → `page`. */
function place(at: string): string {
  if (at === "body") return "the body";
  if (at.startsWith("body.")) return at.slice(5);
  if (at.startsWith("query.") || at.startsWith("path.")) return at.slice(at.indexOf(".") + 1);
  return at;
}

const FORMATS: Record<string, string> = {
  email: "must be an e-mail address",
  date: "must be a date written yyyy-mm-dd",
  "date-time": "must be a date and time (ISO 8601)",
  uri: "must be a URL",
  url: "must be a URL",
};
const TYPES: Record<string, string> = {
  integer: "must be a whole number",
  number: "must be a number",
  string: "must be text",
  boolean: "must be true or false",
  object: "must be an object",
  array: "must be a list",
  null: "must be null",
};

/** One issue as a plain sentence: `client.email: must be an e-mail address, got "foo"`. */
export function plainMessage(issue: ValidationIssue, body: unknown, query: Map<string, string | string[]>): string {
  const at = place(issue.at);
  const value = valueAt(issue.at, body, query);
  const got = value === undefined ? "" : `, got ${shown(value)}`;
  let m = issue.message;
  let match: RegExpExecArray | null;
  match = /^must have the property "(.+)"$/.exec(m);
  if (match) {
    return `${at === "the body" ? "" : `${at}.`}${match[1]}: is required`;
  }
  match = /^must not have the property "(.+)"$/.exec(m);
  if (match) {
    return `${at === "the body" ? "" : `${at}.`}${match[1]}: is not a known field`;
  }
  match = /^must match format "(.+?)"/.exec(m);
  if (match) {
    m = FORMATS[match[1]!] ?? `must be a valid ${match[1]}`;
    return `${at}: ${m}${got}`;
  }
  if (/^must match pattern/.test(m)) {
    if (typeof value === "string" && /^-?\d+,\d+$/.test(value)) {
      return `${at}: use a dot as the decimal separator${got}`;
    }
    return `${at}: is not written in the expected form${got}`;
  }
  match = /^must be (integer|number|string|boolean|object|array|null)(,.*)?$/.exec(m);
  if (match) {
    const types = match[0]
      .slice(8)
      .split(",")
      .map((t) => TYPES[t.trim()] ?? t.trim());
    return `${at}: ${types.join(" or ").replace(/ or must be /g, " or ")}${got}`;
  }
  match = /^must be (>=|<=|>|<) (.+)$/.exec(m);
  if (match) {
    const words = { ">=": "at least", "<=": "at most", ">": "more than", "<": "less than" }[match[1] as ">="];
    return `${at}: must be ${words} ${match[2]}${got}`;
  }
  match = /^must NOT have more than (\d+) characters$/.exec(m);
  if (match) {
    return `${at}: must be at most ${match[1]} characters long${got}`;
  }
  match = /^must NOT have fewer than (\d+) characters$/.exec(m);
  if (match) {
    return `${at}: must be at least ${match[1]} characters long${got}`;
  }
  if (/^must be one of:/.test(m)) return `${at}: ${m}${got}`;
  if (/^must match (exactly one|a) schema in (oneOf|anyOf)$/.test(m)) {
    return `${at}: does not match any of the accepted forms${got}`;
  }
  return `${at}: ${m}`;
}

/**
 * The error body for a refusal, in the shape the operation documents for that status (or, where
 * it documents none, the documents' `{"errors":{"error":…}}`), so that clients that read the
 * real API's errors (`InvoiceXpressError.messages`) show the reasons.
 */
export function errorBody(
  operation: Json | undefined,
  status: number,
  messages: string[],
  spec: OpenAPIDocument,
): unknown {
  const example = documentedExample(operation, status, spec);
  if (example !== undefined) {
    if (Array.isArray(example)) return messages;
    if (example && typeof example === "object") {
      const errors = (example as Json).errors;
      if (Array.isArray(errors)) {
        return {
          errors: typeof errors[0] === "object" && errors[0] !== null ? messages.map((error) => ({ error })) : messages,
        };
      }
      if (errors && typeof errors === "object" && "code" in (errors as Json)) {
        return { errors: { code: String(status), message: messages.join("; ") } };
      }
      if (errors === undefined && Object.keys(example as Json).length > 0) {
        const key = Object.keys(example as Json)[0]!;
        if (key === "error" || key === "message" || key === "reason") return { [key]: messages.join("; ") };
        // A field map: {"name":["is not available."]}
        return { base: messages };
      }
    }
  }
  return { errors: { error: messages.join("; ") } };
}

function deref(node: unknown, spec: OpenAPIDocument): Json | undefined {
  let out = node as Json | undefined;
  for (let i = 0; i < 20 && out && typeof out.$ref === "string"; i++) {
    let target: unknown = spec;
    for (const t of String(out.$ref).slice(2).split("/")) {
      target = (target as Json | undefined)?.[t.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    out = target as Json | undefined;
  }
  return out;
}

function documentedExample(operation: Json | undefined, status: number, spec: OpenAPIDocument): unknown {
  const response = deref((operation?.responses as Json | undefined)?.[String(status)], spec);
  const media = deref((response?.content as Json | undefined)?.["application/json"], spec);
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values((media.examples ?? {}) as Json)[0];
  return deref(first, spec)?.value;
}

/** Edit distance (Levenshtein), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest known name within a third of its length, if any. */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.ceil(best.length / 3)) ? best : undefined;
}
