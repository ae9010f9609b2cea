// Every transition of every state machine (catalogue §3.9), allowed and refused: for each
// document type, each status it can be in and each event its change-state endpoint takes, the
// sandbox either moves the document to the catalogue's status (200) or refuses (422, in the
// documents' error shape, the document unchanged). The expected table is written out here
// from the catalogue, not read from the sandbox's own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.js";
import { type Checked, checked, raw } from "./sandbox-helpers.js";

/** `from --event--> to [types]`, as in the catalogue's tables. */
const ALLOWED = `
invoice: draft --finalized--> final [Invoice SimplifiedInvoice CreditNote DebitNote]
invoice: draft --finalized--> settled [InvoiceReceipt]
invoice: draft --deleted--> deleted
invoice: final --canceled--> canceled
invoice: settled --canceled--> canceled [InvoiceReceipt]
invoice: final --settled--> settled
invoice: settled --unsettled--> final [CreditNote DebitNote]
estimate: draft --finalized--> final
estimate: draft --deleted--> deleted
estimate: final --accept--> accepted
estimate: final --refuse--> refused
estimate: final --canceled--> canceled
estimate: accepted --refuse--> refused
estimate: refused --accept--> accepted
estimate: accepted --canceled--> canceled
estimate: refused --canceled--> canceled
guide: draft --finalized--> final
guide: draft --deleted--> deleted
guide: final --canceled--> canceled
purchase_order: draft --finalized--> final
purchase_order: draft --deleted--> deleted
purchase_order: final --second_copy--> second_copy
purchase_order: final --accepted--> accepted
purchase_order: final --refused--> refused
purchase_order: final --canceled--> canceled
purchase_order: second_copy --canceled--> canceled
purchase_order: accepted --refused--> refused
purchase_order: accepted --completed--> completed
purchase_order: refused --canceled--> canceled
purchase_order: refused --accepted--> accepted
receipt: final --canceled--> canceled
`
  .trim()
  .split("\n")
  .map((line) => {
    const m = /^(\w+): (\w+) --(\w+)--> (\w+)(?: \[(.+)\])?$/.exec(line)!;
    return { family: m[1]!, from: m[2]!, event: m[3]!, to: m[4]!, types: m[5]?.split(" ") };
  });

interface Family {
  key: string;
  types: Array<{ type: string; segment: string }>;
  statuses: string[];
  /** Every event the spec lets the change-state body carry. */
  events: string[];
}

const FAMILIES: Record<string, Family> = {
  invoice: {
    key: "invoice",
    types: [
      { type: "Invoice", segment: "invoices" },
      { type: "InvoiceReceipt", segment: "invoice_receipts" },
      { type: "SimplifiedInvoice", segment: "simplified_invoices" },
      { type: "CreditNote", segment: "credit_notes" },
      { type: "DebitNote", segment: "debit_notes" },
    ],
    statuses: ["draft", "final", "settled", "canceled", "deleted"],
    events: ["finalized", "deleted", "canceled", "settled", "unsettled"],
  },
  estimate: {
    key: "quote",
    types: [
      { type: "Quote", segment: "quotes" },
      { type: "Proforma", segment: "proformas" },
      { type: "FeesNote", segment: "fees_notes" },
    ],
    statuses: ["draft", "final", "accepted", "refused", "canceled", "deleted"],
    events: ["finalized", "deleted", "canceled", "accept", "refuse", "accepted", "refused"],
  },
  guide: {
    key: "shipping",
    types: [
      { type: "Shipping", segment: "shippings" },
      { type: "Transport", segment: "transports" },
      { type: "Devolution", segment: "devolutions" },
    ],
    statuses: ["draft", "final", "canceled", "deleted"],
    events: ["finalized", "deleted", "canceled"],
  },
  purchase_order: {
    key: "purchase_order",
    types: [{ type: "PurchaseOrder", segment: "purchase_orders" }],
    statuses: ["draft", "final", "second_copy", "accepted", "refused", "completed", "canceled", "deleted"],
    events: ["finalized", "deleted", "second_copy", "accepted", "refused", "completed", "canceled"],
  },
  receipt: {
    key: "receipt",
    types: [{ type: "Receipt", segment: "receipts" }],
    statuses: ["final", "canceled"],
    events: ["canceled"],
  },
};

/** Estimates take both spellings: `accepted` is `accept`, `refused` is `refuse`. */
const canonical = (family: string, event: string) =>
  family === "estimate" && event === "accepted"
    ? "accept"
    : family === "estimate" && event === "refused"
      ? "refuse"
      : event;

