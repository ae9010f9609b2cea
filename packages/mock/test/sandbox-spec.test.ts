// Every answer the sandbox gives validates against the spec's response schema: each operation
// it models is called here (its success and its documented refusals), every answer checked, and
// the test fails if a modelled operation was never answered by the sandbox itself.
import { listOperations } from "@ixpress/openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODELLED_OPERATIONS, type RunningMock, startMock } from "../src/index.js";
import { model } from "../src/sandbox/model.js";
import { type Checked, checked, documentBody, raw } from "./sandbox-helpers.js";

let mock: RunningMock;
let check: Checked;
beforeAll(async () => {
  mock = await startMock({ stateful: true, polls: 1 });
  check = checked();
});
afterAll(() => mock?.stop());

const call = (method: string, path: string, body?: unknown) => raw(mock, check, method, path, body);

describe("the sandbox's answers against the spec", () => {
  it("models only operations the spec has", () => {
    const ids = new Set(listOperations().map((o) => o.operationId));
    expect(MODELLED_OPERATIONS.filter((op) => !ids.has(op))).toEqual([]);
    expect(new Set(MODELLED_OPERATIONS).size).toBe(MODELLED_OPERATIONS.length);
  });

  it("every document kind: create, read, update, e-mail, finalize, list, PDF, QR code", async () => {
    for (const k of model().kinds) {
      if (k.kind === "receipt" || k.kind === "vat_moss_invoice") continue;
      const created = await call("POST", `/${k.segment}.json`, documentBody(k.familyKey));
      expect(created.status, `create ${k.kind}`).toBe(201);
      const doc = created.body[k.kind];
      expect(doc.type).toBe(k.type);
      expect((await call("GET", `/${k.segment}/${doc.id}.json`)).status).toBe(200);
      expect((await call("GET", `/${k.segment}/999999.json`)).status).toBe(404);
      const updated = await call(
        "PUT",
        `/${k.segment}/${doc.id}.json`,
        documentBody(k.familyKey, [{ name: "Updated line", description: "y", unit_price: "20", quantity: "3" }]),
      );
      expect(updated.status, `update ${k.kind}`).toBe(200);
      const qrDraft = await call("GET", `/api/qr_codes/${doc.id}.json`);
      expect(qrDraft.status).toBe(422);
      const pdf1 = await call("GET", `/api/pdf/${doc.id}.json`);
      expect(pdf1.status).toBe(202);
      expect((await call("GET", `/api/pdf/${doc.id}.json?second_copy=true`)).status).toBe(202);
      expect((await call("GET", `/api/pdf/${doc.id}.json`)).status).toBe(200);
      const fin = await call("PUT", `/${k.segment}/${doc.id}/change-state.json`, {
        [k.familyKey]: { state: "finalized" },
      });
      expect(fin.status, `finalize ${k.kind}`).toBe(200);
      const refused = await call("PUT", `/${k.segment}/${doc.id}/change-state.json`, {
        [k.familyKey]: { state: "finalized" },
      });
      expect(refused.status).toBe(422);
      const late = await call("PUT", `/${k.segment}/${doc.id}.json`, documentBody(k.familyKey));
      expect(late.status).toBe(422);
      const mail = await call("PUT", `/${k.segment}/${doc.id}/email-document.json`, {
        message: { client: { email: "ana@example.com", save: "0" }, subject: "Your document", body: "Attached." },
      });
      expect(mail.status).toBe(200);
      if (k.family === "invoices" || k.family === "guides") {
        expect((await call("GET", `/api/qr_codes/${doc.id}.json`)).status).toBe(202);
        expect((await call("GET", `/api/qr_codes/${doc.id}.json`)).status).toBe(200);
      }
      if (k.family === "invoices" && k.kind !== "invoice") {
        const list = await call("GET", `/${k.segment}.json`);
        expect(list.body[`${k.kind}s`].map((d: { id: number }) => d.id)).toContain(doc.id);
      }
    }
    // One e-mail per kind sent above (12 in today's spec).
    expect(mock.sandbox!.dump().outbox).toHaveLength(
      model().kinds.filter((k) => k.kind !== "receipt" && k.kind !== "vat_moss_invoice").length,
    );
    for (const list of [
      "/invoices.json",
      "/estimates.json",
      "/guides.json",
      "/purchase_orders.json",
      "/vat_moss_invoices.json",
    ]) {
      expect((await call("GET", `${list}?page=1&per_page=2`)).status).toBe(200);
    }
    expect((await call("GET", "/api/qr_codes/999999.json")).status).toBe(404);
    expect((await call("GET", "/api/pdf/999999.json")).status).toBe(404);
  });

  it("payments, receipts, related documents, SAF-T", async () => {
    const inv = (await call("POST", "/invoices.json", documentBody("invoice"))).body.invoice;
    expect(
      (await call("POST", `/documents/${inv.id}/partial_payments.json`, { partial_payment: { amount: 10 } })).status,
    ).toBe(422);
    await call("PUT", `/invoices/${inv.id}/change-state.json`, { invoice: { state: "finalized" } });
    const paid = await call("POST", `/documents/${inv.id}/partial_payments.json`, {
      partial_payment: { amount: 23, payment_mechanism: "CC", note: "deposit", payment_date: "02/12/2026" },
    });
    expect(paid.status).toBe(200);
    const rid = paid.body.receipt.id;
    expect((await call("GET", `/receipts/${rid}.json`)).status).toBe(200);
    expect((await call("GET", "/receipts/999999.json")).status).toBe(404);
    expect((await call("GET", "/receipts.json")).status).toBe(200);
    expect((await call("GET", `/document/${inv.id}/related_documents.json`)).body.documents).toHaveLength(1);
    expect((await call("GET", "/document/999999/related_documents.json")).status).toBe(404);
    expect(
      (await call("PUT", `/receipts/${rid}/change-state.json`, { receipt: { state: "canceled", message: "x" } }))
        .status,
    ).toBe(200);
    expect(
      (await call("PUT", `/receipts/${rid}/change-state.json`, { receipt: { state: "canceled", message: "x" } }))
        .status,
    ).toBe(422);
    const [, mm, yyyy] = inv.date.split("/");
    const saft = `/api/export_saft.json?month=${Number(mm)}&year=${yyyy}`;
    expect((await call("GET", saft)).status).toBe(202);
    const ready = await call("GET", saft);
    expect(ready.status).toBe(200);
    const xml = await (await fetch(ready.body.Url)).text();
    expect(xml).toContain("<AuditFile");
    expect(xml).toContain("<InvoiceType>FT</InvoiceType>");
    expect((await call("GET", "/api/export_saft.json?month=1&year=2001")).status).toBe(422);
  });

  it("clients, items, taxes and series", async () => {
    const c = await call("POST", "/clients.json", { client: { name: "Spec Lda", code: "SPEC", email: "a@b.pt" } });
    expect(c.status).toBe(201);
    expect((await call("POST", "/clients.json", { client: { name: "Spec Lda", code: "X" } })).status).toBe(422);
    const cid = c.body.client.id;
    expect((await call("GET", `/clients/${cid}.json`)).status).toBe(200);
    expect((await call("GET", "/clients/999999.json")).status).toBe(404);
    expect((await call("PUT", `/clients/${cid}.json`, { client: { name: "Spec SA", code: "SPEC" } })).status).toBe(200);
    expect((await call("GET", "/clients/find-by-name.json?client_name=Spec%20SA")).status).toBe(200);
    expect((await call("GET", "/clients/find-by-code.json?client_code=SPEC")).status).toBe(200);
    expect((await call("GET", "/clients/find-by-code.json?client_code=NOPE")).status).toBe(404);
    expect((await call("POST", `/clients/${cid}/invoices.json`, { filter: { status: ["final"] } })).status).toBe(200);
    expect((await call("POST", "/clients/999999/invoices.json")).status).toBe(404);
    expect((await call("GET", "/clients.json?page=1&per_page=5")).status).toBe(200);
    const acme = (await call("GET", "/clients/find-by-code.json?client_code=ACME")).body.client.id;
    expect((await call("DELETE", `/clients/${acme}.json`)).status).toBe(422);
    expect((await call("DELETE", `/clients/${cid}.json`)).status).toBe(200);

    const item = await call("POST", "/items.json", {
      item: { name: "Spec item", description: "d", unit_price: "9.99", unit: "unit", tax: { name: "IVA6" } },
    });
    expect(item.status).toBe(201);
    expect(
      (await call("POST", "/items.json", { item: { name: "Spec item", description: "d", unit_price: 1 } })).status,
    ).toBe(422);
    const iid = item.body.item.id;
    expect((await call("GET", `/items/${iid}.json`)).body.item.tax.comment).toBe("tax value:6.0%");
    expect((await call("GET", "/items/999999.json")).status).toBe(404);
    expect(
      (await call("PUT", `/items/${iid}.json`, { item: { name: "Spec item", description: "e", unit_price: 2 } }))
        .status,
    ).toBe(200);
    expect((await call("GET", "/items.json")).status).toBe(200);
    expect((await call("DELETE", `/items/${iid}.json`)).status).toBe(200);

    const tax = await call("POST", "/taxes.json", {
      tax: { name: "IVA22", value: "22.0", region: "PT-MA", code: "NOR" },
    });
    expect(tax.status).toBe(201);
    expect((await call("POST", "/taxes.json", { tax: { name: "IVA22", value: "22.0", region: "PT" } })).status).toBe(
      422,
    );
    const tid = tax.body.tax.id;
    expect((await call("GET", `/taxes/${tid}.json`)).body.tax.value).toBe(22);
    expect((await call("GET", "/taxes/999999.json")).status).toBe(404);
    expect(
      (await call("PUT", `/taxes/${tid}.json`, { tax: { name: "IVA22", value: "22.0", region: "PT-MA" } })).status,
    ).toBe(200);
    expect((await call("GET", "/taxes.json")).body.taxes.map((t: { name: string }) => t.name)).toEqual([
      "IVA23",
      "IVA13",
      "IVA6",
      "IVA0",
      "IVA22",
    ]);
    expect((await call("DELETE", `/taxes/${tid}.json`)).status).toBe(200);

    const seq = await call("POST", "/sequences.json", { sequence: { serie: "B", default_sequence: "0" } });
    expect(seq.status).toBe(201);
    expect((await call("POST", "/sequences.json", { sequence: { serie: "B" } })).status).toBe(422);
    const sid = seq.body.sequence.id;
    expect((await call("GET", `/sequences/${sid}.json`)).status).toBe(200);
    expect((await call("GET", "/sequences/999999.json")).status).toBe(404);
    expect((await call("PUT", `/sequences/${sid}/set_current.json`)).status).toBe(200);
    expect((await call("PUT", `/sequences/${sid}/register.json`)).status).toBe(409);
    const list = await call("GET", "/sequences.json");
    expect(
      list.body.sequences.map((s: { serie: string; default_sequence: number }) => [s.serie, s.default_sequence]),
    ).toEqual([
      [expect.any(String), 0],
      ["B", 1],
    ]);
    // A series created unregistered (from a seed) registers once.
    const dump = mock.sandbox!.dump();
    dump.sequences.push({
      id: 77,
      serie: "U",
      default_sequence: 0,
      numbers: {},
      validation_codes: {},
      registered: false,
    });
    mock.sandbox!.seed(dump);
    expect((await call("GET", "/sequences/77.json")).body.sequence.current_invoice_validation_code).toBe("N/D");
    expect((await call("PUT", "/sequences/77/register.json")).status).toBe(200);
    expect((await call("GET", "/sequences/77.json")).body.sequence.current_invoice_validation_code).toMatch(/^AA/);
  });

  it("answered every modelled operation itself, and every answer validated", () => {
    expect(check.invalid).toEqual([]);
    expect(MODELLED_OPERATIONS.filter((op) => !check.covered.has(op))).toEqual([]);
    expect(mock.failures).toEqual([]);
  });
});
