import { describe, expect, it } from "vitest";
import { minimalInvoice } from "../src/fixtures.js";
import { strictFindings, validateRequest } from "../src/validate.js";

/** The official minimal invoice with its amounts written as JSON numbers, the canonical form. */
const invoice = (edit: (doc: Record<string, any>) => void = () => {}) => {
  const body = structuredClone(minimalInvoice) as { invoice: Record<string, any> };
  body.invoice.items[0].unit_price = 100;
  body.invoice.items[0].quantity = 5;
  edit(body.invoice);
  return { method: "POST", path: "/invoices.json", body };
};

describe("strict mode", () => {
  it("finds nothing in a canonical invoice, and the official example's string amounts", () => {
    expect(strictFindings(invoice())).toEqual([]);
    expect(strictFindings({ method: "POST", path: "/invoices.json", body: minimalInvoice })).toMatchObject([
      {
        at: "body.invoice.items[0].unit_price",
        message: "is a number written as a string; the server converts it",
        suggestion: "100",
      },
      {
        at: "body.invoice.items[0].quantity",
        message: "is a number written as a string; the server converts it",
        suggestion: "5",
      },
    ]);
  });

  it("names unknown keys at any depth, with a suggestion only when a known key is close", () => {
    const found = strictFindings(
      invoice((d) => {
        d.due_dat = "03/12/2017";
        d.client.fiscalid = "503504564";
        d.items[0].unitprice = "1";
        d.colour = "blue";
      }),
    );
    expect(found.map((f) => [f.at, f.suggestion])).toEqual([
      ["body.invoice.client.fiscalid", "fiscal_id"],
      ["body.invoice.items[0].unitprice", "unit_price"],
      ["body.invoice.due_dat", "due_date"],
      ["body.invoice.colour", undefined],
    ]);
    expect(found[3]!.message).toBe("is not a field the API knows; the server ignores it");
  });

  it("reports non-canonical forms: d/m/yyyy, booleans for 1/0 flags, blank optional fields", () => {
    const found = strictFindings(
      invoice((d) => {
        d.date = "3/1/2017";
        d.mb_reference = true;
        d.observations = "";
        d.reference = null;
      }),
    );
    expect(found).toMatchObject([
      {
        at: "body.invoice.date",
        message: "is a d/m/yyyy date; the canonical form is dd/mm/yyyy",
        suggestion: "03/01/2017",
      },
      { at: "body.invoice.mb_reference", message: "is a boolean; the API writes this flag 1 or 0", suggestion: "1" },
      { at: "body.invoice.observations", message: "is blank; the server treats it as absent (leave it out)" },
      { at: "body.invoice.reference", message: "is blank; the server treats it as absent (leave it out)" },
    ]);
  });

  it("reports a number written as a string where the schema's canonical type is a number", () => {
    const found = strictFindings({
      method: "POST",
      path: "/sequences.json",
      body: { sequence: { serie: "2027", default_sequence: "1" } },
    });
    expect(found).toEqual([]);
    const tax = strictFindings({
      method: "POST",
      path: "/documents/7/partial_payments.json",
      body: { partial_payment: { payment_mechanism: "MB", amount: "12.50", payment_date: "01/12/2026" } },
    });
    expect(tax).toMatchObject([
      {
        at: "body.partial_payment.amount",
        message: "is a number written as a string; the server converts it",
        suggestion: "12.5",
      },
    ]);
  });

  it("never makes a request invalid, and leaves errors as they are", () => {
    const request = invoice((d) => {
      d.colour = "blue";
      d.items[0].unit_price = "cem euros";
    });
    const plain = validateRequest(request);
    const strict = validateRequest(request, { strict: true });
    expect(strict.valid).toBe(false);
    expect(strict.errors).toEqual(plain.errors);
    expect(strict.warnings?.map((w) => w.at)).toContain("body.invoice.colour");
    const ok = validateRequest(
      invoice((d) => (d.colour = "blue")),
      { strict: true },
    );
    expect(ok.valid).toBe(true);
    expect(ok.warnings).toHaveLength(1);
  });
});
