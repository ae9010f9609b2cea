import { SENSITIVE_FIELDS } from "./generated/spec-meta.js";

/** What a secret is replaced with. */
export const REDACTED = "[REDACTED]";

/** Replaces secrets in text and in parsed JSON values. */
export interface Redactor {
  /** Redacts literal secrets, `name=value` query parameters and `"name": "value"` JSON pairs of sensitive names. */
  text(value: string): string;
  /** A deep copy of a JSON value with sensitive fields replaced and strings redacted. */
  value<T>(value: T): T;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Builds a redactor for some literal secrets (the API key) and the names of sensitive fields:
 * `api_key`, every field marked `x-sensitive` in the spec, and `fields`.
 */
export function createRedactor(secrets: readonly string[] = [], fields: readonly string[] = []): Redactor {
  const names = new Set(["api_key", ...SENSITIVE_FIELDS, ...fields].map((n) => n.toLowerCase()));
  const alt = [...names].map(escape).join("|");
  const param = new RegExp(`([?&;](?:${alt})=)[^&#\\s"'<>]*`, "gi");
  const pair = new RegExp(`("(?:${alt})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi");
  const literals = [
    ...new Set(
      secrets
        .filter((s) => s.length > 0)
        .flatMap((s) => [s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)]),
    ),
  ].sort((a, b) => b.length - a.length);
  const literal = literals.length > 0 ? new RegExp(literals.map(escape).join("|"), "g") : undefined;

  const text = (s: string): string => {
    const out = s.replace(param, `$1${REDACTED}`).replace(pair, `$1"${REDACTED}"`);
    return literal ? out.replace(literal, REDACTED) : out;
  };
  const value = (v: unknown, depth = 0): unknown => {
    if (typeof v === "string") return text(v);
    if (v === null || typeof v !== "object" || depth > 64) return v;
    if (Array.isArray(v)) return v.map((x) => value(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      out[k] = names.has(k.toLowerCase()) && x != null ? REDACTED : value(x, depth + 1);
    return out;
  };
  return { text, value: value as Redactor["value"] };
}
