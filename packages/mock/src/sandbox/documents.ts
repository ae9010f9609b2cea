/**
 * The documents' rules: totals of lines and documents in the API's number formats, and the
 * state machines of every family (catalogue §3.9).
 */
import type { DocumentRecord, Family, LineRecord } from "./state.js";

/** Rounds money to cents, half away from zero. */
export function r2(n: number): number {
  const v = Math.round((Math.abs(n) + Number.EPSILON) * 100) / 100;
  return n < 0 ? -v : v;
}

/** A decimal as the API writes line prices and quantities: `"50.0"`, `"24.3902"`. */
export function decimalText(n: number): string {
  if (Number.isInteger(n)) return `${n}.0`;
  return String(Number(n.toFixed(6)));
}

export interface LineTotals {
  subtotal: number;
  discount_amount: number;
  tax_amount: number;
  total: number;
}

export interface Totals {
  sum: number;
  discount: number;
  before_taxes: number;
  taxes: number;
  total: number;
  lines: LineTotals[];
}

/**
 * Line: `subtotal = unit_price × quantity`, `discount_amount = subtotal × discount %`, tax on
 * what is left, `total = subtotal − discount_amount + tax_amount`. Document: `sum` = the
 * subtotals, `discount` = the line discounts plus the global discount (a percentage of, or an
 * amount off, the discounted lines), `before_taxes = sum − discount`, `taxes` = each line's
 * rate on its share of `before_taxes`, `total = before_taxes + taxes`. Cents at each step.
 */
export function totalsOf(lines: LineRecord[], globalDiscount: DocumentRecord["global_discount"]): Totals {
  const out: LineTotals[] = [];
  let sum = 0;
  let lineDiscounts = 0;
  let net = 0;
  for (const l of lines) {
    const subtotal = r2(l.unit_price * l.quantity);
    const discount_amount = r2((subtotal * l.discount) / 100);
    const base = subtotal - discount_amount;
    const tax_amount = r2((base * (l.tax?.value ?? 0)) / 100);
    out.push({ subtotal, discount_amount, tax_amount, total: r2(base + tax_amount) });
    sum += subtotal;
    lineDiscounts += discount_amount;
    net += base;
  }
  net = r2(net);
  let global = 0;
  if (globalDiscount && net > 0) {
    global =
      globalDiscount.value_type === "percentage"
        ? r2((net * globalDiscount.value) / 100)
        : Math.min(r2(globalDiscount.value), net);
  }
  const share = net > 0 ? (net - global) / net : 0;
  let taxes = 0;
  lines.forEach((l, i) => {
    const base = out[i]!.subtotal - out[i]!.discount_amount;
    taxes += r2((base * share * (l.tax?.value ?? 0)) / 100);
  });
  const discount = r2(lineDiscounts + global);
  const before_taxes = r2(sum - discount);
  taxes = r2(taxes);
  return { sum: r2(sum), discount, before_taxes, taxes, total: r2(before_taxes + taxes), lines: out };
}

/** One allowed transition: the status it leaves, the event, the status it reaches, the types it applies to. */
export interface Transition {
  from: string;
  event: string;
  to: string;
  /** Types the row applies to; every type of the family when absent. */
  types?: string[];
}

const IR = ["InvoiceReceipt"];
const NOTES = ["CreditNote", "DebitNote"];
const INVOICES = ["Invoice", "SimplifiedInvoice", "CreditNote", "DebitNote", "VatMossInvoice"];

