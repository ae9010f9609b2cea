// The sandbox is bounded and reads only what it should: a document limit answered in the API's
// shape (and nothing half-created behind it), seeds checked against the spec's enums (no type
// found on an object's prototype, no unknown key kept), a control body that is not a state
// refused without touching the disk, and numbers in the official forms.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.js";
import { Sandbox } from "../src/sandbox/index.js";
import { type Checked, checked, raw } from "./sandbox-helpers.js";

const request = (operationId: string, body?: unknown, params: Record<string, string> = {}) => ({
  method: "post",
  operationId,
  params,
  query: new URLSearchParams(),
  body,
  origin: "http://127.0.0.1:1",
});

const invoice = (name: string) => ({
  invoice: {
    date: "01/12/2026",
    due_date: "31/12/2026",
    client: { name, code: name },
    items: [{ name: "Line", description: "x", unit_price: "10", quantity: "1" }],
  },
});

const line = { name: "L", description: "x", unit_price: 10, quantity: 1, discount: 0, tax: null };
const doc = (extra: Record<string, unknown>) => ({
  type: "Invoice",
  client_id: 1,
  date: "01/12/2026",
  due_date: "31/12/2026",
  lines: [line],
  tax_exemption: "M07",
  ...extra,
});

describe("the document limit", () => {
  it("refuses the create past maxDocuments with a 422 that says so, and changes nothing", () => {
    const sandbox = new Sandbox({ maxDocuments: 2, polls: 0 });
    expect(sandbox.handle(request("createInvoice", invoice("A")))!.status).toBe(201);
    expect(sandbox.handle(request("createInvoice", invoice("B")))!.status).toBe(201);
    const before = sandbox.dump();
    const refused = sandbox.handle(request("createInvoice", invoice("C")))!;
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({ errors: { error: expect.stringMatching(/at most 2 documents.*maxDocuments/) } });
    // No client, item or id was taken by the refused document.
    expect(sandbox.dump()).toEqual(before);
    sandbox.reset();
    expect(sandbox.handle(request("createInvoice", invoice("C")))!.status).toBe(201);
  });

  it("counts receipts: a payment past the limit is refused and the invoice stays unpaid", () => {
    const sandbox = new Sandbox({ maxDocuments: 1, polls: 0 });
    const id = String((sandbox.handle(request("createInvoice", invoice("A")))!.body as any).invoice.id);
    const fin = sandbox.handle(
      request("changeInvoiceState", { invoice: { state: "finalized" } }, { "document-id": id }),
    );
    expect(fin!.status).toBe(200);
    const pay = sandbox.handle(
      request("registerPartialPayment", { partial_payment: { amount: 1 } }, { "document-id": id }),
    );
    expect(pay!.status).toBe(422);
    expect(sandbox.dump().documents).toHaveLength(1);
    expect(sandbox.dump().sequences[0]!.numbers).toEqual({ invoice: 1 });
  });

  it("bounds clients created on their own too, and refuses a seed larger than the limit", () => {
    const sandbox = new Sandbox({ maxDocuments: 1 });
    expect(sandbox.handle(request("createClient", { client: { name: "One" } }))!.status).toBe(201);
    const refused = sandbox.handle(request("createClient", { client: { name: "Two" } }))!;
    expect(refused.status).toBe(422);
    expect(sandbox.dump().clients).toHaveLength(1);
    expect(() =>
      sandbox.seed({ clients: [{ id: 1, name: "X" }], documents: [doc({ id: 1 }), doc({ id: 2 })] }),
    ).toThrow(/documents: 2 is more than this sandbox holds \(maxDocuments: 1\)/);
  });

  it("takes only a whole number of 1 or more", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new Sandbox({ maxDocuments: bad })).toThrow(RangeError);
  });
});

