// The invoice family, receipts and the shared document services, beyond what the generic
// contract suite checks: asynchronous 202 answers, the response root keys per type, the
// request root keys the server also accepts, the exact query strings of the list filters,
// and requests the mock must refuse.
import { validateRequest, validateResponse } from "@ixpress/openapi/validate";
import { describe, expect, inject, it } from "vitest";
import { createClient } from "../src/index.js";
import { recorder } from "./recorder.js";

const baseUrl = inject("ixpressMockUrl");
const ix = createClient({ baseUrl, apiKey: "invoices-test-key" });
const id = { "document-id": 2137287 };

const line = { name: "Consulting hours", description: "Software consulting", unit_price: 50, quantity: "2" };
const draft = {
  date: "15/01/2024",
  due_date: "14/02/2024",
  client: { name: "Client Name", code: "A1" },
  items: [line],
};

describe("asynchronous document services answer 202, then 200", () => {
  it("PDF: 202 with an empty body while generating", async () => {
    const { response, data } = await ix.GET("/api/pdf/{document-id}.json", {
      params: { path: id, query: { second_copy: false } },
      headers: { Prefer: "code=202" },
    });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("");
    expect(data).toBeUndefined();
    expect(validateResponse({ method: "GET", path: "/api/pdf/2137287.json", status: 202 }).errors).toEqual([]);
  });

  it("PDF: 200 with output.pdfUrl once ready", async () => {
    const { response, data } = await ix.GET("/api/pdf/{document-id}.json", { params: { path: id } });
    expect(response.status).toBe(200);
    expect(data?.output.pdfUrl).toMatch(/^https:\/\/.+\.pdf/);
  });

  it("PDF: a draft may be refused with 406 or 422, both documented", async () => {
    for (const code of [406, 422]) {
      const { response } = await ix.GET("/api/pdf/{document-id}.json", {
        params: { path: id },
        headers: { Prefer: `code=${code}` },
      });
      expect(response.status).toBe(code);
    }
  });

  it("QR code: 202 with qr_code.status while producing", async () => {
    const { response, data } = await ix.GET("/api/qr_codes/{document-id}.json", {
      params: { path: id },
      headers: { Prefer: "code=202" },
    });
    expect(response.status).toBe(202);
    expect(data).toEqual({ qr_code: { status: "In progress" } });
  });

  it("QR code: 200 with qr_code.url once ready", async () => {
    const { response, data } = await ix.GET("/api/qr_codes/{document-id}.json", { params: { path: id } });
    expect(response.status).toBe(200);
    expect(data?.qr_code.url).toMatch(/\.png$/);
    expect(data?.qr_code.status).toBeUndefined();
  });

  it("QR code: a draft answers 422 with the endpoint's own error shape", async () => {
    const { response, error } = await ix.GET("/api/qr_codes/{document-id}.json", {
      params: { path: id },
      headers: { Prefer: "code=422" },
    });
    expect(response.status).toBe(422);
    expect(error).toMatchObject({ error: expect.stringContaining("still in draft") });
  });
});

describe("response root keys", () => {
  it("getInvoice has named examples draft and final", async () => {
    const drafted = await ix.GET("/invoices/{document-id}.json", {
      params: { path: id },
      headers: { Prefer: "example=draft" },
    });
    expect(drafted.data?.invoice.status).toBe("draft");
    expect(drafted.data?.invoice.atcud).toBeUndefined();
    const finalized = await ix.GET("/invoices/{document-id}.json", {
      params: { path: id },
      headers: { Prefer: "example=final" },
    });
    expect(finalized.data?.invoice.status).toBe("final");
    expect(finalized.data?.invoice.atcud).toMatch(/-\d+$/);
  });

  const types = [
    ["/invoice_receipts/{document-id}.json", "invoice_receipt", "InvoiceReceipt"],
    ["/simplified_invoices/{document-id}.json", "simplified_invoice", "SimplifiedInvoice"],
    ["/credit_notes/{document-id}.json", "credit_note", "CreditNote"],
    ["/debit_notes/{document-id}.json", "debit_note", "DebitNote"],
  ] as const;
  for (const [path, key, type] of types) {
    it(`${path} answers under ${key} by default, under invoice on request`, async () => {
      // The mock's wire answer: one root key.
      const url = `${baseUrl}${path.replace("{document-id}", String(id["document-id"]))}?api_key=k`;
      const wire = (await (await fetch(url)).json()) as Record<string, { type?: string }>;
      expect(Object.keys(wire)).toEqual([key]);
      expect(wire[key]?.type).toBe(type);
      const wireDocumented = (await (await fetch(url, { headers: { Prefer: "example=familyKey" } })).json()) as object;
      expect(Object.keys(wireDocumented)).toEqual(["invoice"]);
      // What the client hands back: the document under both keys, whichever arrived.
      for (const headers of [{}, { Prefer: "example=familyKey" }]) {
        const { data, response } = await ix.GET(path, { params: { path: id }, headers });
        expect(response.status).toBe(200);
        const roots = data as unknown as Record<string, unknown>;
        expect(Object.keys(roots).sort()).toEqual([key, "invoice"].sort());
        expect(roots[key]).toBe(roots.invoice);
      }
    });
  }

  it("creating a credit note answers under credit_note", async () => {
    const { response, data } = await ix.POST("/credit_notes.json", {
      body: { invoice: { ...draft, owner_invoice_id: 2137287 } },
    });
    expect(response.status).toBe(201);
    expect(data?.credit_note?.type).toBe("CreditNote");
    expect(data?.credit_note?.status).toBe("draft");
  });
});

