import { describe, expect, it } from "vitest";
import { malformedRequests, minimalInvoice } from "../src/fixtures.js";
import { listOperations } from "../src/index.js";
import { SpecValidator, validateRequest, validateResponse } from "../src/validate.js";

describe("validateRequest", () => {
  for (const bad of malformedRequests) {
    it(`refuses ${bad.name}, naming ${bad.expectAt}`, () => {
      const result = validateRequest(bad);
      expect(result.valid).toBe(false);
      expect(
        result.issues.some((i) => i.at.startsWith(bad.expectAt)),
        result.errors.join("\n"),
      ).toBe(true);
      if (bad.expectError !== undefined) expect(result.errors).toContain(bad.expectError);
    });
  }

  it("knows the exact line for each of the foundation's variants", () => {
    const withLine = malformedRequests.filter((bad) => bad.expectError !== undefined);
    expect(withLine.length).toBeGreaterThanOrEqual(15);
    for (const bad of withLine) expect(bad.expectError!.startsWith(bad.expectAt), bad.name).toBe(true);
  });

  it("reads bracketed query names: repeated type[] and date[from]", () => {
    const ok = validateRequest({
      method: "GET",
      path: "/invoices.json?type[]=Invoice&type[]=CreditNote&date[from]=01/12/2017&date[to]=31/12/2017",
    });
    expect(ok.errors).toEqual([]);
    const encoded = validateRequest({
      method: "GET",
      path: "/invoices.json?type%5B%5D=Invoice&date%5Bfrom%5D=2017-12-01",
    });
    expect(encoded.errors).toEqual(['query.date[from]: must be a date written dd/mm/yyyy, got "2017-12-01"']);
    const single = validateRequest({ method: "GET", path: "/invoices.json", query: { "type[]": "Bogus" } });
    expect(single.errors[0]).toMatch(/^query\.type\[\]\[0\]: must be one of: Invoice, /);
  });

  it("accepts query objects as openapi-fetch, qs and URLSearchParams give them", () => {
    const nested = validateRequest({
      method: "GET",
      path: "/invoices.json",
      query: { "type[]": ["Invoice", "Receipt"], date: { from: "1/2/2017", to: "28/2/2017" }, page: 2 },
    });
    expect(nested.errors).toEqual([]);
    const params = new URLSearchParams([
      ["type[]", "Invoice"],
      ["type[]", "Nope"],
    ]);
    expect(validateRequest({ method: "GET", path: "/invoices.json", query: params }).errors[0]).toMatch(
      /^query\.type\[\]\[1\]: must be one of/,
    );
  });

  it("accepts a query parameter the operation does not take, as the server ignores it; strict mode names the one meant", () => {
    const typo = { method: "GET", path: "/invoices.json", query: { type: ["Invoice"] } };
    expect(validateRequest(typo).errors).toEqual([]);
    expect(validateRequest(typo, { strict: true }).warnings).toMatchObject([
      {
        at: "query.type",
        message: 'is not a parameter of listInvoices; the server ignores it (did you mean "type[]"?)',
        suggestion: "type[]",
      },
    ]);
    const pages = { method: "GET", path: "/clients.json?pages=2&per_pag=5" };
    expect(validateRequest(pages).valid).toBe(true);
    expect(validateRequest(pages, { strict: true }).warnings).toMatchObject([
      {
        at: "query.pages",
        message: 'is not a parameter of listClients; the server ignores it (did you mean "page"?)',
        suggestion: "page",
      },
      {
        at: "query.per_pag",
        message: 'is not a parameter of listClients; the server ignores it (did you mean "per_page"?)',
        suggestion: "per_page",
      },
    ]);
    const far = { method: "GET", path: "/clients.json?colour=red" };
    expect(validateRequest(far, { strict: true }).warnings?.[0]?.message).toBe(
      "is not a parameter of listClients; the server ignores it (it takes page, per_page)",
    );
    // api_key is the credential, never a finding.
    expect(validateRequest({ method: "GET", path: "/clients.json?api_key=k" }, { strict: true }).warnings).toEqual([]);
  });

  it("reads a blank query value as absent, as Rails does; strict mode reports it", () => {
    const request = { method: "GET", path: "/invoices.json?page=&text=&date[from]=&archived=" };
    expect(validateRequest(request).errors).toEqual([]);
    expect(validateRequest(request, { strict: true }).warnings?.map((w) => [w.at, w.message])).toEqual(
      ["page", "text", "date[from]", "archived"].map((n) => [
        `query.${n}`,
        "is blank; the server treats it as absent (leave it out)",
      ]),
    );
    // A required query parameter still has to carry a value.
    const byCode = validateRequest({ method: "GET", path: "/clients/find-by-code.json?client_code=" });
    expect(byCode.errors).toEqual(["query.client_code: is required, and is blank"]);
  });

  it("reads query flags as true/false or 1/0 (a Rails boolean cast); strict mode gives the documented form", () => {
    for (const [name, path] of [
      ["archived", "/invoices.json"],
      ["non_archived", "/invoices.json"],
      ["second_copy", "/api/pdf/1.json"],
    ] as const) {
      for (const value of ["true", "false", "1", "0"]) {
        const request = { method: "GET", path, query: { [name]: value } };
        expect(validateRequest(request).errors, `${name}=${value}`).toEqual([]);
        const warnings = validateRequest(request, { strict: true }).warnings;
        expect(warnings, `${name}=${value}`).toEqual(
          value === "1" || value === "0"
            ? [
                {
                  at: `query.${name}`,
                  keyword: "flagAsNumber",
                  params: {},
                  message: "is a flag written 1 or 0; the documented form is true or false",
                  suggestion: value === "1" ? "true" : "false",
                },
              ]
            : [],
        );
      }
      for (const value of ["yes", "2", "TRUE1"]) {
        expect(validateRequest({ method: "GET", path, query: { [name]: value } }).errors, `${name}=${value}`).toEqual([
          `query.${name}: must be one of: true, false, 1, 0`,
        ]);
      }
    }
  });

  it("takes a full URL and never echoes its API key", () => {
    const result = validateRequest({
      method: "GET",
      path: "https://acme.app.invoicexpress.com/clients.json?api_key=SECRET-KEY&page=0",
    });
    expect(result.errors).toEqual(["query.page: must be >= 1"]);
    const unknown = validateRequest({
      method: "GET",
      path: "https://acme.app.invoicexpress.com/nothing.json?api_key=SECRET-KEY",
    });
    expect(unknown.errors.join(" ")).not.toContain("SECRET-KEY");
  });

  it("explains an unknown path: wrong method, missing .json, or no such path", () => {
    expect(validateRequest({ method: "DELETE", path: "/clients.json" }).errors).toEqual([
      "path: no operation DELETE /clients.json in the description (/clients.json has GET, POST)",
    ]);
    expect(validateRequest({ method: "GET", path: "/clients" }).errors).toEqual([
      "path: no operation GET /clients in the description (paths end in .json: did you mean /clients.json?)",
    ]);
    expect(validateRequest({ method: "GET", path: "/quotes/%E0%A4%A.json" }).valid).toBe(false);
  });

  it("treats an empty-string body as no body", () => {
    expect(validateRequest({ method: "POST", path: "/clients.json", body: "" }).errors).toEqual(["body: is required"]);
  });

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

  it("accepts an unknown property, as the server ignores it, and strict mode names it with the close key", () => {
    const request = { method: "POST", path: "/clients.json", body: { client: { name: "a", code: "1", nmae: "x" } } };
    const result = validateRequest(request);
    expect(result.valid).toBe(true);
    expect(result.warnings).toBeUndefined();
    const strict = validateRequest(request, { strict: true });
    expect(strict.valid).toBe(true);
    expect(strict.warnings).toMatchObject([
      {
        at: "body.client.nmae",
        message: 'is not a field the API knows; the server ignores it (did you mean "name"?)',
        suggestion: "name",
      },
    ]);
  });

  it("accepts numbers and numeric strings alike, and one-digit days", () => {
    const body = structuredClone(minimalInvoice) as { invoice: Record<string, any> };
    body.invoice.date = "3/1/2017";
    body.invoice.items[0].unit_price = 24.39;
    body.invoice.items[0].quantity = "1.5";
    expect(validateRequest({ method: "POST", path: "/invoices.json", body }).errors).toEqual([]);
  });

  it("resolves a concrete path to its template and checks path parameters", () => {
    const ok = validateRequest({
      method: "PUT",
      path: "/proformas/42.json",
      body: { quote: structuredClone(minimalInvoice.invoice) },
    });
    expect(ok.pathTemplate).toBe("/proformas/{document-id}.json");
    expect(ok.operationId).toBe("updateProforma");
    const bad = validateRequest({
      method: "PUT",
      path: "/proformas/abc.json",
      body: { quote: structuredClone(minimalInvoice.invoice) },
    });
    // Ids are numbers or strings of digits (what the responses give): not words, not 0.
    expect(bad.errors).toEqual(['path.document-id: must match pattern "^[0-9]+$", got "abc"']);
    expect(validateRequest({ method: "GET", path: "/proformas/0.json" }).errors).toEqual([
      "path.document-id: must be >= 1",
    ]);
  });

  it("reads the query from the path too", () => {
    expect(validateRequest({ method: "GET", path: "/clients.json?page=2&per_page=30" }).valid).toBe(true);
    expect(validateRequest({ method: "GET", path: "/clients.json?page=0" }).errors).toContain(
      "query.page: must be >= 1",
    );
  });

  it("requires the API key when asked to", () => {
    expect(validateRequest({ method: "GET", path: "/clients.json", requireApiKey: true }).errors[0]).toMatch(
      /^query\.api_key/,
    );
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
    expect(
      validateRequest({
        method: "PUT",
        path: "/debit_notes/7/change-state.json",
        body: { debit_note: { state: "canceled" } },
      }).errors,
    ).toEqual(['body.debit_note: must have the property "message"']);
    // Without a root key at all, every alternative is reported.
    const neither = validateRequest({
      method: "PUT",
      path: "/debit_notes/7/change-state.json",
      body: { state: "finalized" },
    }).errors;
    expect(neither).toContain('body: must have the property "invoice"');
    expect(neither).toContain('body: must have the property "debit_note"');
  });

  it("refuses a missing required body", () => {
    expect(validateRequest({ method: "POST", path: "/clients.json" }).errors).toContain("body: is required");
  });
});

