import { describe, expect, it } from "vitest";
import { malformedRequests, minimalInvoice } from "../src/fixtures.js";
import { listOperations } from "../src/index.js";
import { SpecValidator, validateRequest, validateResponse } from "../src/validate.js";

describe("validateRequest", () => {
  for (const bad of malformedRequests) {
    it(`refuses ${bad.name}, naming ${bad.expectAt}`, () => {
      const result = validateRequest(bad);
      expect(result.valid).toBe(false);
      expect(result.issues.some((i) => i.at.startsWith(bad.expectAt)), result.errors.join("\n")).toBe(true);
    });
  }

  it("writes readable messages that name the field", () => {
    const body = structuredClone(minimalInvoice);
    (body.invoice.items[0] as Record<string, unknown>).unit_price = -1;
    const result = validateRequest({ method: "POST", path: "/invoices.json", body });
    expect(result.errors).toContain("body.invoice.items[0].unit_price: must be >= 0");
    expect(result.operationId).toBe("createInvoice");
  });

  it("names a missing required property", () => {
    const result = validateRequest({ method: "POST", path: "/clients.json", body: { client: { code: "1" } } });
    expect(result.errors).toContain('body.client: must have the property "name"');
  });

  it("names an unknown property", () => {
    const result = validateRequest({ method: "POST", path: "/clients.json", body: { client: { name: "a", code: "1", nmae: "x" } } });
    expect(result.errors).toContain('body.client: must not have the property "nmae"');
  });

  it("accepts numbers and numeric strings alike, and one-digit days", () => {
    const body = structuredClone(minimalInvoice) as { invoice: Record<string, any> };
    body.invoice.date = "3/1/2017";
    body.invoice.items[0].unit_price = 24.39;
    body.invoice.items[0].quantity = "1.5";
    expect(validateRequest({ method: "POST", path: "/invoices.json", body }).errors).toEqual([]);
  });

  it("resolves a concrete path to its template and checks path parameters", () => {
    const ok = validateRequest({ method: "PUT", path: "/proformas/42.json", body: { quote: structuredClone(minimalInvoice.invoice) } });
    expect(ok.pathTemplate).toBe("/proformas/{document-id}.json");
    expect(ok.operationId).toBe("updateProforma");
    const bad = validateRequest({ method: "PUT", path: "/proformas/abc.json", body: { quote: structuredClone(minimalInvoice.invoice) } });
    expect(bad.errors).toContain("path.document-id: must be integer");
  });

  it("reads the query from the path too", () => {
    expect(validateRequest({ method: "GET", path: "/clients.json?page=2&per_page=30" }).valid).toBe(true);
    expect(validateRequest({ method: "GET", path: "/clients.json?page=0" }).errors).toContain("query.page: must be >= 1");
  });

  it("requires the API key when asked to", () => {
    expect(validateRequest({ method: "GET", path: "/clients.json", requireApiKey: true }).errors[0]).toMatch(/^query\.api_key/);
    expect(validateRequest({ method: "GET", path: "/clients.json?api_key=k", requireApiKey: true }).valid).toBe(true);
  });

  it("says so when no operation matches", () => {
    const result = validateRequest({ method: "DELETE", path: "/nothing.json" });
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatch(/no operation DELETE \/nothing\.json/);
  });

  it("reports the errors of the alternative the body chose, not the other root key's", () => {
    const body = structuredClone(minimalInvoice);
    (body.invoice.items[0] as Record<string, unknown>).unit_price = -1;
    expect(validateRequest({ method: "POST", path: "/credit_notes.json", body }).errors).toEqual([
      "body.invoice.items[0].unit_price: must be >= 0",
    ]);
    expect(validateRequest({ method: "PUT", path: "/debit_notes/7/change-state.json", body: { debit_note: { state: "canceled" } } }).errors).toEqual([
      'body.debit_note: must have the property "message"',
    ]);
    // Without a root key at all, every alternative is reported.
    const neither = validateRequest({ method: "PUT", path: "/debit_notes/7/change-state.json", body: { state: "finalized" } }).errors;
    expect(neither).toContain('body: must have the property "invoice"');
    expect(neither).toContain('body: must have the property "debit_note"');
  });

  it("refuses a missing required body", () => {
    expect(validateRequest({ method: "POST", path: "/clients.json" }).errors).toContain("body: is required");
  });
});

describe("validateResponse", () => {
  it("refuses an undocumented status", () => {
    const result = validateResponse({ method: "POST", path: "/clients.json", status: 418, body: {} });
    expect(result.errors[0]).toMatch(/^status: 418 is not a documented response/);
  });

  it("checks the body against the documented schema", () => {
    const result = validateResponse({ method: "GET", path: "/clients.json", status: 200, body: { clients: [{ name: 5 }] } });
    expect(result.errors).toContain("body.clients[0].name: must be string");
  });

  it("accepts an empty error body and every documented error shape", () => {
    expect(validateResponse({ method: "POST", path: "/clients.json", status: 422 }).valid).toBe(true);
    for (const body of [{ errors: ["Name can't be blank"] }, { errors: { error: "x" } }, { errors: [{ error: "x" }] }, ["fiscal_id", "is invalid"], { name: ["is not available."] }, { message: "m" }, { reason: "r" }]) {
      expect(validateResponse({ method: "POST", path: "/clients.json", status: 422, body }).errors).toEqual([]);
    }
  });

  it("refuses an empty body where a success body is documented", () => {
    expect(validateResponse({ method: "POST", path: "/clients.json", status: 201 }).errors).toEqual([
      "body: is empty, but response 201 documents a body",
    ]);
  });
});

describe("listOperations", () => {
  it("lists every operation with an operationId", () => {
    const ops = listOperations();
    expect(ops.length).toBeGreaterThan(10);
    for (const op of ops) expect(op.operationId, `${op.method} ${op.path}`).toMatch(/^[a-z]+[A-Z]/);
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
  });

  it("accepts another description", () => {
    const v = new SpecValidator({ openapi: "3.1.0", info: { title: "t", version: "1" }, paths: { "/a/{id}.json": { get: { operationId: "getA", responses: { "200": { description: "ok" } } } } } });
    expect(v.validateRequest({ method: "GET", path: "/a/1.json" }).operationId).toBe("getA");
  });
});
