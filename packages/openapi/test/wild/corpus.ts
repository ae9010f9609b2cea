/**
 * The wild corpus: requests and responses of public InvoiceXpress clients, one JSON file per
 * source. Values are re-synthesised (names, ids, amounts, NIFs); key sets, nesting and types
 * are the clients' own. See README.md in this folder.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface WildCase {
  id: string;
  source: { repo: string; file: string };
  note: string;
  direction: "request" | "response";
  method: string;
  /** Concrete path, optionally with a query string. */
  path: string;
  query?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  body?: unknown;
  /** Responses only. */
  status?: number;
  expect: "accept" | "reject";
  /** A case that contradicts the docs or other traffic, or looks like a client bug, with our decision. */
  disputed?: { reason: string; decision: string };
}

export const wildDir = path.dirname(fileURLToPath(import.meta.url));

export function loadWildCorpus(): WildCase[] {
  const out: WildCase[] = [];
  for (const file of readdirSync(wildDir).sort()) {
    if (!file.endsWith(".json")) continue;
    out.push(...(JSON.parse(readFileSync(path.join(wildDir, file), "utf8")) as WildCase[]));
  }
  return out;
}
