import { SENSITIVE_FIELDS } from "./generated/spec-meta.js";

/** What a secret is replaced with. */
export const REDACTED = "[REDACTED]";

/** Replaces secrets in text and in parsed JSON values. */
export interface Redactor {
  /**
   * Redacts literal secrets (in any of the encodings a server may echo them in: percent-encoding of either case, `+`
   * for a space, JSON `\u` escapes and `\/`, HTML entities), `name=value` query parameters and `"name": "value"` JSON
   * pairs of sensitive names.
   */
  text(value: string): string;
  /** A deep copy of a JSON value with sensitive fields replaced and strings (and keys) redacted. */
  value<T>(value: T): T;
  /**
   * Redacts a text that was cut short (a capped body): as {@link Redactor.text}, and also drops the tail that could
   * hold the start of a secret, and an unterminated sensitive JSON value.
   */
  cut(value: string): string;
  /**
   * Whether {@link Redactor.text} could change `value` (it may answer `true` for a text that needs nothing, never
   * `false` for one that does): a cheap check before the work.
   */
  test(value: string): boolean;
}

const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const ENTITIES: Record<string, string> = { "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos|#39" };

/**
 * A regular expression (matched without case) for one character (a code point) written in any of the ways it may come
 * back: as itself, percent-encoded (its UTF-8 bytes), its UTF-8 bytes read as Latin-1 (a header), `+` for a space, a
 * JSON `\uXXXX` escape (a surrogate pair past U+FFFF), `\/` for `/`, or an HTML entity (`&#NN;`, `&#xHH;`, a named one).
 */
function anyEncoding(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const bytes = [...new TextEncoder().encode(ch)];
  const units = [...Array(ch.length)].map((_, i) => `\\\\u${hex(ch.charCodeAt(i), 4)}`).join("");
  const forms = [reEscape(ch), bytes.map((b) => `%${hex(b, 2)}`).join(""), units, `&#0*${cp};`, `&#x0*${hex(cp, 1)};`];
  if (cp > 0x7f) forms.push(reEscape(String.fromCharCode(...bytes)));
  if (ch === " ") forms.push("\\+");
  if (ch === "/") forms.push("\\\\/");
  if (ENTITIES[ch]) forms.push(`&(?:${ENTITIES[ch]});`);
  return `(?:${forms.join("|")})`;
}

/**
 * Builds a redactor for some literal secrets (the API key) and the names of sensitive fields: `api_key`, every field
 * marked `x-sensitive` in the spec, and `fields`.
 */
export function createRedactor(secrets: readonly string[] = [], fields: readonly string[] = []): Redactor {
  const names = new Set(["api_key", ...SENSITIVE_FIELDS, ...fields].map((n) => n.toLowerCase()));
  const alt = [...names].map(reEscape).join("|");
  const param = new RegExp(`([?&;](?:${alt})=)[^&#\\s"'<>]*`, "gi");
  const pair = `("(?:${alt})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*`;
  const unique = [...new Set(secrets.filter((s) => typeof s === "string" && s !== ""))].sort(
    (a, b) => b.length - a.length,
  );
  const literal = unique.map((u) => [...u].map(anyEncoding).join("")).join("|");
  // One test for every pattern: most texts (a URL without secrets, ordinary headers) hold none and are handed back.
  const any = new RegExp([literal, param.source, pair].filter(Boolean).join("|"), "i");
  const [secret, pairs] = [new RegExp(literal || "(?!)", "gi"), new RegExp(`${pair}"`, "gi")];
  const text = (s: string): string =>
    any.test(s) ? s.replace(secret, REDACTED).replace(param, `$1${REDACTED}`).replace(pairs, `$1"${REDACTED}"`) : s;
  const value = (v: unknown, depth = 0): unknown => {
    if (typeof v === "string") return text(v);
    if (v === null || typeof v !== "object") return v;
    if (depth > 64) return REDACTED; // deeper than any real body: not looked into, so not handed back
    if (Array.isArray(v)) return v.map((x) => value(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      out[text(k)] = names.has(k.toLowerCase()) && x != null ? REDACTED : value(x, depth + 1);
    return out;
  };
  // A cut text also loses the tail that could hold the start of a secret (at most 12 characters a code point once
  // encoded: `%F0%9F%98%80`, a `\u` pair) and an unterminated sensitive JSON value.
  const reach = Math.max(0, ...unique.map((u) => [...u].length * 12));
  const cut = (s: string) =>
    text(s)
      .slice(0, -reach || undefined)
      .replace(new RegExp(`${pair}$`, "i"), `$1"${REDACTED}"`);
  return { text, value: value as Redactor["value"], cut, test: (s) => any.test(s) };
}

/** `headers` with every value redacted, and any header named after a secret dropped (the same object when none is). */
export function redactHeaders(headers: Headers, redactor: Redactor): Headers {
  let all = ""; // every name and value in one text: whatever matches in one of them matches in the whole
  for (const [name, v] of headers) all += `${name}\n${v}\n`;
  if (!redactor.test(all)) return headers;
  const out = new Headers();
  for (const [name, v] of headers) if (redactor.text(name) === name) out.append(name, redactor.text(v));
  return out;
}
