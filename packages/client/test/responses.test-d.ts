// Responses as they arrive: what a user reads after a creation needs no `!`, `??` or `Number()`.
import { expectTypeOf, test } from "vitest";
import { type components, createClient, unwrap } from "../src/index.js";

const ix = createClient({ accountName: "acme", apiKey: "k" });
type Document = components["schemas"]["Document"];
type CreatedDocument = components["schemas"]["CreatedDocument"];

test("a created client's id goes into { 'client-id': … } unchanged", async () => {
  const { client } = unwrap(await ix.POST("/clients.json", { body: { client: { name: "Ana", code: "A1" } } }));
  void ix.GET("/clients/{client-id}.json", {
    params: { path: { "client-id": client.id } },
  });
});

test("reading the created document needs no `!`", async () => {
  const note = unwrap(await ix.POST("/credit_notes.json", { body: {} as never }));
  // The creation answers a CreatedDocument (Document & its `total`), under both keys.
  expectTypeOf(note.credit_note).branded.toEqualTypeOf<CreatedDocument>();
  expectTypeOf(note.invoice).branded.toEqualTypeOf<CreatedDocument>();
  expectTypeOf(note.credit_note.id).toEqualTypeOf<number>();
  expectTypeOf(note.credit_note.status).toEqualTypeOf<components["schemas"]["DocumentStatus"]>();
  expectTypeOf<Document["id"]>().toEqualTypeOf<number>();

  const receipt = unwrap(await ix.POST("/invoice_receipts.json", { body: {} as never }));
  expectTypeOf(receipt.invoice_receipt).branded.toEqualTypeOf<CreatedDocument>();
  // `total` is there in every creation answer, as a number or a decimal string, never null.
  expectTypeOf(receipt.invoice_receipt.total).toEqualTypeOf<number | string>();
  // Documents that are read, not created, may carry their amounts only in a `summary` block
  // (production fixtures of the wild corpus): there `total` stays optional.
  expectTypeOf<Document["total"]>().toEqualTypeOf<number | string | null | undefined>();
});

test("a read document is under both keys too, whichever the server used", async () => {
  const read = unwrap(await ix.GET("/credit_notes/{document-id}.json", { params: { path: { "document-id": "7" } } }));
  expectTypeOf(read.credit_note).toEqualTypeOf<Document>();
  expectTypeOf(read.invoice).toEqualTypeOf<Document>();
  const changed = unwrap(
    await ix.PUT("/proformas/{document-id}/change-state.json", {
      params: { path: { "document-id": 7 } },
      body: {} as never,
    }),
  );
  expectTypeOf(changed.proforma.status).toEqualTypeOf<components["schemas"]["DocumentStatus"]>();
  expectTypeOf(changed.quote).toEqualTypeOf<Document>();
  // Operations with one root are as generated.
  const invoice = unwrap(await ix.GET("/invoices/{document-id}.json", { params: { path: { "document-id": 7 } } }));
  expectTypeOf(invoice).toEqualTypeOf<components["schemas"]["InvoiceResponse"]>();
  // Other parseAs modes are untouched.
  const text = await ix.GET("/credit_notes/{document-id}.json", {
    params: { path: { "document-id": 7 } },
    parseAs: "text",
  });
  expectTypeOf(text.data).toEqualTypeOf<string | undefined>();
});
