/**
 * What the front writes into headers: JSON that stays printable ASCII, and the `sl-violations`
 * header Prism sends, built from the validators' findings.
 */
import type { Finding } from "@ixpress/openapi";

/** JSON with every character outside printable ASCII written as `\uXXXX`, safe in an HTTP header. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const MAX_HEADER = 8 * 1024 - 100;

/** The `sl-violations` header Prism sends, ASCII-safe and bounded. */
export function violationsHeader(findings: Finding[]): string {
  const list: unknown[] = [];
  let size = 0;
  for (const f of findings) {
    const at = f.at.length > 200 ? `${f.at.slice(0, 200)}…` : f.at;
    const entry = {
      location: ["request", ...at.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== "")],
      severity: "Error",
      code: f.keyword,
      message: f.message.length > 300 ? `${f.message.slice(0, 300)}…` : f.message,
    };
    list.push(entry);
    size += at.length + entry.message.length + 60;
    if (size > MAX_HEADER) break;
  }
  let value = asciiJson(list);
  if (value.length > MAX_HEADER || list.length < findings.length)
    value = `Too many violations! ${value.slice(0, MAX_HEADER)}`;
  return value;
}
