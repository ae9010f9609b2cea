// Responses as they arrive: what a user reads after a creation needs no `!`, `??` or `Number()`.
//
// Each `@ts-expect-error … (spec: …)` below marks a goal the response schemas do not meet yet,
// with the spec change it needs (the fidelity issue). When the spec is tightened the directive
// becomes unused and this file fails to type-check: delete the directive then, and the line
// stays as the test of the goal.
import { expectTypeOf, test } from "vitest";
import { type components, createClient, unwrap } from "../src/index.js";

const ix = createClient({ accountName: "acme", apiKey: "k" });
type Document = components["schemas"]["Document"];

test("a created client's id goes into { 'client-id': … } unchanged", async () => {
  const { client } = unwrap(await ix.POST("/clients.json", { body: { client: { name: "Ana", code: "A1" } } }));
  void ix.GET("/clients/{client-id}.json", {
    params: { path: { "client-id": client.id } },
  });
});

test("reading the created document needs no `!`", async () => {
  const note = unwrap(await ix.POST("/credit_notes.json", { body: {} as never }));
  // @ts-expect-error pending (spec: CreditNoteResponse.credit_note required)
  expectTypeOf(note.credit_note).toEqualTypeOf<Document>();
  expectTypeOf<Document["id"]>().toEqualTypeOf<number>();

  const receipt = unwrap(await ix.POST("/invoice_receipts.json", { body: {} as never }));
  // @ts-expect-error pending (spec: InvoiceReceiptResponse.invoice_receipt required)
  expectTypeOf(receipt.invoice_receipt).toEqualTypeOf<Document>();
  // @ts-expect-error pending (spec: Document.total required)
  expectTypeOf<Document["total"]>().toEqualTypeOf<number>();
});
