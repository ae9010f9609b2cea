// The stateful sandbox from the packed @ixpress/mock: a shop's integration test of its invoice
// flow, with no account and no network.
import { createClient, poll, unwrap } from "@ixpress/client";
import { type RunningMock, startMock } from "@ixpress/mock";
import { validateResponse } from "@ixpress/openapi/validate";
import { afterAll, beforeAll, expect, it } from "vitest";

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ stateful: true, polls: 1 });
});
afterAll(() => mock?.stop());

it("creates, finalizes, renders and settles an invoice, and the sandbox remembers it", async () => {
  const ix = createClient({ baseUrl: mock.url, apiKey: "test-key" });
  const created = await ix.POST("/invoices.json", {
    body: {
      invoice: {
        date: "01/12/2026",
        due_date: "31/12/2026",
        client: { name: "Loja Exemplo", code: "LE1" },
        items: [{ name: "Caneca", description: "Cerâmica", unit_price: 8, quantity: 5, tax: { name: "IVA23" } }],
      },
    },
  });
  expect(validateResponse({ method: "POST", path: "/invoices.json", status: 201, body: created.data }).errors).toEqual(
    [],
  );
  const { invoice } = unwrap(created);
  expect(invoice.total).toBe(49.2);
  const doc = { params: { path: { "document-id": invoice.id } } };

  unwrap(
    await ix.PUT("/invoices/{document-id}/change-state.json", { ...doc, body: { invoice: { state: "finalized" } } }),
  );
  const final = unwrap(await ix.GET("/invoices/{document-id}.json", doc)).invoice;
  // The default series is named after the year; the number comes first, as the official "28/A".
  expect(final.sequence_number).toBe(`1/${new Date().getUTCFullYear()}`);

  let calls = 0;
  const pdf = unwrap(
    await poll(
      () => {
        calls++;
        return ix.GET("/api/pdf/{document-id}.json", doc);
      },
      { intervalMs: 0 },
    ),
  );
  expect(calls).toBe(2);
  const file = await fetch(pdf.output.pdfUrl!);
  expect(file.headers.get("content-type")).toBe("application/pdf");

  unwrap(
    await ix.POST("/documents/{document-id}/partial_payments.json", {
      ...doc,
      body: { partial_payment: { amount: 49.2 } },
    }),
  );
  expect(unwrap(await ix.GET("/invoices/{document-id}.json", doc)).invoice.status).toBe("settled");
  expect(mock.sandbox?.dump().documents.map((d) => d.type)).toEqual(["Invoice", "Receipt"]);
  mock.sandbox?.reset();
  expect(unwrap(await ix.GET("/invoices.json")).invoices).toEqual([]);
});
