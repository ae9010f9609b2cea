// Responses as they arrive, at run time: what a creation answers goes back into the next call
// unchanged. Against the mock's stateful sandbox (127.0.0.1, a free port, stopped after).
import { type RunningMock, startMock } from "@ixpress/mock";
import { validateResponse } from "@ixpress/openapi/validate";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createClient, type InvoiceXpressClient, ROOT_ALIASES, unwrap } from "../src/index.js";

let mock: RunningMock;
let ix: InvoiceXpressClient;
const paths: string[] = [];
/** The bodies as they came over the wire, before the client's aliasing. */
const wire: unknown[] = [];

beforeAll(async () => {
  mock = await startMock({ stateful: true });
  ix = createClient({
    baseUrl: mock.url,
    apiKey: "responses-test-key",
    retry: false,
    fetch: (input, init) => {
      paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fetch(input, init).then(async (response) => {
        const text = await response.clone().text();
        wire.push(text ? JSON.parse(text) : undefined);
        return response;
      });
    },
  });
});
afterAll(() => mock?.stop());

describe("a created client's id goes into the next call unchanged", () => {
  it("takes the string of digits the client endpoints answer, as it is", async () => {
    const { client } = unwrap(await ix.POST("/clients.json", { body: { client: { name: "Ana Lopes", code: "AL1" } } }));
    // The client endpoints answer the id as a string of digits (as the live API does).
    expect(client.id).toMatch(/^[1-9][0-9]*$/);
    paths.length = 0;
    const read = await ix.GET("/clients/{client-id}.json", { params: { path: { "client-id": client.id } } });
    expect(read.response.status).toBe(200);
    expect(paths).toEqual([`/clients/${client.id}.json`]);
    expect(unwrap(read).client).toMatchObject({ id: client.id, name: "Ana Lopes", code: "AL1" });
    const answer = validateResponse({
      method: "GET",
      path: `/clients/${client.id}.json`,
      status: 200,
      body: read.data,
    });
    expect(answer.errors).toEqual([]);
  });

  it("writes a numeric id and its string the same way in the URL", async () => {
    const { client } = unwrap(await ix.POST("/clients.json", { body: { client: { name: "Rui Matos", code: "RM1" } } }));
    paths.length = 0;
    const asNumber = unwrap(
      await ix.GET("/clients/{client-id}.json", { params: { path: { "client-id": Number(client.id) } } }),
    );
    const asString = unwrap(
      await ix.GET("/clients/{client-id}.json", { params: { path: { "client-id": String(client.id) } } }),
    );
    expect(paths).toEqual([`/clients/${client.id}.json`, `/clients/${client.id}.json`]);
    expect(asNumber).toEqual(asString);
  });

  it("refuses an id that is not digits, before the sandbox sees it", async () => {
    const { error, response } = await ix.GET("/clients/{client-id}.json", { params: { path: { "client-id": "abc" } } });
    expect(response.status).toBe(422);
    expect(JSON.stringify(error)).toMatch(/client-id/);
  });
});

const receiptBody = {
  invoice: {
    date: "01/12/2026",
    due_date: "31/12/2026",
    client: { name: "Acme Lda", code: "ACME" },
    items: [{ name: "Consulting", unit_price: "50", quantity: "2", tax: { name: "IVA23" } }],
  },
};

describe("a document answered under one root is under both", () => {
  it("copies the type key the sandbox answers to the family key, on create, read and change of state", async () => {
    wire.length = 0;
    const created = unwrap(await ix.POST("/invoice_receipts.json", { body: receiptBody }));
    // On the wire: the type's key only.
    expect(Object.keys(wire[0] as object)).toEqual(["invoice_receipt"]);
    // From the client: both, the same object, and the creation's total.
    expect(Object.keys(created).sort()).toEqual(["invoice", "invoice_receipt"]);
    expect(created.invoice).toBe(created.invoice_receipt);
    expect(created.invoice_receipt).toMatchObject({ type: "InvoiceReceipt", status: "draft" });
    expect(Number(created.invoice_receipt.total)).toBeCloseTo(123, 2);

    const id = created.invoice_receipt.id;
    const read = unwrap(
      await ix.GET("/invoice_receipts/{document-id}.json", { params: { path: { "document-id": id } } }),
    );
    expect(read.invoice).toBe(read.invoice_receipt);
    expect(read.invoice.id).toBe(id);
    const final = unwrap(
      await ix.PUT("/invoice_receipts/{document-id}/change-state.json", {
        params: { path: { "document-id": id } },
        body: { invoice: { state: "finalized" } },
      }),
    );
    // An invoice-receipt is paid when it is issued: finalizing settles it.
    expect(final.invoice_receipt.status).toBe("settled");
    expect(final.invoice).toBe(final.invoice_receipt);
  });

  it("leaves operations with one root as they arrive", async () => {
    wire.length = 0;
    const list = unwrap(await ix.GET("/invoice_receipts.json"));
    expect(list).toEqual(wire[0]);
    const invoice = unwrap(await ix.POST("/invoices.json", { body: receiptBody }));
    expect(Object.keys(invoice)).toEqual(["invoice"]);
  });

  it("copies the family key the official examples show to the type key", async () => {
    const stateless = createClient({ baseUrl: inject("ixpressMockUrl"), apiKey: "responses-test-key", retry: false });
    const { data, response } = await stateless.POST("/credit_notes.json", {
      body: receiptBody,
      headers: { Prefer: "example=familyKey" },
    });
    expect(response.status).toBe(201);
    expect(data?.credit_note).toBeDefined();
    expect(data?.credit_note).toBe(data?.invoice);
    expect(data?.credit_note.id).toBeGreaterThan(0);
  });

  it("knows every document type answered under two keys, and only those", () => {
    const keys = new Set(
      Object.values(ROOT_ALIASES).flatMap((byPath) => Object.values(byPath).map((k) => k.join("/"))),
    );
    expect([...keys].sort()).toEqual([
      "credit_note/invoice",
      "debit_note/invoice",
      "devolution/shipping",
      "fees_note/quote",
      "invoice_receipt/invoice",
      "proforma/quote",
      "simplified_invoice/invoice",
      "transport/shipping",
    ]);
    expect(ROOT_ALIASES.POST?.["/credit_notes.json"]).toEqual(["credit_note", "invoice"]);
    expect(ROOT_ALIASES.GET?.["/credit_notes.json"]).toBeUndefined();
    expect(ROOT_ALIASES.POST?.["/invoices.json"]).toBeUndefined();
  });
});