describe("seeds", () => {
  it("take document types from the spec's enum only, not from an object's prototype", () => {
    const sandbox = new Sandbox();
    for (const type of ["constructor", "__proto__", "toString", "hasOwnProperty", "CashInvoice", "Estimate"]) {
      const seed = JSON.parse(
        JSON.stringify({ clients: [{ id: 1, name: "X" }], documents: [{ ...doc({}), type: "PLACEHOLDER" }] }).replace(
          "PLACEHOLDER",
          type,
        ),
      );
      expect(() => sandbox.seed(seed), type).toThrow(/documents\[0\]\.type: must be one of Invoice, /);
    }
  });

  it("refuse unknown keys at every level, with the closest known one, and unknown statuses", () => {
    const sandbox = new Sandbox();
    const attempt = (seed: object) => {
      try {
        sandbox.seed(seed);
      } catch (err) {
        return (err as Error).message;
      }
      return "accepted";
    };
    expect(attempt({ clients: [{ id: 1, name: "X", emial: "x@example.com" }] })).toMatch(
      /clients\[0\]\.emial: is not a key of this record \(did you mean email\?\)/,
    );
    expect(attempt({ clients: [{ id: 1, name: "X" }], documents: [doc({ totl: 3 })] })).toMatch(
      /documents\[0\]\.totl: is not a key of this record/,
    );
    expect(
      attempt({ clients: [{ id: 1, name: "X" }], documents: [doc({ lines: [{ ...line, quantty: 2 }] })] }),
    ).toMatch(/documents\[0\]\.lines\[0\]\.quantty: is not a key of this record \(did you mean quantity\?\)/);
    expect(attempt({ clients: [{ id: 1, name: "X" }], documents: [doc({ status: "paid" })] })).toMatch(
      /documents\[0\]\.status: must be one of draft, final, /,
    );
    expect(attempt({ next_ids: { documents: 4 } })).toMatch(/next_ids\.documents: .*did you mean document\?/);
    // A key of any length is named by a bounded prefix.
    expect(attempt({ clients: [{ id: 1, name: "X", ["k".repeat(100_000)]: 1 }] }).length).toBeLessThan(1_000);
  });
});

describe("over HTTP", () => {
  let mock: RunningMock;
  let check: Checked;
  beforeAll(async () => {
    mock = await startMock({
      stateful: true,
      maxDocuments: 3,
      state: {
        clients: [{ id: 1, name: "Official forms" }],
        sequences: [
          { id: 1, serie: "A", default_sequence: 1 },
          { id: 2, serie: "G", registered: false },
        ],
      },
    });
    check = checked();
  });
  afterAll(() => mock?.stop());

  it("numbers as the official examples do: 1/A, A/1, <validation code>-1; N/D when the series is not registered", async () => {
    const series = mock.sandbox!.dump().sequences[0]!;
    for (const [sequence, serie] of [
      ["1", "A"],
      ["2", "G"],
    ] as const) {
      const body = invoice(`Client ${serie}`);
      (body.invoice as Record<string, unknown>).sequence_id = sequence;
      const created = await raw(mock, check, "POST", "/invoices.json", body);
      const id = created.body.invoice.id;
      const fin = await raw(mock, check, "PUT", `/invoices/${id}/change-state.json`, {
        invoice: { state: "finalized" },
      });
      expect(fin.status).toBe(200);
      expect(fin.body.invoice.sequence_number).toBe(`1/${serie}`);
      expect(fin.body.invoice.inverted_sequence_number).toBe(`${serie}/1`);
      expect(fin.body.invoice.atcud).toBe(serie === "A" ? `${series.validation_codes.invoice}-1` : "N/D");
    }
    expect(series.validation_codes.invoice).toMatch(/^[A-Z0-9]{8}$/);
    // The limit over HTTP: the third document is the last (for a known client: clients count too).
    expect((await raw(mock, check, "POST", "/invoices.json", invoice("Client A"))).status).toBe(201);
    const past = await raw(mock, check, "POST", "/invoices.json", invoice("Client A"));
    expect(past.status).toBe(422);
    expect(past.body.errors.error).toMatch(/at most 3 documents/);
    expect(check.invalid).toEqual([]);
  });

  it("PUT /__sandbox/state takes a state object: a string (a path) is refused without reading it", async () => {
    for (const body of ['"/etc/passwd"', '"package.json"', "[]", "42"]) {
      const res = await fetch(`${mock.url}/__sandbox/state`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body,
      });
      const text = await res.text();
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
      expect(text).not.toMatch(/root:|ENOENT|EISDIR|@ixpress/);
    }
  });
});
