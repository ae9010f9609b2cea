import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../src/index.js";
import { validateRequest, validateResponse } from "../src/validate.js";
import { loadSeedPages } from "./seed-pages.js";

const pages = loadSeedPages();

function namedExamples(node: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach((n) => namedExamples(n, out));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "examples" && value && typeof value === "object" && !Array.isArray(value)) {
        for (const ex of Object.values(value))
          if (ex && typeof ex === "object" && "value" in ex) out.push((ex as { value: unknown }).value);
      }
      namedExamples(value, out);
    }
  }
  return out;
}
const specExamples = namedExamples(loadSpec());

describe("the official example pages", () => {
  it("are all read, each with its examples", () => {
    expect(pages).toHaveLength(5);
    for (const page of pages) {
      expect(page.requests.length, page.file).toBeGreaterThan(0);
      expect(page.paths.length, page.file).toBeGreaterThan(0);
    }
    // The pages' templates expand to every concrete path they stand for.
    expect(pages.flatMap((p) => p.paths).sort()).toEqual(
      [
        "/clients.json",
        "/clients.json",
        "/credit_notes.json",
        "/debit_notes.json",
        "/fees_notes/1.json",
        "/invoice_receipts.json",
        "/invoices.json",
        "/proformas/1.json",
        "/purchase_orders.json",
        "/quotes/1.json",
        "/simplified_invoices.json",
      ].sort(),
    );
  });

  for (const page of pages) {
    describe(`${page.file} (${page.method} ${page.paths.join(", ")})`, () => {
      page.requests.forEach((request, i) => {
        for (const path of page.paths) {
          it(`request ${i + 1} (${request.source}) validates for ${page.method} ${path}`, () => {
            const result = validateRequest({ method: page.method, path, query: request.query, body: request.body });
            expect(result.errors).toEqual([]);
          });
        }
        if (request.body !== undefined) {
          it(`request ${i + 1} (${request.source}) is a named example in the spec`, () => {
            expect(specExamples.some((ex) => isDeepStrictEqual(ex, request.body))).toBe(true);
          });
        }
      });
      page.responses.forEach((response, i) => {
        for (const path of page.paths) {
          it(`response ${i + 1} (${response.status}) validates for ${page.method} ${path}`, () => {
            const result = validateResponse({
              method: page.method,
              path,
              status: response.status,
              body: response.body,
            });
            expect(result.errors).toEqual([]);
          });
        }
        it(`response ${i + 1} is a named example in the spec`, () => {
          expect(specExamples.some((ex) => isDeepStrictEqual(ex, response.body))).toBe(true);
        });
      });
    });
  }
});
