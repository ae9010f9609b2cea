/**
 * The sandbox's account: plain JSON records, so that a dump can be written to a file and read
 * back as a seed. Everything the sandbox knows is here; nothing is kept elsewhere.
 */
import { model } from "./model.js";

/** A client's plain text fields: what a create or an update copies, and a seed checks, as given. */
export const CLIENT_TEXT_FIELDS = [
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
  [...model().sequenceKinds, "purchase_order"].forEach((k, i) => {
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
