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
  cut?(value: string): string;
  /**
   * Whether {@link Redactor.text} could change `value` (it may answer `true` for a text that needs nothing, never
   * `false` for one that does): a cheap check before the work.
   */
  test?(value: string): boolean;
}

const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A hex digit of either case: `[aA]`. */
const hex = (n: number, width: number) =>
  n
    .toString(16)
    .padStart(width, "0")
    .replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);

const utf8 = new TextEncoder();

/**
 * A regular expression that matches one character (a code point) written in any of the ways it may come back: as
 * itself, percent-encoded (its UTF-8 bytes, hex of either case), `+` for a space, as a JSON `\uXXXX` escape (a
 * surrogate pair past U+FFFF), `\/` for `/`, or as an HTML entity (`&#NN;`, `&#xHH;`, and the named ones for `& < > "
 * '`).
 */
function anyEncoding(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const forms = [reEscape(ch)];
  const bytes = [...utf8.encode(ch)];
  forms.push(bytes.map((b) => `%${hex(b, 2)}`).join(""));
  // Header values are read byte by byte (Latin-1): raw UTF-8 comes back as one character per byte.
  if (cp > 0x7f) forms.push(reEscape(String.fromCharCode(...bytes)));
  if (ch === " ") forms.push("\\+");
  if (ch === "/") forms.push("\\\\/");
  const units = cp > 0xffff ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [cp];
  forms.push(units.map((u) => `\\\\[uU]${hex(u, 4)}`).join(""));
  forms.push(`&#0*${cp};`, `&#[xX]0*${hex(cp, 1)};`);
  const named: Record<string, string> = { "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "(?:apos|#39)" };
  if (named[ch]) forms.push(`&${named[ch]};`);
  return `(?:${forms.join("|")})`;
}

/** Matches a secret written in any (mix) of the encodings of {@link anyEncoding}. */
const secretPattern = (secret: string) => [...secret].map(anyEncoding).join("");

/**
 * Builds a redactor for some literal secrets (the API key) and the names of sensitive fields: `api_key`, every field
 * marked `x-sensitive` in the spec, and `fields`.
 */
export function createRedactor(secrets: readonly string[] = [], fields: readonly string[] = []): Redactor {
  const names = new Set(["api_key", ...SENSITIVE_FIELDS, ...fields].map((n) => n.toLowerCase()));
  const alt = [...names].map(reEscape).join("|");
  const param = new RegExp(`([?&;](?:${alt})=)[^&#\\s"'<>]*`, "gi");
  const pair = new RegExp(`("(?:${alt})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi");
  const unique = [...new Set(secrets.filter((s) => typeof s === "string" && s.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  const literal = unique.length > 0 ? new RegExp(unique.map(secretPattern).join("|"), "g") : undefined;

  // The longest a secret can be once encoded: 12 characters a code point (`%F0%9F%98%80`, a `\u` pair).
  const reach = Math.max(0, ...unique.map((u) => [...u].length * 12));
  const openPair = new RegExp(`("(?:${alt})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*$`, "i");
  // One test for all three patterns, case-insensitive (so it matches at least what they match): most texts (a URL
  // without secrets, ordinary headers) hold none and are handed back as they are.
  const any = new RegExp([literal?.source, param.source, pair.source].filter(Boolean).join("|"), "i");
  const text = (s: string): string => {
    if (!any.test(s)) return s;
    const out = literal ? s.replace(literal, REDACTED) : s;
    return out.replace(param, `$1${REDACTED}`).replace(pair, `$1"${REDACTED}"`);
  };
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
  const cut = (s: string): string => {
    const out = text(s);
    return out.slice(0, Math.max(0, out.length - reach)).replace(openPair, `$1"${REDACTED}"`);
  };
  return { text, value: value as Redactor["value"], cut, test: (s) => any.test(s) };
}

/** A copy of `headers` with every value redacted (the same object when nothing needed it). */
export function redactHeaders(headers: Headers, redactor: Redactor): Headers {
  if (redactor.test) {
    // Every name and value in one text: whatever matches in one of them matches in the whole.
    let all = "";
    for (const [name, v] of headers) all += `${name}\n${v}\n`;
    if (!redactor.test(all)) return headers;
  }
  let changed = false;
  const entries: Array<[string, string]> = [];
  for (const [name, v] of headers) {
    if (redactor.text(name) !== name) {
      changed = true; // a header named after a secret is dropped: a name cannot be redacted
      continue;
    }
    const safe = redactor.text(v);
    if (safe !== v) changed = true;
    entries.push([name, safe]);
  }
  if (!changed) return headers;
  const out = new Headers();
  for (const [name, v] of entries) out.append(name, v);
  return out;
}
