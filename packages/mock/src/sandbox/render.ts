/**
 * The account's records as the API writes them: documents (numbers, ATCUD, totals), clients,
 * items, taxes, series, and pages of lists.
 *
 * Numbering, as the official examples and recorded traffic show: a finalized document's
 * `sequence_number` is `<number>/<series>` and its `inverted_sequence_number` `<series>/<number>`
 * (`"6/G"`, `"G/6"`; `"1/A"`, `"A/1"`): the series is the name the account gave it, with no
 * document code before it. Its `atcud` is `<validation code>-<number>` (`"ABCD1234-28"`) when the
 * series is registered with the tax authority, `"N/D"` when not. Drafts show `"rascunho"`.
 */
import type { Account } from "./account.js";
import { model } from "./model.js";
import { decimalText, r2, totalsOf } from "./rules.js";
import type { ClientRecord, DocumentRecord, ItemRecord, LineTax, SequenceRecord, TaxRecord } from "./state.js";

// biome-ignore lint/suspicious/noExplicitAny: a JSON answer, built field by field
export type Json = Record<string, any>;

/** Reads a number sent as a number or a numeric string. */
export const num = (v: unknown, fallback = 0): number => {
  if (v === undefined || v === null || v === "") return fallback;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : fallback;
};
/** Text, with `null` and `""` read as absent. */
export const str = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v));

export function clientOut(c: ClientRecord): Json {
  const hash = (c.id * 2654435761).toString(16).padStart(8, "0");
  return {
    ...c,
    id: String(c.id),
    preferred_contact: c.preferred_contact ? { ...c.preferred_contact } : null,
    open_account_link: `https://www.app.invoicexpress.com/suppliers/${hash}${hash}`,
  };
}

export function taxOut(t: LineTax | TaxRecord | null | undefined, comment = false): Json | null {
  if (!t) return null;
  return {
    id: t.id,
    name: t.name,
    value: t.value,
    ...(comment ? { comment: `tax value:${decimalText(t.value)}%` } : {}),
  };
}

export function itemOut(a: Account, i: ItemRecord): Json {
  const tax = a.state.taxes.find((t) => t.id === i.tax_id);
  return {
    id: i.id,
    name: i.name,
    description: i.description,
    unit_price: i.unit_price,
    unit: i.unit,
    tax: taxOut(tax, true),
  };
}

export function sequenceOut(s: SequenceRecord): Json {
  const out: Json = { id: s.id, serie: s.serie, default_sequence: s.default_sequence };
  model().sequenceKinds.forEach((k, i) => {
    out[`current_${k}_number`] = s.numbers[k] ?? 0;
    out[`current_${k}_sequence_id`] = s.id * 100 + i;
    out[`current_${k}_validation_code`] = k.startsWith("vat_moss")
      ? "N/A"
      : s.registered
        ? (s.validation_codes[k] ?? "N/A")
        : "N/D";
  });
  return out;
}

/** A document's number in its three forms; purchase orders have no ATCUD. */
export function numberOf(a: Account, d: DocumentRecord): { seq: string; inv: string; atcud?: string } {
  if (d.number === null) return { seq: "rascunho", inv: "rascunho" };
  const kind = a.kindOf(d);
  const s = a.sequenceById(d.sequence_id);
  const serie = s?.serie ?? "";
  const code = s?.registered ? s.validation_codes[kind.kind] : undefined;
  return {
    seq: `${d.number}/${serie}`,
    inv: `${serie}/${d.number}`,
    ...(kind.family === "purchase_orders" ? {} : { atcud: code ? `${code}-${d.number}` : "N/D" }),
  };
}

/** What is owed on an invoice: its total less the withholding on its net amount. */
export function due(d: DocumentRecord): number {
  const t = totalsOf(d.lines, d.global_discount);
  return r2(t.total - (t.before_taxes * d.retention) / 100);
}

export function paid(a: Account, d: DocumentRecord): number {
  let sum = 0;
  for (const x of a.receiptsFor(d)) if (x.status === "final") sum += x.payment?.amount ?? 0;
  return r2(sum);
}

/** Four characters standing for the document's signature excerpt. */
function hashOf(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  for (let i = 0; i < 4; i++) {
    out += abc[h % abc.length];
    h = Math.floor(h / abc.length) + 7919 * (i + 1);
  }
  return out;
}

export function docOut(a: Account, d: DocumentRecord): Json {
  const n = numberOf(a, d);
  const c = a.clientById(d.client_id);
  const t = d.payment ? { ...d.payment.totals, lines: [] } : totalsOf(d.lines, d.global_discount);
  const hex = ((d.id * 2654435761) >>> 0).toString(16).padStart(8, "0");
  const out: Json = {
    id: d.id,
    status: d.status,
    archived: d.archived,
    type: d.type,
    sequence_number: n.seq,
    inverted_sequence_number: n.inv,
    ...(n.atcud !== undefined ? { atcud: n.atcud } : {}),
    sequence_id: String(d.sequence_id),
    tax_exemption: d.tax_exemption ?? "M00",
    date: d.date,
    due_date: d.due_date,
    reference: d.reference,
    observations: d.observations ?? "",
    retention: decimalText(d.retention),
    permalink: `https://www.app.invoicexpress.com/documents/${String(d.id).padStart(8, "0")}${hex}${hex}`,
    ...(d.number !== null ? { saft_hash: hashOf(`${d.type}${d.id}${d.number}${t.total}`) } : {}),
    sum: t.sum,
    discount: t.discount,
    before_taxes: t.before_taxes,
    taxes: t.taxes,
    total: t.total,
    currency: "Euro",
    client: c ? { id: c.id, name: c.name, country: c.country, code: c.code, email: c.email } : null,
  };
  if (!d.payment) {
    out.items = d.lines.map((l, i) => ({
      name: l.name,
      description: l.description,
      unit_price: decimalText(l.unit_price),
      unit: l.unit,
      quantity: decimalText(l.quantity),
      tax: taxOut(l.tax),
      discount: l.discount,
      ...t.lines[i]!,
    }));
  }
  if (d.global_discount) out.global_discount = { ...d.global_discount };
  if (d.guide) {
    out.address_from = d.guide.address_from;
    out.address_to = d.guide.address_to;
    out.at_doc_code_id = d.guide.at_doc_code_id;
    out.license_plate = d.guide.license_plate;
    out.loaded_at = d.guide.loaded_at;
    out.load_site = d.guide.load_site;
    out.delivery_site = d.guide.delivery_site;
  }
  return out;
}

/** The page the query asks for (`page`, `per_page`; 1 and 10 by default). */
export function pageOf(query: URLSearchParams): { page: number; perPage: number } {
  return { page: Math.max(1, num(query.get("page"), 1)), perPage: Math.max(1, num(query.get("per_page"), 10)) };
}

/** A list answer: the page's entries under `key`, and the pagination of `total` entries. */
export function pageBody<T>(slice: T[], total: number, query: URLSearchParams, key: string, render: (x: T) => Json) {
  const { page, perPage } = pageOf(query);
  return {
    [key]: slice.map(render),
    pagination: {
      total_entries: total,
      current_page: page,
      total_pages: Math.ceil(total / perPage),
      per_page: perPage,
    },
  };
}

/** A page of a list held in memory. */
export function page<T>(list: T[], query: URLSearchParams, key: string, render: (x: T) => Json): Json {
  const { page, perPage } = pageOf(query);
  return pageBody(list.slice((page - 1) * perPage, page * perPage), list.length, query, key, render);
}
