/**
 * The documents' rules: totals of lines and documents in the API's number formats, and the
 * state machines (the spec's `x-transitions`, read by model.ts).
 */
import { parseApiDate } from "@ixpress/openapi";
import { model, type TransitionRow } from "./model.js";
import type { DocumentRecord, LineRecord } from "./state.js";

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

/** The row of the type's machine (the spec's `x-transitions`) for `event` from `status`. */
export function transition(type: string, status: string, event: string): TransitionRow | undefined {
  return model()
    .machines.get(type)
    ?.rows.find((t) => t.from === status && t.event === event);
}

/** The events a document of `type` in `status` accepts. */
export function eventsFrom(type: string, status: string): string[] {
  return (model().machines.get(type)?.rows ?? []).filter((t) => t.from === status).map((t) => t.event);
}

/** A date's `yyyymmdd` number (dates compare as numbers); a time after the date (guides' `loaded_at`) is ignored. */
export function dayNumber(date: string | null | undefined): number | undefined {
  return parseApiDate(date?.split(" ", 1)[0])?.dayNumber;
}

/** `dd/mm/yyyy` written the canonical way (`3/12/2017` → `03/12/2017`); other text as it is. */
export function canonicalDate(date: string): string {
  const [day, ...rest] = date.split(" ");
  const parsed = parseApiDate(day);
  return parsed ? [parsed.canonical, ...rest].join(" ") : date;
}
