// Reads the official documentation pages kept in ../shared/seeds and pulls out every
// example they contain: curl request bodies and query strings, "Example Request Body"
// blocks and "Example Success Body Response" blocks.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const seedsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../shared/seeds");

export interface SeedRequest {
  source: string;
  body?: unknown;
  query: Record<string, string>;
}
export interface SeedPage {
  file: string;
  method: string;
  /** Concrete paths the page's template stands for, e.g. `/quotes/1.json`. */
  paths: string[];
  requests: SeedRequest[];
  responses: Array<{ status: number; body: unknown }>;
}

const DOCUMENT_TYPES =
  /simplified_invoices|invoice_receipts|credit_notes|debit_notes|fees_notes|proformas|quotes|invoices/g;

function jsonAfter(text: string, from: number): { value: unknown; end: number } {
  const start = text.indexOf("{", from);
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return { value: JSON.parse(text.slice(start, i + 1)), end: i + 1 };
  }
  throw new Error(`unbalanced JSON after offset ${from}`);
}

function allAfter(text: string, marker: string): unknown[] {
  const out: unknown[] = [];
  let at = text.indexOf(marker);
  while (at >= 0) {
    const { value, end } = jsonAfter(text, at + marker.length);
    out.push(value);
    at = text.indexOf(marker, end);
  }
  return out;
}

export function loadSeedPages(): SeedPage[] {
  if (!existsSync(seedsDir)) {
    throw new Error(
      `The official example pages are missing: expected them in ${seedsDir} (../shared/seeds beside the repository).`,
    );
  }
  return readdirSync(seedsDir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(seedsDir, file), "utf8");
      const header = /^(GET|POST|PUT|DELETE|PATCH) (\/\S+)\s*$/m.exec(text);
      if (!header) throw new Error(`${file}: no "METHOD /path" header line`);
      const [, method, template] = header as unknown as [string, string, string];
      let paths = [template];
      if (template.includes(":document-type")) {
        const described = /document-type\W[\s\S]*?For example:([^\n]*)/.exec(text)?.[1] ?? "";
        const types = [...new Set(described.match(DOCUMENT_TYPES) ?? [])];
        if (types.length === 0) throw new Error(`${file}: no document types listed for :document-type`);
        paths = types.map((t) => template.replace(":document-type", t));
      }
      paths = paths.map((p) => p.replace(":document-id", "1"));

      const requests: SeedRequest[] = [];
      for (const m of text.matchAll(/curl --request \w+((?:[^\n]*\\\n)*[^\n]*)/g)) {
        // One curl command: its continuation lines end with a backslash.
        const command = m[1]!;
        const url = new URL(
          /--url '([^']+)'/.exec(command)![1]!.replace(":document-type", "x").replace(":document-id", "1"),
        );
        const data = /--data '([^']*)'/.exec(command)?.[1];
        const query: Record<string, string> = {};
        for (const [k, v] of url.searchParams) if (k !== "api_key") query[k] = v;
        requests.push({ source: "curl", query, ...(data ? { body: JSON.parse(data) } : {}) });
      }
      for (const body of allAfter(text, "Example Request Body"))
        requests.push({ source: "request body", body, query: {} });
      const responsesSection = text.slice(text.indexOf("Responses"));
      const status = Number(/(?<!\d)(20[0-9])(?!\d)/.exec(responsesSection)?.[1] ?? NaN);
      const responses = allAfter(text, "Example Success Body Response").map((body) => ({ status, body }));
      return { file, method, paths, requests, responses };
    });
}
