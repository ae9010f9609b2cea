/**
 * The sandbox's account: plain JSON records, so that a dump can be written to a file and read
 * back as a seed. Everything the sandbox knows is here; nothing is kept elsewhere.
 */

/** The document kinds, by the singular name the API uses for their response root (`credit_note`). */
export type Kind =
  | "invoice"
  | "invoice_receipt"
  | "simplified_invoice"
  | "credit_note"
  | "debit_note"
  | "vat_moss_invoice"
  | "receipt"
  | "quote"
  | "proforma"
  | "fees_note"
  | "shipping"
  | "transport"
  | "devolution"
  | "purchase_order";

export type Family = "invoice" | "receipt" | "estimate" | "guide" | "purchase_order";

export interface KindInfo {
  kind: Kind;
  /** The `type` field of responses. */
  type: string;
  family: Family;
  /** URL segment (`credit_notes`). */
  segment: string;
  /** The request root key the docs use for this family (`invoice`, `quote`, `shipping`, …). */
  familyKey: string;
  /** Printed before the series name in the document number (`FT` in `12/FT2026`). */
  prefix: string;
  /** Whether the series keeps a `current_<kind>_…` counter for it in responses. */
  sequenceCounter: boolean;
}

const info = (
  kind: Kind,
  type: string,
  family: Family,
  segment: string,
  familyKey: string,
  prefix: string,
  sequenceCounter = true,
): KindInfo => ({ kind, type, family, segment, familyKey, prefix, sequenceCounter });

export const KINDS: Record<Kind, KindInfo> = {
  invoice: info("invoice", "Invoice", "invoice", "invoices", "invoice", "FT"),
  invoice_receipt: info("invoice_receipt", "InvoiceReceipt", "invoice", "invoice_receipts", "invoice", "FR"),
  simplified_invoice: info(
    "simplified_invoice",
    "SimplifiedInvoice",
    "invoice",
    "simplified_invoices",
    "invoice",
    "FS",
  ),
  credit_note: info("credit_note", "CreditNote", "invoice", "credit_notes", "invoice", "NC"),
  debit_note: info("debit_note", "DebitNote", "invoice", "debit_notes", "invoice", "ND"),
  vat_moss_invoice: info("vat_moss_invoice", "VatMossInvoice", "invoice", "vat_moss_invoices", "invoice", "FTM"),
  receipt: info("receipt", "Receipt", "receipt", "receipts", "receipt", "RC"),
  quote: info("quote", "Quote", "estimate", "quotes", "quote", "OR"),
  proforma: info("proforma", "Proforma", "estimate", "proformas", "quote", "PF"),
  fees_note: info("fees_note", "FeesNote", "estimate", "fees_notes", "quote", "NH"),
  shipping: info("shipping", "Shipping", "guide", "shippings", "shipping", "GR"),
  transport: info("transport", "Transport", "guide", "transports", "shipping", "GT"),
  devolution: info("devolution", "Devolution", "guide", "devolutions", "shipping", "GD"),
  purchase_order: info(
    "purchase_order",
    "PurchaseOrder",
    "purchase_order",
    "purchase_orders",
    "purchase_order",
    "EC",
    false,
  ),
};

export const KIND_BY_SEGMENT: Record<string, KindInfo> = Object.fromEntries(
  Object.values(KINDS).map((k) => [k.segment, k]),
);
export const KIND_BY_TYPE: Record<string, KindInfo> = Object.fromEntries(Object.values(KINDS).map((k) => [k.type, k]));

/** The counters a series shows in responses, in the order the API lists them. */
export const SEQUENCE_KINDS = [
  "invoice",
  "invoice_receipt",
  "simplified_invoice",
  "credit_note",
  "debit_note",
  "receipt",
  "shipping",
  "transport",
  "devolution",
  "proforma",
  "quote",
  "fees_note",
  "vat_moss_invoice",
  "vat_moss_credit_note",
  "vat_moss_receipt",
] as const;