describe("validateResponse", () => {
  it("accepts an empty body however it is spelt where none is documented", () => {
    for (const body of [undefined, "", null]) {
      expect(
        validateResponse({ method: "PUT", path: "/invoices/1/email-document.json", status: 200, body }).errors,
      ).toEqual([]);
    }
    expect(
      validateResponse({ method: "PUT", path: "/invoices/1/email-document.json", status: 200, body: { ok: true } })
        .errors,
    ).toEqual(["body: must be empty: response 200 documents no body"]);
  });

  it("refuses 204 where the operation documents 200, listing what it documents", () => {
    expect(validateResponse({ method: "PUT", path: "/invoices/1/email-document.json", status: 204 }).errors).toEqual([
      "status: 204 is not a documented response (documented: 200, 401, 404, 422, 429)",
    ]);
  });

  it("says an empty string is an empty body where one is documented", () => {
    expect(validateResponse({ method: "GET", path: "/clients.json", status: 200, body: "" }).errors).toEqual([
      "body: is empty, but response 200 documents a body",
    ]);
  });

  it("answers for an unknown path without throwing", () => {
    expect(validateResponse({ method: "GET", path: "/nothing.json", status: 200, body: {} }).errors).toEqual([
      "path: no operation GET /nothing.json in the description",
    ]);
  });

  it("refuses an undocumented status", () => {
    const result = validateResponse({ method: "POST", path: "/clients.json", status: 418, body: {} });
    expect(result.errors[0]).toMatch(/^status: 418 is not a documented response/);
  });

  it("checks the body against the documented schema", () => {
    const result = validateResponse({
      method: "GET",
      path: "/clients.json",
      status: 200,
      body: { clients: [{ name: 5 }] },
    });
    expect(result.errors).toContain("body.clients[0].name: must be string");
  });

  it("accepts an empty error body and every documented error shape", () => {
    expect(validateResponse({ method: "POST", path: "/clients.json", status: 422 }).valid).toBe(true);
    for (const body of [
      { errors: ["Name can't be blank"] },
      { errors: { error: "x" } },
      { errors: [{ error: "x" }] },
      ["fiscal_id", "is invalid"],
      { name: ["is not available."] },
      { message: "m" },
      { reason: "r" },
    ]) {
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
    const v = new SpecValidator({
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: { "/a/{id}.json": { get: { operationId: "getA", responses: { "200": { description: "ok" } } } } },
    });
    expect(v.validateRequest({ method: "GET", path: "/a/1.json" }).operationId).toBe("getA");
  });
});
