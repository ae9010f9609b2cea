/**
 * Payments and receipts: a partial payment issues a receipt (numbered in its series like any
 * document) and settles the invoice once it is paid in full; canceling a receipt re-opens a
 * settled invoice it no longer pays in full.
 */
import { formatApiDate, Refusal } from "@ixpress/openapi";
import { type Account, refuse } from "./account.js";
import { changeState, finalize } from "./documents.js";
import { model } from "./model.js";
import { docOut, due, type Json, num, paid, str } from "./render.js";
import { canonicalDate, r2, totalsOf } from "./rules.js";
import type { DocumentRecord } from "./state.js";
import { bodyOf, type Handler, idParam } from "./types.js";

/** The types that take payments (invoices, simplified invoices, VAT MOSS invoices). */
const PAYABLE = ["Invoice", "SimplifiedInvoice", "VatMossInvoice"];

function pay(a: Account, id: number, input: Json): DocumentRecord {
  const inv = a.anyDocument(id);
  if (!PAYABLE.includes(inv.type)) {
    throw refuse(422, `A ${inv.type} does not take payments (invoices and simplified invoices do)`);
  }
  if (inv.status !== "final") throw refuse(422, `The document is ${inv.status}: only a final document takes payments`);
  const amount = r2(num(input.amount, Number.NaN));
  if (!(amount > 0)) throw new Refusal(422, ["amount", "is invalid"], { shape: "list" });
  const owed = r2(due(inv) - paid(a, inv));
  if (amount > owed + 0.001) throw refuse(422, `The amount ${amount} is more than what is still owed (${owed})`);
  let s = a.sequenceById(inv.sequence_id) ?? a.defaultSequence();
  if (str(input.serie) !== null) {
    const named = a.state.sequences.find((x) => x.serie === input.serie);
    if (!named) throw new Refusal(422, ["serie", "is invalid"], { shape: "list" });
    s = named;
  }
  const t = totalsOf(inv.lines, inv.global_discount);
  const ratio = t.total > 0 ? amount / t.total : 0;
  const date = canonicalDate(str(input.payment_date) ?? formatApiDate(a.now()));
  const receipt: DocumentRecord = {
    id: 0,
    type: "Receipt",
    status: "final",
    archived: false,
    sequence_id: s.id,
    number: null,
    finalized_order: null,
    date,
    due_date: date,
    reference: inv.reference,
    observations: str(input.note),
    retention: 0,
    tax_exemption: inv.tax_exemption,
    client_id: inv.client_id,
    lines: [],
    global_discount: null,
    owner_id: inv.id,
    cancel_message: null,
    currency_code: inv.currency_code,
    proprietary_uid: null,
    payment: {
      amount,
      payment_mechanism: str(input.payment_mechanism),
      note: str(input.note),
      payment_date: date,
      totals: {
        sum: r2(t.sum * ratio),
        discount: r2(t.discount * ratio),
        before_taxes: r2(t.before_taxes * ratio),
        taxes: r2(t.taxes * ratio),
        total: amount,
      },
    },
  };
  a.addDocument(receipt);
  finalize(a, receipt);
  if (paid(a, inv) >= due(inv) - 0.001) a.setStatus(inv, "settled");
  return receipt;
}

export function paymentHandlers(): Record<string, Handler> {
  const receipt = model().byType.get("Receipt")!;
  return {
    registerPartialPayment: (a, req) => {
      const input = (bodyOf(req).partial_payment ?? {}) as Json;
      return { status: 200, body: { receipt: docOut(a, pay(a, idParam(req, "document-id"), input)) } };
    },
    // The receipt's change-state operation, with what canceling a payment does to the invoice.
    [receipt.ops.change!]: (a, req) => {
      const r = a.document(idParam(req, receipt.idParam), receipt);
      changeState(a, r, (bodyOf(req).receipt ?? {}) as Json);
      const inv = r.owner_id !== null ? a.documentById(r.owner_id) : undefined;
      if (inv && inv.status === "settled" && paid(a, inv) < due(inv) - 0.001) a.setStatus(inv, "final");
      return { status: 200, body: { receipt: docOut(a, r) } };
    },
  };
}