export interface ClientRecord {
  id: number;
  name: string;
  code: string | null;
  email: string | null;
  language: string | null;
  address: string | null;
  city: string | null;
  postal_code: string | null;
  country: string | null;
  fiscal_id: string | null;
  website: string | null;
  phone: string | null;
  fax: string | null;
  preferred_contact: { name: string | null; email: string | null; phone: string | null } | null;
  observations: string | null;
  send_options: string;
  payment_days: string;
  tax_exemption_code: string;
}

export interface TaxRecord {
  id: number;
  name: string;
  value: number;
  region: string;
  code: string;
  default_tax: 0 | 1;
}

export interface ItemRecord {
  id: number;
  name: string;
  description: string | null;
  unit_price: number;
  unit: string | null;
  /** The item's tax, by id in the tax table; `null` for none. */
  tax_id: number | null;
}

export interface SequenceRecord {
  id: number;
  serie: string;
  default_sequence: 0 | 1;
  /** Last number used, per document kind (purchase orders included, although not shown). */
  numbers: Partial<Record<string, number>>;
  /** AT validation code per kind, `N/D` when unregistered; absent kinds get `N/A`. */
  validation_codes: Partial<Record<string, string>>;
  registered: boolean;
}

export interface LineTax {
  id: number;
  name: string;
  value: number;
}

export interface LineRecord {
  name: string;
  description: string | null;
  unit_price: number;
  quantity: number;
  unit: string | null;
  /** Percentage, 0 to 100. */
  discount: number;
  tax: LineTax | null;
}

export interface Address {
  detail: string | null;
  city: string | null;
  postal_code: string | null;
  country: string | null;
}

export interface DocumentRecord {
  id: number;
  type: string;
  status: string;
  archived: boolean;
  sequence_id: number;
  /** The legal number in its series, from finalization on; `null` while a draft. */
  number: number | null;
  /** Order of finalization across the account (1, 2, …); `null` while a draft. */
  finalized_order: number | null;
  date: string;
  due_date: string;
  reference: string | null;
  observations: string | null;
  /** Withholding percentage. */
  retention: number;
  tax_exemption: string | null;
  client_id: number;
  lines: LineRecord[];
  global_discount: { value_type: "percentage" | "absolute"; value: number } | null;
  /** Credit/debit notes: the corrected document; receipts: the paid document. */
  owner_id: number | null;
  /** Reason given when canceled. */
  cancel_message: string | null;
  currency_code: string | null;
  proprietary_uid: string | null;
  /** Receipts: the payment. Totals are stored, as they are a share of the paid document. */
  payment?: {
    amount: number;
    payment_mechanism: string | null;
    note: string | null;
    payment_date: string;
    totals: { sum: number; discount: number; before_taxes: number; taxes: number; total: number };
  };
  /** Guides. */
  guide?: {
    loaded_at: string | null;
    license_plate: string | null;
    address_from: Address | null;
    address_to: Address | null;
    load_site: string | null;
    delivery_site: string | null;
    at_doc_code_id: string | null;
  };
}

export interface EmailRecord {
  document_id: number;
  to: string;
  cc: string | null;
  bcc: string | null;
  subject: string | null;
  body: string | null;
}

export interface SandboxState {
  /** Format version of this file. */
  version: 1;
  clients: ClientRecord[];
  items: ItemRecord[];
  taxes: TaxRecord[];
  sequences: SequenceRecord[];
  documents: DocumentRecord[];
  /** `proprietary_uid`s of every document created, so a repeat is refused. */
  proprietary_uids: string[];
  /** What the e-mail endpoints "sent". */
  outbox: EmailRecord[];
  /** Next ids to hand out. */
  next_ids: { document: number; client: number; item: number; tax: number; sequence: number };
  /** How many finalizations happened (the last `finalized_order`). */
  finalizations: number;
}