describe("request root keys", () => {
  it("accepts the type's own key beside the family key (unconfirmed reading)", async () => {
    const created = await ix.POST("/debit_notes.json", {
      body: { debit_note: draft, proprietary_uid: "c0ffee00-1111-4222-8333-944455556666" },
    });
    expect(created.response.status).toBe(201);
    const changed = await ix.PUT("/credit_notes/{document-id}/change-state.json", {
      params: { path: id },
      body: { credit_note: { state: "unsettled" } },
    });
    expect(changed.response.status).toBe(200);
    const updated = await ix.PUT("/invoice_receipts/{document-id}.json", {
      params: { path: id },
      body: { invoice_receipt: draft },
    });
    expect(updated.response.status).toBe(200);
  });

  it("refuses another type's key", async () => {
    const { response } = await ix.PUT("/invoices/{document-id}/change-state.json", {
      params: { path: id },
      // @ts-expect-error invoices take only the `invoice` key
      body: { credit_note: { state: "finalized" } },
    });
    expect(response.status).toBe(422);
  });

  it("refuses both keys at once", async () => {
    const { response } = await ix.PUT("/credit_notes/{document-id}/change-state.json", {
      params: { path: id },
      body: { invoice: { state: "finalized" }, credit_note: { state: "finalized" } } as never,
    });
    expect(response.status).toBe(422);
  });
});

