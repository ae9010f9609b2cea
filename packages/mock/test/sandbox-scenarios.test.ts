// The sandbox through @ixpress/client, as a user's integration test would drive it: the life of
// an invoice, a credit note against it, an estimate accepted then refused, a guide, a canceled
// receipt. Every answer is checked against the spec's response schema on the way.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { poll } from "../../client/src/index.js";
import { type RunningMock, startMock } from "../src/index.js";
import { type Checked, checked, documentBody, raw, sandboxClient, unwrap } from "./sandbox-helpers.js";

let mock: RunningMock;
let check: Checked;
let ix: ReturnType<typeof sandboxClient>;

beforeAll(async () => {
  mock = await startMock({ stateful: true, polls: 2 });
});
afterAll(() => mock?.stop());
beforeEach(() => {
  mock.sandbox!.reset();
  check = checked();
  ix = sandboxClient(mock, check);
});
afterEach(() => {
  expect(check.invalid).toEqual([]);
  expect(mock.failures).toEqual([]);
});

const path = (id: number) => ({ params: { path: { "document-id": id } } });

describe("the life of an invoice", () => {
  it("creates a draft with two lines and taxes, finalizes it, reads its number, gets its PDF, is paid in two parts", async () => {
    const created = unwrap(
      await ix.POST("/invoices.json", {
        body: {
          invoice: {
            date: "01/12/2026",
            due_date: "31/12/2026",
            reference: "PO-17",
            client: { name: "Acme Lda", code: "ACME", country: "Portugal" },
            items: [
              { name: "Consulting", description: "Hours", unit_price: "50", quantity: "2", tax: { name: "IVA23" } },
              {
                name: "Manual",
                description: "Printed",
                unit_price: 10,
                quantity: 3,
                discount: 10,
                tax: { name: "IVA6" },
              },
            ],
          },
        },
      }),
    ).invoice;
    expect(created.status).toBe("draft");
    expect(created.sequence_number).toBe("rascunho");
    expect(created.atcud).toBeUndefined();
    // 100 at 23 % and 30 less 10 % at 6 %.
    expect(
      created.items?.map((l) => [l.unit_price, l.quantity, l.subtotal, l.discount_amount, l.tax_amount, l.total]),
    ).toEqual([
      ["50.0", "2.0", 100, 0, 23, 123],
      ["10.0", "3.0", 30, 3, 1.62, 28.62],
    ]);
    expect([created.sum, created.discount, created.before_taxes, created.taxes, created.total]).toEqual([
      130, 3, 127, 24.62, 151.62,
    ]);

    // The client and the items were created on the fly.
    const client = unwrap(
      await ix.GET("/clients/find-by-code.json", { params: { query: { client_code: "ACME" } } }),
    ).client;
    expect(client.name).toBe("Acme Lda");
    expect(created.client?.id).toBe(Number(client.id));
    const items = unwrap(await ix.GET("/items.json")).items;
    expect(items.map((i) => i.name).sort()).toEqual(["Consulting", "Manual"]);

    const series = unwrap(await ix.GET("/sequences.json")).sequences.find((s) => s.default_sequence === 1)!;
    const final = unwrap(
      await ix.PUT("/invoices/{document-id}/change-state.json", {
        ...path(created.id),
        body: { invoice: { state: "finalized" } },
      }),
    ).invoice!;
    expect(final.status).toBe("final");
    expect(final.sequence_number).toBe(`1/${series.serie}`);
    expect(final.inverted_sequence_number).toBe(`${series.serie}/1`);
    expect(final.atcud).toBe(`${series.current_invoice_validation_code}-1`);

    const read = unwrap(await ix.GET("/invoices/{document-id}.json", path(created.id))).invoice;
    expect(read).toEqual(final);
    const after = unwrap(
      await ix.GET("/sequences/{sequence-id}.json", { params: { path: { "sequence-id": series.id } } }),
    );
    expect(after.sequence?.current_invoice_number).toBe(1);

    // The PDF answers 202 twice (polls: 2), then gives a URL the sandbox serves.
    let attempts = 0;
    const pdf = unwrap(
      await poll(
        () => {
          attempts++;
          return ix.GET("/api/pdf/{document-id}.json", path(created.id));
        },
        { intervalMs: 0 },
      ),
    );
    expect(attempts).toBe(3);
    const file = await fetch(pdf.output.pdfUrl!);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 8).toString("latin1")).toBe("%PDF-1.4");
    expect(bytes.toString("latin1")).toContain(`1/${series.serie}`);
    expect(bytes.toString("latin1").trimEnd().endsWith("%%EOF")).toBe(true);

    // Paid in two parts: the first leaves it final, the second settles it.
    const first = unwrap(
      await ix.POST("/documents/{document-id}/partial_payments.json", {
        ...path(created.id),
        body: { partial_payment: { amount: 100, payment_mechanism: "TB", note: "first half" } },
      }),
    ).receipt;
    expect(first.type).toBe("Receipt");
    expect(first.status).toBe("final");
    expect(first.total).toBe(100);
    expect(first.sequence_number).toBe(`1/${series.serie}`);
    expect(unwrap(await ix.GET("/invoices/{document-id}.json", path(created.id))).invoice.status).toBe("final");

    // More than what is still owed is refused.
    const tooMuch = await ix.POST("/documents/{document-id}/partial_payments.json", {
      ...path(created.id),
      body: { partial_payment: { amount: 60 } },
    });
    expect(tooMuch.response.status).toBe(422);

    unwrap(
      await ix.POST("/documents/{document-id}/partial_payments.json", {
        ...path(created.id),
        body: { partial_payment: { amount: 51.62, payment_mechanism: "MB" } },
      }),
    );
    expect(unwrap(await ix.GET("/invoices/{document-id}.json", path(created.id))).invoice.status).toBe("settled");
    const related = unwrap(await ix.GET("/document/{document-id}/related_documents.json", path(created.id))).documents;
    expect(related.map((d) => [d.type, d.total])).toEqual([
      ["Receipt", 100],
      ["Receipt", 51.62],
    ]);

    // Its QR code after polling, a PNG.
    const qr = unwrap(
      await poll(() => ix.GET("/api/qr_codes/{document-id}.json", path(created.id)), { intervalMs: 0 }),
    );
    const png = Buffer.from(await (await fetch(qr.qr_code.url!)).arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it("takes a credit note against the invoice, linked both ways", async () => {
    const inv = unwrap(await ix.POST("/invoices.json", { body: documentBody("invoice") as never })).invoice;
    const draftNote = await ix.POST("/credit_notes.json", {
      body: documentBody("invoice", undefined, { owner_invoice_id: inv.id }) as never,
    });
    // A credit note needs a final invoice.
    expect(draftNote.response.status).toBe(422);
    expect(JSON.stringify(draftNote.error)).toContain("Owner Owner is invalid");

    unwrap(
      await ix.PUT("/invoices/{document-id}/change-state.json", {
        ...path(inv.id),
        body: { invoice: { state: "finalized" } },
      }),
    );
    const note = unwrap(
      await ix.POST("/credit_notes.json", {
        body: documentBody("invoice", undefined, { owner_invoice_id: inv.id }) as never,
      }),
    );
    const credit = note.credit_note!;
    expect(credit.type).toBe("CreditNote");
    const final = unwrap(
      await ix.PUT("/credit_notes/{document-id}/change-state.json", {
        ...path(credit.id),
        body: { invoice: { state: "finalized" } },
      }),
    ).credit_note!;
    expect(final.sequence_number).toMatch(/^1\/\d{4}$/);
    const related = unwrap(await ix.GET("/document/{document-id}/related_documents.json", path(inv.id))).documents;
    expect(related.map((d) => d.id)).toEqual([credit.id]);
    const back = unwrap(await ix.GET("/document/{document-id}/related_documents.json", path(credit.id))).documents;
    expect(back.map((d) => d.id)).toEqual([inv.id]);
    // Its own list, and the family list filtered by type.
    expect(unwrap(await ix.GET("/credit_notes.json")).credit_notes.map((d) => d.id)).toEqual([credit.id]);
    const listed = unwrap(await ix.GET("/invoices.json", { params: { query: { "type[]": ["CreditNote"] } } })).invoices;
    expect(listed.map((d) => d.id)).toEqual([credit.id]);
  });
});

describe("an estimate", () => {
  it("is finalized, accepted, then refused; a refused one cannot be finalized again", async () => {
    const quote = unwrap(await ix.POST("/quotes.json", { body: documentBody("quote") as never })).quote;
    const change = (state: string) =>
      ix.PUT("/quotes/{document-id}/change-state.json", { ...path(quote.id), body: { quote: { state } } as never });
    expect(unwrap(await change("finalized")).quote.status).toBe("final");
    expect(unwrap(await change("accept")).quote.status).toBe("accepted");
    expect(unwrap(await change("refused")).quote.status).toBe("refused");
    const again = await change("finalized");
    expect(again.response.status).toBe(422);
    expect(again.error).toEqual({
      errors: { error: expect.stringContaining('a refused Quote cannot take "finalized"') },
    });
    const list = unwrap(await ix.GET("/estimates.json", { params: { query: { "status[]": ["refused"] } } })).estimates;
    expect(list.map((d) => [d.id, d.status])).toEqual([[quote.id, "refused"]]);
  });

  it("a proforma answers under its own key and can only be updated while a draft", async () => {
    const p = unwrap(await ix.POST("/proformas.json", { body: documentBody("quote") as never })).proforma!;
    const updated = unwrap(
      await ix.PUT("/proformas/{document-id}.json", {
        ...path(p.id),
        body: documentBody("quote", [{ name: "Other", description: "x", unit_price: "10", quantity: "1" }]) as never,
      }),
    ).proforma!;
    // The update replaced the lines.
    expect(updated.items?.map((l) => l.name)).toEqual(["Other"]);
    expect(updated.total).toBe(12.3);
    unwrap(
      await ix.PUT("/proformas/{document-id}/change-state.json", {
        ...path(p.id),
        body: { quote: { state: "finalized" } },
      }),
    );
    const late = await ix.PUT("/proformas/{document-id}.json", { ...path(p.id), body: documentBody("quote") as never });
    expect(late.response.status).toBe(422);
    expect(JSON.stringify(late.error)).toContain("only drafts can be updated");
  });
});

describe("a guide", () => {
  it("is created with its addresses, finalized, listed by load date, canceled with a reason", async () => {
    const g = unwrap(await ix.POST("/shippings.json", { body: documentBody("shipping") as never })).shipping;
    expect(g.address_to?.city).toBe("Porto");
    expect(g.loaded_at).toBe("15/12/2026 10:00:00");
    const change = (body: Record<string, unknown>) =>
      ix.PUT("/shippings/{document-id}/change-state.json", { ...path(g.id), body: { shipping: body } as never });
    const final = unwrap(await change({ state: "finalized" })).shipping;
    expect(final.sequence_number).toMatch(/^1\/\d{4}$/);
    expect(final.atcud).toMatch(/^AA[0-9A-Z]{6}-1$/);
    const byLoad = (from: string, to: string) =>
      ix.GET("/guides.json", { params: { query: { "loaded_at[from]": from, "loaded_at[to]": to } } });
    expect(unwrap(await byLoad("14/12/2026", "16/12/2026")).guides.map((x) => x.id)).toEqual([g.id]);
    expect(unwrap(await byLoad("16/12/2026", "31/12/2026")).guides).toEqual([]);
    const canceled = unwrap(await change({ state: "canceled", message: "Wrong truck" })).shipping;
    expect(canceled.status).toBe("canceled");
    // A transport is numbered in its own counter.
    const t = unwrap(await ix.POST("/transports.json", { body: documentBody("shipping") as never })).transport!;
    const tf = unwrap(
      await ix.PUT("/transports/{document-id}/change-state.json", {
        ...path(t.id),
        body: { shipping: { state: "finalized" } },
      }),
    ).transport!;
    expect(tf.sequence_number).toMatch(/^1\/\d{4}$/);
  });
});

describe("a receipt", () => {
  it("is canceled with a reason, and the invoice it settled is unsettled again", async () => {
    const inv = unwrap(await ix.POST("/invoices.json", { body: documentBody("invoice") as never })).invoice;
    unwrap(
      await ix.PUT("/invoices/{document-id}/change-state.json", {
        ...path(inv.id),
        body: { invoice: { state: "finalized" } },
      }),
    );
    const receipt = unwrap(
      await ix.POST("/documents/{document-id}/partial_payments.json", {
        ...path(inv.id),
        body: { partial_payment: { amount: 123 } },
      }),
    ).receipt;
    expect(unwrap(await ix.GET("/invoices/{document-id}.json", path(inv.id))).invoice.status).toBe("settled");
    const rid = { params: { path: { "receipt-id": receipt.id } } };
    const canceled = unwrap(
      await ix.PUT("/receipts/{receipt-id}/change-state.json", {
        ...rid,
        body: { receipt: { state: "canceled", message: "Bounced" } },
      }),
    ).receipt;
    expect(canceled.status).toBe("canceled");
    expect(unwrap(await ix.GET("/receipts/{receipt-id}.json", rid)).receipt.status).toBe("canceled");
    expect(unwrap(await ix.GET("/invoices/{document-id}.json", path(inv.id))).invoice.status).toBe("final");
    const twice = await ix.PUT("/receipts/{receipt-id}/change-state.json", {
      ...rid,
      body: { receipt: { state: "canceled", message: "again" } },
    });
    expect(twice.response.status).toBe(422);
    // It can be paid again.
    unwrap(
      await ix.POST("/documents/{document-id}/partial_payments.json", {
        ...path(inv.id),
        body: { partial_payment: { amount: 123 } },
      }),
    );
    expect(unwrap(await ix.GET("/receipts.json")).receipts.map((r) => r.status)).toEqual(["final", "canceled"]);
  });
});

describe("the documents' rules", () => {
  it("a 0 % line needs an exemption reason", async () => {
    const lines = [{ name: "Book", description: "A book", unit_price: "20", quantity: "1", tax: { name: "IVA0" } }];
    const refused = await ix.POST("/invoices.json", { body: documentBody("invoice", lines) as never });
    expect(refused.response.status).toBe(422);
    expect(refused.error).toEqual({ errors: { error: expect.stringContaining("Tax exemption reason is required") } });
    // Nothing was created by the refused request.
    expect(unwrap(await ix.GET("/clients.json")).clients).toEqual([]);
    const ok = unwrap(
      await ix.POST("/invoices.json", { body: documentBody("invoice", lines, { tax_exemption: "M07" }) as never }),
    );
    expect(ok.invoice.tax_exemption).toBe("M07");
    expect(ok.invoice.taxes).toBe(0);
    expect(ok.invoice.total).toBe(20);
  });

  it("a global discount, an unknown tax name on create (the default tax) and on update (no tax)", async () => {
    const lines = [{ name: "Thing", description: "x", unit_price: "100", quantity: "1", tax: { name: "NOPE" } }];
    const d = unwrap(
      await ix.POST("/invoices.json", {
        body: documentBody("invoice", lines, { global_discount: { value_type: "percentage", value: 10 } }) as never,
      }),
    ).invoice;
    expect(d.items?.[0]?.tax?.name).toBe("IVA23");
    expect([d.sum, d.discount, d.before_taxes, d.taxes, d.total]).toEqual([100, 10, 90, 20.7, 110.7]);
    const upd = await ix.PUT("/invoices/{document-id}.json", {
      ...path(d.id),
      body: { invoice: { items: lines, tax_exemption: "M07" } } as never,
    });
    expect(unwrap(upd).invoice?.items?.[0]?.tax).toBeNull();
  });

  it("an existing item is overwritten by a document line of the same name", async () => {
    const item = unwrap(
      await ix.POST("/items.json", {
        body: { item: { name: "Widget", description: "Old", unit_price: 5, unit: "unit" } },
      }),
    ).item;
    unwrap(
      await ix.POST("/invoices.json", {
        body: documentBody("invoice", [
          {
            name: "Widget",
            description: "New",
            unit_price: "7.5",
            quantity: "4",
            unit: "hour",
            tax: { name: "IVA13" },
          },
        ]) as never,
      }),
    );
    const read = unwrap(await ix.GET("/items/{item-id}.json", { params: { path: { "item-id": item.id } } })).item;
    expect([read.description, read.unit_price, read.unit, read.tax?.name]).toEqual(["New", 7.5, "hour", "IVA13"]);
    // Renaming an item used on a document is refused.
    const rename = await ix.PUT("/items/{item-id}.json", {
      params: { path: { "item-id": item.id } },
      body: { item: { name: "Gadget", description: "New", unit_price: 7.5 } },
    });
    expect(rename.response.status).toBe(422);
  });

  it("a repeated proprietary_uid is refused with 409 and the API's reason", async () => {
    const body = { ...documentBody("invoice"), proprietary_uid: "order-1001" };
    unwrap(await ix.POST("/invoices.json", { body: body as never }));
    const again = await ix.POST("/invoices.json", { body: body as never });
    expect(again.response.status).toBe(409);
    expect(again.error).toEqual({ reason: "There's an ongoing document creation with the provided UID order-1001" });
    expect(unwrap(await ix.GET("/invoices.json")).invoices).toHaveLength(1);
  });
});

describe("lists", () => {
  it("paginate as the API does and take the documented filters", async () => {
    for (let i = 1; i <= 12; i++) {
      const day = String(i).padStart(2, "0");
      unwrap(
        await ix.POST("/invoices.json", {
          body: documentBody(
            "invoice",
            [{ name: "L", description: "x", unit_price: String(i * 10), quantity: "1", tax: { name: "IVA23" } }],
            { date: `${day}/11/2026`, due_date: `${day}/12/2026`, client: { name: i % 2 ? "Odd Lda" : "Even SA" } },
          ) as never,
        }),
      );
    }
    const first = unwrap(await ix.GET("/invoices.json"));
    expect(first.pagination).toEqual({ total_entries: 12, current_page: 1, total_pages: 2, per_page: 10 });
    const second = unwrap(await ix.GET("/invoices.json", { params: { query: { page: 2, per_page: 10 } } }));
    expect(second.invoices).toHaveLength(2);
    const q = (query: Record<string, unknown>) => ix.GET("/invoices.json", { params: { query: query as never } });
    expect(unwrap(await q({ text: "odd" })).pagination?.total_entries).toBe(6);
    expect(unwrap(await q({ "date[from]": "05/11/2026", "date[to]": "07/11/2026" })).invoices).toHaveLength(3);
    expect(unwrap(await q({ "due_date[from]": "11/12/2026" })).invoices).toHaveLength(2);
    expect(unwrap(await q({ "total_before_taxes[from]": "100" })).invoices).toHaveLength(3);
    expect(unwrap(await q({ "status[]": ["sent"] })).invoices).toHaveLength(0);
    expect(unwrap(await q({ "status[]": ["draft"], archived: true })).invoices).toHaveLength(0);
    expect(unwrap(await q({ "status[]": ["draft"], non_archived: true })).invoices).toHaveLength(10);
    const clients = unwrap(await ix.GET("/clients.json", { params: { query: { per_page: 1 } } }));
    expect(clients.pagination).toEqual({ total_entries: 2, current_page: 1, total_pages: 2, per_page: 1 });
    expect(
      unwrap(await ix.GET("/clients/find-by-name.json", { params: { query: { client_name: "Odd Lda" } } })).client.name,
    ).toBe("Odd Lda");
    const missing = await ix.GET("/clients/find-by-name.json", { params: { query: { client_name: "Odd" } } });
    expect(missing.response.status).toBe(404);
    const even = unwrap(
      await ix.GET("/clients/find-by-name.json", { params: { query: { client_name: "Even SA" } } }),
    ).client;
    const theirs = unwrap(
      await ix.POST("/clients/{client-id}/invoices.json", {
        params: { path: { "client-id": Number(even.id) } },
        body: { filter: { status: ["draft"], by_type: ["Invoice"] } },
      }),
    );
    expect(theirs.invoices).toHaveLength(6);
  });
});

describe("control", () => {
  it("dumps, seeds and resets the account, over HTTP and on the handle", async () => {
    unwrap(await ix.POST("/clients.json", { body: { client: { name: "Kept", code: "K" } } }));
    const dump = await raw(mock, check, "GET", "/__sandbox/state");
    expect(dump.status).toBe(200);
    expect(dump.headers.get("x-ixpress-sandbox")).toBe("control");
    expect(dump.body.clients.map((c: { name: string }) => c.name)).toEqual(["Kept"]);
    expect(mock.sandbox!.dump()).toEqual(dump.body);

    const reset = await raw(mock, check, "POST", "/__sandbox/reset");
    expect(reset.status).toBe(200);
    expect(unwrap(await ix.GET("/clients.json")).clients).toEqual([]);

    const seeded = await raw(mock, check, "PUT", "/__sandbox/state", dump.body);
    expect(seeded.status).toBe(200);
    expect(unwrap(await ix.GET("/clients.json")).clients.map((c) => c.name)).toEqual(["Kept"]);

    const bad = await raw(mock, check, "PUT", "/__sandbox/state", { clients: [{ code: "no name" }], documents: "x" });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.error).toContain("clients[0].name: is required");
    expect(bad.body.errors.error).toContain("documents: must be a list");

    mock.sandbox!.seed({ clients: [{ name: "From a seed" }], taxes: [{ name: "IVA21", value: 21, default_tax: 1 }] });
    expect(unwrap(await ix.GET("/taxes.json")).taxes.map((t) => t.name)).toEqual(["IVA21"]);
    expect(() => mock.sandbox!.seed({ taxez: [] })).toThrow(/taxez: is not a section/);
  });

  it("answers what it does not model from the examples, and says so", async () => {
    const balance = await raw(mock, check, "GET", "/api/v3/clients/1/balance.json");
    expect(balance.status).toBe(200);
    expect(balance.headers.get("x-ixpress-sandbox")).toBe("stateless-fallback");
    const modelled = await raw(mock, check, "GET", "/clients.json");
    expect(modelled.headers.get("x-ixpress-sandbox")).toBe("stateful");
  });

  it("still refuses what the spec refuses, before the sandbox sees it", async () => {
    const bad = await raw(mock, check, "POST", "/invoices.json", {
      invoice: { date: "2026-12-01", due_date: "31/12/2026", client: { name: "X" }, items: [] },
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("x-ixpress-sandbox")).toBeNull();
    expect(mock.sandbox!.dump().documents).toEqual([]);
  });
});