interface Case {
  family: string;
  type: string;
  segment: string;
  key: string;
  from: string;
  event: string;
  to: string | undefined;
  id: number;
}

const cases: Case[] = [];
let nextId = 10;
for (const [family, f] of Object.entries(FAMILIES)) {
  for (const { type, segment } of f.types) {
    for (const from of f.statuses) {
      for (const event of f.events) {
        const row = ALLOWED.find(
          (r) =>
            r.family === family &&
            r.from === from &&
            r.event === canonical(family, event) &&
            (!r.types || r.types.includes(type)),
        );
        cases.push({ family, type, segment, key: f.key, from, event, to: row?.to, id: nextId++ });
      }
    }
  }
}

const line = {
  name: "L",
  description: "x",
  unit_price: 10,
  quantity: 1,
  unit: null,
  discount: 0,
  tax: { id: 1, name: "IVA23", value: 23 },
};

/** One document per case, in the case's status; receipts pay an invoice seeded beside them. */
function seed() {
  const documents: Record<string, unknown>[] = [
    {
      id: 1,
      type: "Invoice",
      status: "final",
      number: 1,
      finalized_order: 1,
      client_id: 1,
      date: "01/12/2026",
      due_date: "31/12/2026",
      lines: [line],
    },
  ];
  for (const c of cases) {
    const finalized = c.from !== "draft" && c.from !== "deleted";
    documents.push({
      id: c.id,
      type: c.type,
      status: c.from,
      number: finalized ? c.id : null,
      finalized_order: finalized ? c.id : null,
      client_id: 1,
      date: "01/12/2026",
      due_date: "31/12/2026",
      lines: c.type === "Receipt" ? [] : [line],
      ...(c.type === "Receipt"
        ? {
            owner_id: 1,
            payment: {
              amount: 1,
              payment_mechanism: "TB",
              note: null,
              payment_date: "02/12/2026",
              totals: { sum: 0.81, discount: 0, before_taxes: 0.81, taxes: 0.19, total: 1 },
            },
          }
        : {}),
    });
  }
  return { clients: [{ id: 1, name: "Machine Lda" }], documents };
}

let mock: RunningMock;
let check: Checked;
beforeAll(async () => {
  mock = await startMock({ stateful: true, state: seed() });
  check = checked();
});
afterAll(() => mock?.stop());

describe("the state machines", () => {
  it("the table covers every family and both outcomes", () => {
    expect(cases.filter((c) => c.to !== undefined)).toHaveLength(
      // Rows that apply to several types count once per type.
      ALLOWED.reduce((n, r) => {
        const f = FAMILIES[r.family]!;
        const types = f.types.filter((t) => !r.types || r.types.includes(t.type)).length;
        const spellings = f.events.filter((e) => canonical(r.family, e) === r.event).length;
        return n + types * spellings;
      }, 0),
    );
    expect(cases.length).toBeGreaterThan(300);
  });

  it.each(cases)("$type $from --$event--> $to", async (c) => {
    const path =
      c.type === "Receipt" ? `/receipts/${c.id}/change-state.json` : `/${c.segment}/${c.id}/change-state.json`;
    const body = { [c.key]: { state: c.event, ...(c.event === "canceled" ? { message: "Table test" } : {}) } };
    const res = await raw(mock, check, "PUT", path, body);
    const read = c.type === "Receipt" ? `/receipts/${c.id}.json` : `/${c.segment}/${c.id}.json`;
    const after = await raw(mock, check, "GET", read);
    const status = Object.values(after.body as Record<string, { status: string }>)[0]!.status;
    if (c.to === undefined) {
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        errors: { error: expect.stringContaining(`a ${c.from} ${c.type} cannot take "${c.event}"`) },
      });
      expect(status).toBe(c.from);
    } else {
      expect(res.status).toBe(200);
      expect(status).toBe(c.to);
      if (c.family !== "purchase_order")
        expect(Object.values(res.body as Record<string, { status: string }>)[0]!.status).toBe(c.to);
    }
    expect(check.invalid).toEqual([]);
  });

  it("canceling without a reason is refused (422), the invoice left final", async () => {
    mock.sandbox!.seed(seed());
    const draftFinal = cases.find((c) => c.type === "Invoice" && c.from === "final" && c.event === "canceled")!;
    const res = await raw(mock, check, "PUT", `/invoices/${draftFinal.id}/change-state.json`, {
      invoice: { state: "canceled" },
    });
    expect(res.status).toBe(422);
    const after = await raw(mock, check, "GET", `/invoices/${draftFinal.id}.json`);
    expect(after.body.invoice.status).toBe("final");
  });
});