/** A validation code as the tax authority issues them: eight capitals and digits, stable per series and kind. */
export function validationCode(sequenceId: number, kindIndex: number): string {
  const n = (sequenceId * 37 + kindIndex * 7919 + 104729) % 36 ** 6;
  return `AA${n.toString(36).toUpperCase().padStart(6, "0")}`;
}

export function registeredCodes(sequenceId: number): Record<string, string> {
  const codes: Record<string, string> = {};
  [...SEQUENCE_KINDS, "purchase_order"].forEach((k, i) => {
    if (k.startsWith("vat_moss")) return;
    codes[k] = validationCode(sequenceId, i);
  });
  return codes;
}

/** A new Portuguese account: the usual tax table (IVA23 the default), one registered series named after the year. */
export function defaultState(now = new Date()): SandboxState {
  const sequenceId = 1;
  return {
    version: 1,
    clients: [],
    items: [],
    taxes: [
      { id: 1, name: "IVA23", value: 23, region: "PT", code: "NOR", default_tax: 1 },
      { id: 2, name: "IVA13", value: 13, region: "PT", code: "INT", default_tax: 0 },
      { id: 3, name: "IVA6", value: 6, region: "PT", code: "RED", default_tax: 0 },
      { id: 4, name: "IVA0", value: 0, region: "PT", code: "ISE", default_tax: 0 },
    ],
    sequences: [
      {
        id: sequenceId,
        serie: String(now.getUTCFullYear()),
        default_sequence: 1,
        numbers: {},
        validation_codes: registeredCodes(sequenceId),
        registered: true,
      },
    ],
    documents: [],
    proprietary_uids: [],
    outbox: [],
    next_ids: { document: 1, client: 1, item: 1, tax: 5, sequence: 2 },
    finalizations: 0,
  };
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/**
 * Reads a seed: a dump of an earlier run, or a hand-written account with only some sections
 * (`clients`, `items`, `taxes`, `sequences`, `documents`). Sections left out keep the defaults
 * of a new account; ids left out are given; the next ids follow the largest given. Throws an
 * error naming every problem found.
 */
export function stateFromSeed(seed: unknown, now = new Date()): SandboxState {
  const problems: string[] = [];
  if (!isObj(seed)) throw new TypeError('sandbox seed: must be a JSON object such as {"clients":[…]}');
  const known = [
    "version",
    "clients",
    "items",
    "taxes",
    "sequences",
    "documents",
    "proprietary_uids",
    "outbox",
    "next_ids",
    "finalizations",
  ];
  for (const key of Object.keys(seed))
    if (!known.includes(key)) problems.push(`${key}: is not a section of a sandbox state (known: ${known.join(", ")})`);
  if (seed.version !== undefined && seed.version !== 1)
    problems.push(`version: must be 1, got ${JSON.stringify(seed.version)}`);
  const base = defaultState(now);
  const section = <T>(name: keyof SandboxState, fallback: T[]): Json[] | T[] => {
    const v = seed[name];
    if (v === undefined) return fallback;
    if (!Array.isArray(v)) {
      problems.push(`${name}: must be a list`);
      return fallback;
    }
    v.forEach((entry, i) => {
      if (!isObj(entry)) problems.push(`${name}[${i}]: must be an object`);
    });
    return v.filter(isObj);
  };
  const ids = (name: string, list: Json[], start: number) => {
    const seen = new Set<number>();
    let next = start;
    for (const e of list) if (isInt(e.id)) next = Math.max(next, e.id + 1);
    list.forEach((e, i) => {
      if (e.id === undefined) e.id = next++;
      else if (!isInt(e.id))
        problems.push(`${name}[${i}].id: must be a positive whole number, got ${JSON.stringify(e.id)}`);
      if (seen.has(e.id as number)) problems.push(`${name}[${i}].id: ${String(e.id)} is used twice`);
      seen.add(e.id as number);
    });
    return next;
  };
  const text = (name: string, e: Json, key: string, required = false): void => {
    const v = e[key];
    if (v === undefined || v === null) {
      if (required) problems.push(`${name}.${key}: is required`);
      else e[key] = null;
      return;
    }
    if (typeof v !== "string") problems.push(`${name}.${key}: must be text, got ${JSON.stringify(v)}`);
  };
  const num = (name: string, e: Json, key: string, fallback?: number): void => {
    const v = e[key];
    if (v === undefined && fallback !== undefined) {
      e[key] = fallback;
      return;
    }
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    if (typeof n !== "number" || !Number.isFinite(n))
      problems.push(`${name}.${key}: must be a number, got ${JSON.stringify(v)}`);
    else e[key] = n;
  };

  const taxes = section("taxes", base.taxes) as Json[];
  const nextTax = ids("taxes", taxes, 1);
  taxes.forEach((t, i) => {
    text(`taxes[${i}]`, t, "name", true);
    num(`taxes[${i}]`, t, "value");
    t.region ??= "PT";
    t.code ??= "NOR";
    t.default_tax = t.default_tax === 1 || t.default_tax === "1" || t.default_tax === true ? 1 : 0;
  });
  if (seed.taxes !== undefined && taxes.length > 0 && !taxes.some((t) => t.default_tax === 1))
    taxes[0]!.default_tax = 1;

  const clients = section("clients", []) as Json[];
  const nextClient = ids("clients", clients, 1);
  clients.forEach((c, i) => {
    text(`clients[${i}]`, c, "name", true);
    for (const k of [
      "code",
      "email",
      "language",
      "address",
      "city",
      "postal_code",
      "country",
      "fiscal_id",
      "website",
      "phone",
      "fax",
      "observations",
    ]) {
      text(`clients[${i}]`, c, k);
    }
    c.preferred_contact ??= null;
    c.send_options = String(c.send_options ?? "1");
    c.payment_days = String(c.payment_days ?? "0");
    c.tax_exemption_code ??= "M00";
  });

  const taxIds = new Set(taxes.map((t) => t.id));
  const items = section("items", []) as Json[];
  const nextItem = ids("items", items, 1);
  items.forEach((it, i) => {
    text(`items[${i}]`, it, "name", true);
    text(`items[${i}]`, it, "description");
    text(`items[${i}]`, it, "unit");
    num(`items[${i}]`, it, "unit_price", 0);
    if (it.tax_id === undefined) it.tax_id = (taxes.find((t) => t.default_tax === 1)?.id as number | undefined) ?? null;
    else if (it.tax_id !== null && !taxIds.has(it.tax_id as number))
      problems.push(`items[${i}].tax_id: no tax has id ${JSON.stringify(it.tax_id)}`);
  });

  const sequences = section("sequences", base.sequences) as Json[];
  const nextSequence = ids("sequences", sequences, 1);
  sequences.forEach((s, i) => {
    if (typeof s.serie === "number") s.serie = String(s.serie);
    text(`sequences[${i}]`, s, "serie", true);
    s.default_sequence = s.default_sequence === 1 || s.default_sequence === "1" || s.default_sequence === true ? 1 : 0;
    s.numbers = isObj(s.numbers) ? s.numbers : {};
    s.registered = s.registered !== false;
    s.validation_codes = isObj(s.validation_codes)
      ? s.validation_codes
      : s.registered
        ? registeredCodes(s.id as number)
        : {};
  });
  if (sequences.length === 0) problems.push("sequences: an account needs at least one series");
  else if (!sequences.some((s) => s.default_sequence === 1)) sequences[0]!.default_sequence = 1;

  const clientIds = new Set(clients.map((c) => c.id));
  const sequenceIds = new Set(sequences.map((s) => s.id));
  const documents = section("documents", []) as Json[];
  const nextDocument = ids("documents", documents, 1);
  let finalizations = 0;
  documents.forEach((d, i) => {
    const at = `documents[${i}]`;
    if (typeof d.type !== "string" || !KIND_BY_TYPE[d.type]) {
      problems.push(
        `${at}.type: must be one of ${Object.keys(KIND_BY_TYPE).join(", ")}, got ${JSON.stringify(d.type)}`,
      );
      return;
    }
    d.status ??= "draft";
    if (typeof d.status !== "string") problems.push(`${at}.status: must be text`);
    d.archived = d.archived === true;
    d.sequence_id ??= sequences.find((s) => s.default_sequence === 1)?.id;
    if (!sequenceIds.has(d.sequence_id as number))
      problems.push(`${at}.sequence_id: no series has id ${JSON.stringify(d.sequence_id)}`);
    if (!clientIds.has(d.client_id as number))
      problems.push(`${at}.client_id: no client has id ${JSON.stringify(d.client_id)}`);
    d.number ??= null;
    d.finalized_order ??= null;
    if (typeof d.finalized_order === "number") finalizations = Math.max(finalizations, d.finalized_order);
    text(at, d, "date", true);
    text(at, d, "due_date", true);
    for (const k of [
      "reference",
      "observations",
      "tax_exemption",
      "cancel_message",
      "currency_code",
      "proprietary_uid",
    ])
      text(at, d, k);
    num(at, d, "retention", 0);
    d.owner_id ??= null;
    d.global_discount ??= null;
    if (!Array.isArray(d.lines)) {
      if (d.type !== "Receipt") problems.push(`${at}.lines: must be a list`);
      d.lines = [];
    }
    (d.lines as unknown[]).forEach((l, j) => {
      if (!isObj(l)) {
        problems.push(`${at}.lines[${j}]: must be an object`);
        return;
      }
      text(`${at}.lines[${j}]`, l, "name", true);
      text(`${at}.lines[${j}]`, l, "description");
      text(`${at}.lines[${j}]`, l, "unit");
      num(`${at}.lines[${j}]`, l, "unit_price");
      num(`${at}.lines[${j}]`, l, "quantity");
      num(`${at}.lines[${j}]`, l, "discount", 0);
      l.tax ??= null;
    });
    if (d.type === "Receipt" && !isObj(d.payment))
      problems.push(`${at}.payment: a receipt needs its payment ({amount, payment_date, totals})`);
  });
  const docIds = new Set(documents.map((d) => d.id));
  documents.forEach((d, i) => {
    if (d.owner_id !== null && !docIds.has(d.owner_id as number))
      problems.push(`documents[${i}].owner_id: no document has id ${JSON.stringify(d.owner_id)}`);
  });

  const uids = seed.proprietary_uids ?? documents.map((d) => d.proprietary_uid).filter((u) => typeof u === "string");
  if (!Array.isArray(uids) || uids.some((u) => typeof u !== "string"))
    problems.push("proprietary_uids: must be a list of strings");
  const outbox = seed.outbox ?? [];
  if (!Array.isArray(outbox)) problems.push("outbox: must be a list");

  if (problems.length > 0) throw new TypeError(`sandbox seed: ${problems.join("; ")}`);
  const given = isObj(seed.next_ids) ? seed.next_ids : {};
  const at = (k: string, min: number) => Math.max(min, isInt(given[k]) ? (given[k] as number) : 0);
  return {
    version: 1,
    clients: clients as unknown as ClientRecord[],
    items: items as unknown as ItemRecord[],
    taxes: taxes as unknown as TaxRecord[],
    sequences: sequences as unknown as SequenceRecord[],
    documents: documents as unknown as DocumentRecord[],
    proprietary_uids: uids as string[],
    outbox: outbox as EmailRecord[],
    next_ids: {
      document: at("document", nextDocument),
      client: at("client", nextClient),
      item: at("item", nextItem),
      tax: at("tax", nextTax),
      sequence: at("sequence", nextSequence),
    },
    finalizations: Math.max(finalizations, typeof seed.finalizations === "number" ? seed.finalizations : 0),
  };
}