describe("wrong requests are refused with 422", () => {
  it("an estimate event sent to an invoice", async () => {
    const { response } = await ix.PUT("/invoices/{document-id}/change-state.json", {
      params: { path: id },
      // @ts-expect-error `accepted` belongs to estimates
      body: { invoice: { state: "accepted" } },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get("sl-violations")).toContain("state");
  });

  it("canceling without a message, but not with one", async () => {
    const bare = await ix.PUT("/simplified_invoices/{document-id}/change-state.json", {
      params: { path: id },
      body: { invoice: { state: "canceled" } },
    });
    expect(bare.response.status).toBe(422);
    const withReason = await ix.PUT("/simplified_invoices/{document-id}/change-state.json", {
      params: { path: id },
      body: { invoice: { state: "canceled", message: "Issued to the wrong client." } },
    });
    expect(withReason.response.status).toBe(200);
  });

  it("a receipt takes only the canceled event, with a message", async () => {
    const path = { "receipt-id": 2137368 };
    const finalized = await ix.PUT("/receipts/{receipt-id}/change-state.json", {
      params: { path },
      // @ts-expect-error receipts accept only `canceled`
      body: { receipt: { state: "finalized", message: "x" } },
    });
    expect(finalized.response.status).toBe(422);
    const bare = await ix.PUT("/receipts/{receipt-id}/change-state.json", {
      params: { path },
      // @ts-expect-error message is required
      body: { receipt: { state: "canceled" } },
    });
    expect(bare.response.status).toBe(422);
  });

  it("a payment with an unknown mechanism or without an amount", async () => {
    const unknown = await ix.POST("/documents/{document-id}/partial_payments.json", {
      params: { path: id },
      // @ts-expect-error XX is not a payment mechanism
      body: { partial_payment: { amount: 10, payment_mechanism: "XX" } },
    });
    expect(unknown.response.status).toBe(422);
    const noAmount = await ix.POST("/documents/{document-id}/partial_payments.json", {
      params: { path: id },
      // @ts-expect-error amount is required
      body: { partial_payment: { payment_mechanism: "NU" } },
    });
    expect(noAmount.response.status).toBe(422);
    const ok = await ix.POST("/documents/{document-id}/partial_payments.json", {
      params: { path: id },
      body: { partial_payment: { amount: "61.50", payment_mechanism: "NU" } },
    });
    expect(ok.response.status).toBe(200);
    expect(ok.data?.receipt.type).toBe("Receipt");
  });

  it("a list filter that is not a boolean", async () => {
    const response = await fetch(`${baseUrl}/invoices.json?non_archived=maybe&api_key=k`);
    expect(response.status).toBe(422);
  });

  it("a bracketed filter with an unknown type or a non-date is named by the validators", () => {
    const quote = validateRequest({ method: "GET", path: "/invoices.json?type[]=Invoice&type[]=Quote" });
    expect(quote.errors).toEqual([expect.stringMatching(/^query\.type\[\]\[1\]: must be one of/)]);
    const iso = validateRequest({ method: "GET", path: "/invoices.json?date[from]=2024-01-15" });
    expect(iso.errors).toEqual([expect.stringMatching(/^query\.date\[from\]: /)]);
    expect(
      validateRequest({ method: "GET", path: "/invoices.json?type[]=Invoice&date[from]=15/01/2024" }).errors,
    ).toEqual([]);
  });
});

describe("list filters keep their wire names", () => {
  it("arrays are repeated bracket keys, in the order given", async () => {
    const { client, query } = recorder({ invoices: [] });
    await client.GET("/invoices.json", {
      params: { query: { "type[]": ["Invoice", "CreditNote"], "status[]": ["sent", "settled"] } },
    });
    expect(query()).toBe("?type[]=Invoice&type[]=CreditNote&status[]=sent&status[]=settled&api_key=k");
    expect(new URL(`https://x${query()}`).searchParams.getAll("type[]")).toEqual(["Invoice", "CreditNote"]);
  });

  it("ranges are key[from] and key[to], dates dd/mm/yyyy", async () => {
    const { client, query } = recorder({ invoices: [] });
    await client.GET("/invoices.json", {
      params: {
        query: {
          "date[from]": "01/01/2024",
          "date[to]": "31/01/2024",
          "due_date[to]": "29/02/2024",
          "total_before_taxes[from]": 100.5,
          "total_before_taxes[to]": 2000,
        },
      },
    });
    expect(query()).toBe(
      "?date[from]=01%2F01%2F2024&date[to]=31%2F01%2F2024&due_date[to]=29%2F02%2F2024" +
        "&total_before_taxes[from]=100.5&total_before_taxes[to]=2000&api_key=k",
    );
    const params = new URL(`https://x${query()}`).searchParams;
    expect(params.get("date[from]")).toBe("01/01/2024");
    expect(params.get("total_before_taxes[from]")).toBe("100.5");
  });

  it("booleans are true/false, text and reference are plain strings, paging is numeric", async () => {
    const { client, query } = recorder({ invoices: [] });
    await client.GET("/invoices.json", {
      params: {
        query: {
          text: "Client Name & Co",
          reference: "PO-2024/017",
          non_archived: true,
          archived: false,
          page: 2,
          per_page: 30,
        },
      },
    });
    expect(query()).toBe(
      "?text=Client%20Name%20%26%20Co&reference=PO-2024%2F017&non_archived=true&archived=false&page=2&per_page=30&api_key=k",
    );
  });

  it("the per-type lists and the PDF take their own query parameters", async () => {
    const { client, query, urls } = recorder({ credit_notes: [] });
    await client.GET("/credit_notes.json", { params: { query: { text: "A1", page: 3, per_page: 100 } } });
    expect(query()).toBe("?text=A1&page=3&per_page=100&api_key=k");
    await client.GET("/api/pdf/{document-id}.json", { params: { path: id, query: { second_copy: true } } });
    expect(urls.at(-1)).toBe("https://acme.app.invoicexpress.com/api/pdf/2137287.json?second_copy=true&api_key=k");
  });

  it("the mock accepts every filter at once, as the client encodes them", async () => {
    const { data, response } = await ix.GET("/invoices.json", {
      params: {
        query: {
          text: "Client Name",
          "type[]": ["Invoice", "InvoiceReceipt", "Receipt"],
          "status[]": ["sent", "settled"],
          non_archived: true,
          archived: false,
          reference: "PO-2024-017",
          "date[from]": "1/1/2024",
          "date[to]": "31/01/2024",
          "due_date[from]": "01/01/2024",
          "due_date[to]": "29/02/2024",
          "total_before_taxes[from]": 0,
          "total_before_taxes[to]": 1000,
          page: 1,
          per_page: 10,
        },
      },
    });
    expect(response.status, response.headers.get("sl-violations") ?? "").toBe(200);
    expect(Array.isArray(data?.invoices)).toBe(true);
  });
});