/** Catalogue §3.9, per family. Estimates accept both spellings of accept/refuse. */
export const MACHINES: Record<Family, Transition[]> = {
  invoice: [
    { from: "draft", event: "finalized", to: "final", types: INVOICES },
    { from: "draft", event: "finalized", to: "settled", types: IR },
    { from: "draft", event: "deleted", to: "deleted" },
    { from: "final", event: "canceled", to: "canceled" },
    { from: "settled", event: "canceled", to: "canceled", types: IR },
    { from: "final", event: "settled", to: "settled" },
    { from: "settled", event: "unsettled", to: "final", types: NOTES },
  ],
  estimate: [
    { from: "draft", event: "finalized", to: "final" },
    { from: "draft", event: "deleted", to: "deleted" },
    { from: "final", event: "accept", to: "accepted" },
    { from: "final", event: "refuse", to: "refused" },
    { from: "final", event: "canceled", to: "canceled" },
    { from: "accepted", event: "refuse", to: "refused" },
    { from: "refused", event: "accept", to: "accepted" },
    { from: "accepted", event: "canceled", to: "canceled" },
    { from: "refused", event: "canceled", to: "canceled" },
  ],
  guide: [
    { from: "draft", event: "finalized", to: "final" },
    { from: "draft", event: "deleted", to: "deleted" },
    { from: "final", event: "canceled", to: "canceled" },
  ],
  purchase_order: [
    { from: "draft", event: "finalized", to: "final" },
    { from: "draft", event: "deleted", to: "deleted" },
    { from: "final", event: "second_copy", to: "second_copy" },
    { from: "final", event: "accepted", to: "accepted" },
    { from: "final", event: "refused", to: "refused" },
    { from: "final", event: "canceled", to: "canceled" },
    { from: "second_copy", event: "canceled", to: "canceled" },
    { from: "accepted", event: "refused", to: "refused" },
    { from: "accepted", event: "completed", to: "completed" },
    { from: "refused", event: "canceled", to: "canceled" },
    { from: "refused", event: "accepted", to: "accepted" },
  ],
  receipt: [{ from: "final", event: "canceled", to: "canceled" }],
};

/** Every status a family's documents can be in. */
export const STATUSES: Record<Family, string[]> = {
  invoice: ["draft", "final", "settled", "canceled", "deleted"],
  estimate: ["draft", "final", "accepted", "refused", "canceled", "deleted"],
  guide: ["draft", "final", "canceled", "deleted"],
  purchase_order: ["draft", "final", "second_copy", "accepted", "refused", "completed", "canceled", "deleted"],
  receipt: ["final", "canceled"],
};

/** The event as the machine names it: estimates' `accepted`/`refused` are read as `accept`/`refuse`. */
export function canonicalEvent(family: Family, event: string): string {
  if (family === "estimate") {
    if (event === "accepted") return "accept";
    if (event === "refused") return "refuse";
  }
  return event;
}

/** The transition for a document of `type` in `status` on `event`, if the machine allows it. */
export function transition(family: Family, type: string, status: string, event: string): Transition | undefined {
  const e = canonicalEvent(family, event);
  return MACHINES[family].find((t) => t.from === status && t.event === e && (!t.types || t.types.includes(type)));
}

/** The events a document of `type` in `status` accepts. */
export function eventsFrom(family: Family, type: string, status: string): string[] {
  return MACHINES[family].filter((t) => t.from === status && (!t.types || t.types.includes(type))).map((t) => t.event);
}

/** `dd/mm/yyyy` (one-digit day and month accepted) as a sortable number, `undefined` when not a date. */
export function dayNumber(date: string | null | undefined): number | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(date ?? "");
  if (!m) return undefined;
  return Number(m[3]) * 10_000 + Number(m[2]) * 100 + Number(m[1]);
}

/** Today as the API writes dates. */
export function today(now: Date): string {
  const dd = String(now.getUTCDate()).padStart(2, "0");
  const mm = String(now.getUTCMonth() + 1).padStart(2, "0");
  return `${dd}/${mm}/${now.getUTCFullYear()}`;
}

/** `dd/mm/yyyy` written the canonical way (`3/12/2017` → `03/12/2017`). */
export function canonicalDate(date: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(.*)$/.exec(date);
  return m ? `${m[1]!.padStart(2, "0")}/${m[2]!.padStart(2, "0")}/${m[3]}${m[4]}` : date;
}
