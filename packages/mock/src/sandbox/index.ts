/**
 * The sandbox: a stateful InvoiceXpress account in memory. The mock's front calls it after a
 * request passed the spec's validation; it answers the operations it models from its state
 * and returns `undefined` for the others, which the front then serves from Prism's stateless
 * examples. Every handler runs synchronously, so requests are applied one at a time, in the
 * order they arrive: numbering is never raced.
 */
import { readFileSync } from "node:fs";
import { canonicalDate, dayNumber, decimalText, eventsFrom, r2, today, totalsOf, transition } from "./documents.js";
import { pdfFile, pngFile, saftFile } from "./files.js";
import { model } from "./model.js";
import {
  type ClientRecord,
  type DocumentRecord,
  defaultState,
  type ItemRecord,
  KIND_BY_TYPE,
  KINDS,
  type KindInfo,
  type LineRecord,
  type LineTax,
  registeredCodes,
  type SandboxState,
  SEQUENCE_KINDS,
  type SequenceRecord,
  stateFromSeed,
  type TaxRecord,
} from "./state.js";

export { totalsOf, transition } from "./documents.js";
export type { SandboxState } from "./state.js";
export { defaultState, KINDS, stateFromSeed } from "./state.js";

type Json = Record<string, any>;

export interface SandboxOptions {
  /** The account to start from (a dump, or a path to a JSON file with one); a new account by default. */
  seed?: string | object;
  /** How many times PDF, QR-code and SAF-T requests answer 202 before the 200. Default 1. */
  polls?: number;
  /** The clock (tests). */
  now?: () => Date;
}

export interface SandboxRequest {
  method: string;
  operationId: string;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** The mock's own origin as the caller reached it (`http://127.0.0.1:4010`), for file URLs. */
  origin: string;
}

export interface SandboxAnswer {
  status: number;
  /** A JSON body; absent for an empty one. */
  body?: unknown;
  /** A file instead of JSON. */
  file?: { bytes: Buffer; contentType: string };
}

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {
    super(`sandbox refusal ${status}`);
  }
}

const docError = (status: number, message: string) => new Refused(status, { errors: { error: message } });
const NOT_FOUND = () => docError(404, "Document not found");

/** Reads a number sent as a number or a numeric string. */
const num = (v: unknown, fallback = 0): number => {
  if (v === undefined || v === null || v === "") return fallback;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : fallback;
};
const str = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v));
const blankCode = (v: unknown) => v === undefined || v === null || v === "" || v === "M00";

/** The operations the sandbox answers from its state (operationIds of the spec). */
export const MODELLED_OPERATIONS: readonly string[] = (() => {
  const ops = [
    "listClients",
    "createClient",
    "getClient",
    "updateClient",
    "deleteClient",
    "findClientByName",
    "findClientByCode",
    "searchClientInvoices",
    "listInvoices",
    "listEstimates",
    "listGuides",
    "listPurchaseOrders",
    "listReceipts",
    "getReceipt",
    "cancelReceipt",
    "registerPartialPayment",
    "listRelatedDocuments",
    "getDocumentPdf",
    "getDocumentQrCode",
    "exportSaft",
    "listItems",
    "createItem",
    "getItem",
    "updateItem",
    "deleteItem",
    "listTaxes",
    "createTax",
    "getTax",
    "updateTax",
    "deleteTax",
    "listSequences",
    "createSequence",
    "getSequence",
    "setCurrentSequence",
    "registerSequence",
    "listVatMossInvoices",
  ];
  const pascal = (s: string) => s.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  for (const k of Object.values(KINDS)) {
    if (k.kind === "receipt" || k.kind === "vat_moss_invoice") continue;
    const name = pascal(k.kind);
    ops.push(`create${name}`, `get${name}`, `update${name}`, `change${name}State`, `send${name}ByEmail`);
    if (k.family === "invoice" && k.kind !== "invoice") ops.push(`list${name}s`);
  }
  return ops;
})();

export class Sandbox {
  private state: SandboxState;
  private readonly polls: number;
  private readonly now: () => Date;
  /** Polls seen per asynchronous job; not part of the state (a reset starts them over). */
  private readonly jobs = new Map<string, number>();
  private readonly modelled = new Set(MODELLED_OPERATIONS);

  constructor(options: SandboxOptions = {}) {
    if (options.polls !== undefined && (!Number.isSafeInteger(options.polls) || options.polls < 0)) {
      throw new RangeError(`sandbox: polls must be a whole number of 0 or more, got ${String(options.polls)}`);
    }
    this.polls = options.polls ?? 1;
    this.now = options.now ?? (() => new Date());
    this.initial = options.seed === undefined ? undefined : readSeed(options.seed);
    this.state = this.fresh();
  }

  private readonly initial: unknown;

  private fresh(): SandboxState {
    return this.initial === undefined
      ? defaultState(this.now())
      : stateFromSeed(structuredClone(this.initial), this.now());
  }

  /** Back to the account the sandbox started with (its seed, or a new account). */
  reset(): void {
    this.state = this.fresh();
    this.jobs.clear();
  }

  /** Replaces the account with a seed (a dump or a partial account); throws naming every problem. */
  seed(seed: string | object): void {
    this.state = stateFromSeed(structuredClone(readSeed(seed)), this.now());
    this.jobs.clear();
  }

  /** A copy of the whole account, fit to be written to a file and given back as a seed. */
  dump(): SandboxState {
    return structuredClone(this.state);
  }

  /** Whether the sandbox answers this operation from its state. */
  models(operationId: string): boolean {
    return this.modelled.has(operationId);
  }

  /** Answers a validated request, or `undefined` when the operation is not modelled. */
  handle(req: SandboxRequest): SandboxAnswer | undefined {
    if (!this.modelled.has(req.operationId)) return undefined;
    try {
      return this.route(req);
    } catch (err) {
      if (err instanceof Refused) return { status: err.status, ...(err.body !== undefined ? { body: err.body } : {}) };
      throw err;
    }
  }

  /** The control endpoints under `/__sandbox/`: reset, state (dump and seed), files. */
  control(method: string, path: string, body: unknown): SandboxAnswer {
    const m = method.toLowerCase();
    if (path === "/__sandbox/reset") {
      if (m !== "post") return { status: 405, body: { errors: { error: "POST /__sandbox/reset resets the account" } } };
      this.reset();
      return { status: 200, body: this.dump() };
    }
    if (path === "/__sandbox/state") {
      if (m === "get") return { status: 200, body: this.dump() };
      if (m === "put" || m === "post") {
        try {
          this.seed(body as object);
        } catch (err) {
          return { status: 422, body: { errors: { error: (err as Error).message } } };
        }
        return { status: 200, body: this.dump() };
      }
      return { status: 405, body: { errors: { error: "GET /__sandbox/state dumps the account; PUT seeds it" } } };
    }
    const file = /^\/__sandbox\/files\/(pdf|qr|saft)\/([^/]+)$/.exec(path);
    if (file && m === "get") {
      const answer = this.file(file[1]!, file[2]!);
      if (answer) return answer;
    }
    return {
      status: 404,
      body: {
        errors: {
          error: `no such sandbox endpoint: ${method.toUpperCase()} ${path} (POST /__sandbox/reset, GET or PUT /__sandbox/state)`,
        },
      },
    };
  }

  // ---------------------------------------------------------------- routing

  private route(req: SandboxRequest): SandboxAnswer {
    const op = req.operationId;
    const b = (req.body ?? {}) as Json;
    const id = (name: string) => {
      const raw = req.params[name] ?? "";
      return /^\d{1,15}$/.test(raw) ? Number(raw) : -1;
    };
    switch (op) {
      case "listClients":
        return {
          status: 200,
          body: this.page(
            [...this.state.clients].sort((a, b2) => a.name.localeCompare(b2.name) || a.id - b2.id),
            req.query,
            "clients",
            (c) => this.clientOut(c),
          ),
        };
      case "createClient":
        return { status: 201, body: { client: this.clientOut(this.createClient(b.client ?? {})) } };
      case "getClient":
        return { status: 200, body: { client: this.clientOut(this.client(id("client-id"))) } };
      case "updateClient":
        this.updateClient(this.client(id("client-id")), b.client ?? {});
        return { status: 200 };
      case "deleteClient": {
        const c = this.client(id("client-id"));
        if (this.state.documents.some((d) => d.client_id === c.id)) {
          throw new Refused(422, { errors: ["The client has documents and cannot be deleted"] });
        }
        this.state.clients = this.state.clients.filter((x) => x !== c);
        return { status: 200 };
      }
      case "findClientByName": {
        const name = req.query.get("client_name") ?? "";
        const c = this.state.clients.find((x) => x.name === name);
        if (!c) throw docError(404, "Client not found");
        return { status: 200, body: { client: this.clientOut(c) } };
      }
      case "findClientByCode": {
        const code = req.query.get("client_code") ?? "";
        const c = this.state.clients.find((x) => x.code === code);
        if (!c) throw docError(404, "Client not found");
        return { status: 200, body: { client: this.clientOut(c) } };
      }
      case "searchClientInvoices": {
        const c = this.client(id("client-id"));
        const f = (b.filter ?? {}) as Json;
        const statuses = (f.status as string[] | undefined)?.map((s) => (s === "sent" ? "final" : s));
        const types = f.by_type as string[] | undefined;
        const archived = f.archived as string[] | undefined;
        const docs = this.newestFirst(
          this.state.documents.filter((d) => {
            const k = KIND_BY_TYPE[d.type]!;
            if (d.client_id !== c.id || (k.family !== "invoice" && k.family !== "receipt")) return false;
            if (statuses?.length ? !statuses.includes(d.status) : d.status === "deleted") return false;
            if (types?.length && !types.includes(d.type)) return false;
            if (archived?.length && !archived.includes(d.archived ? "archived" : "non_archived")) return false;
            return true;
          }),
        );
        return { status: 200, body: this.page(docs, req.query, "invoices", (d) => this.docOut(d)) };
      }
      case "listInvoices":
        return this.list(req.query, "invoices", (k) => k.family === "invoice" || k.family === "receipt");
      case "listEstimates":
        return this.list(req.query, "estimates", (k) => k.family === "estimate");
      case "listGuides":
        return this.list(req.query, "guides", (k) => k.family === "guide");
      case "listPurchaseOrders":
        return this.list(req.query, "purchase_orders", (k) => k.family === "purchase_order");
      case "listReceipts":
        return this.list(req.query, "receipts", (k) => k.kind === "receipt");
      case "getReceipt":
        return { status: 200, body: { receipt: this.docOut(this.doc(id("receipt-id"), KINDS.receipt)) } };
      case "cancelReceipt":
        return { status: 200, body: { receipt: this.docOut(this.cancelReceipt(id("receipt-id"), b.receipt ?? {})) } };
      case "registerPartialPayment":
        return { status: 200, body: { receipt: this.docOut(this.pay(id("document-id"), b.partial_payment ?? {})) } };
      case "listRelatedDocuments": {
        const d = this.anyDoc(id("document-id"));
        const related = this.state.documents.filter(
          (x) => x.status !== "deleted" && (x.owner_id === d.id || (d.owner_id !== null && x.id === d.owner_id)),
        );
        return { status: 200, body: { documents: related.map((x) => this.docOut(x)) } };
      }
      case "getDocumentPdf":
        return this.pdf(id("document-id"), req);
      case "getDocumentQrCode":
        return this.qr(id("document-id"), req);
      case "exportSaft":
        return this.saft(req);
      case "listItems":
        return {
          status: 200,
          body: this.page(
            [...this.state.items].sort((a, b2) => a.id - b2.id),
            req.query,
            "items",
            (i) => this.itemOut(i),
          ),
        };
      case "createItem":
        return { status: 201, body: { item: this.itemOut(this.createItem(b.item ?? {})) } };
      case "getItem":
        return { status: 200, body: { item: this.itemOut(this.item(id("item-id"))) } };
      case "updateItem":
        this.updateItem(this.item(id("item-id")), b.item ?? {});
        return { status: 200 };
      case "deleteItem": {
        const it = this.item(id("item-id"));
        this.state.items = this.state.items.filter((x) => x !== it);
        return { status: 200 };
      }
      case "listTaxes":
        return { status: 200, body: { taxes: this.state.taxes.map((t) => ({ ...t })) } };
      case "createTax":
        return { status: 201, body: { tax: { ...this.createTax(b.tax ?? {}) } } };
      case "getTax":
        return { status: 200, body: { tax: { ...this.tax(id("tax-id")) } } };
      case "updateTax":
        this.updateTax(this.tax(id("tax-id")), b.tax ?? {});
        return { status: 200 };
      case "deleteTax": {
        const t = this.tax(id("tax-id"));
        this.state.taxes = this.state.taxes.filter((x) => x !== t);
        return { status: 200 };
      }
      case "listSequences":
        return { status: 200, body: { sequences: this.state.sequences.map((s) => this.sequenceOut(s)) } };
      case "createSequence":
        return { status: 201, body: { sequence: this.sequenceOut(this.createSequence(b.sequence ?? {})) } };
      case "getSequence":
        return { status: 200, body: { sequence: this.sequenceOut(this.sequence(id("sequence-id"))) } };
      case "setCurrentSequence": {
        const s = this.sequence(id("sequence-id"));
        for (const x of this.state.sequences) x.default_sequence = x === s ? 1 : 0;
        return { status: 200 };
      }
      case "registerSequence": {
        const s = this.sequence(id("sequence-id"));
        if (s.registered) {
          throw new Refused(409, { errors: { code: "005", message: "All series are already registered." } });
        }
        s.registered = true;
        s.validation_codes = registeredCodes(s.id);
        return { status: 200, body: { sequences: [this.sequenceOut(s)] } };
      }
      case "listVatMossInvoices":
        return this.list(req.query, "vat_moss_invoices", (k) => k.kind === "vat_moss_invoice");
    }
    const m = /^(create|get|update|change|send|list)([A-Za-z]+?)(State|ByEmail)?$/.exec(op);
    const kind = m ? Object.values(KINDS).find((k) => k.type === m[2] || `${k.type}s` === m[2]) : undefined;
    if (!m || !kind) throw new Error(`sandbox: operation ${op} is listed as modelled but has no handler`);
    switch (m[1]) {
      case "list":
        return this.list(req.query, `${kind.kind}s`, (k) => k === kind);
      case "create": {
        const d = this.createDocument(kind, b);
        return { status: 201, body: { [kind.kind]: this.docOut(d) } };
      }
      case "get":
        return { status: 200, body: { [kind.kind]: this.docOut(this.doc(id("document-id"), kind)) } };
      case "update": {
        const d = this.updateDocument(this.doc(id("document-id"), kind), b);
        return kind.family === "purchase_order"
          ? { status: 200 }
          : { status: 200, body: { [kind.kind]: this.docOut(d) } };
      }
      case "change": {
        const d = this.changeState(
          this.doc(id("document-id"), kind),
          (b[kind.familyKey] ?? b[kind.kind] ?? {}) as Json,
        );
        return kind.family === "purchase_order"
          ? { status: 200 }
          : { status: 200, body: { [kind.kind]: this.docOut(d) } };
      }
      case "send": {
        const d = this.doc(id("document-id"), kind);
        if (d.status === "deleted") throw docError(422, "A deleted document cannot be sent");
        const msg = (b.message ?? {}) as Json;
        const client = (msg.client ?? {}) as Json;
        this.state.outbox.push({
          document_id: d.id,
          to: String(client.email ?? ""),
          cc: str(msg.cc),
          bcc: str(msg.bcc),
          subject: str(msg.subject),
          body: str(msg.body),
        });
        if (String(client.save ?? "0") === "1") {
          const c = this.state.clients.find((x) => x.id === d.client_id);
          if (c) c.email = String(client.email ?? c.email);
        }
        return { status: 200 };
      }
    }
    throw new Error(`sandbox: no handler for ${op}`);
  }

  // ---------------------------------------------------------------- lookups

  private client(id: number): ClientRecord {
    const c = this.state.clients.find((x) => x.id === id);
    if (!c) throw docError(404, "Client not found");
    return c;
  }

  private item(id: number): ItemRecord {
    const it = this.state.items.find((x) => x.id === id);
    if (!it) throw new Refused(404, { errors: [{ error: "Item not found" }] });
    return it;
  }

  private tax(id: number): TaxRecord {
    const t = this.state.taxes.find((x) => x.id === id);
    if (!t) throw new Refused(404, { errors: { error: "Tax not found" } });
    return t;
  }

  private sequence(id: number): SequenceRecord {
    const s = this.state.sequences.find((x) => x.id === id);
    if (!s) throw new Refused(404, { errors: { code: "006", message: "The series doesn't exist." } });
    return s;
  }

  private defaultSequence(): SequenceRecord {
    return this.state.sequences.find((s) => s.default_sequence === 1) ?? this.state.sequences[0]!;
  }

  private defaultTax(): TaxRecord | undefined {
    return this.state.taxes.find((t) => t.default_tax === 1);
  }

  private anyDoc(id: number): DocumentRecord {
    const d = this.state.documents.find((x) => x.id === id);
    if (!d) throw NOT_FOUND();
    return d;
  }

  /** A document of this kind (an id of another kind is not found, as on the real routes). */
  private doc(id: number, kind: KindInfo): DocumentRecord {
    const d = this.state.documents.find((x) => x.id === id && x.type === kind.type);
    if (!d) throw NOT_FOUND();
    return d;
  }

  // ---------------------------------------------------------------- rendering

  private clientOut(c: ClientRecord): Json {
    const hash = (c.id * 2654435761).toString(16).padStart(8, "0");
    return {
      ...c,
      id: String(c.id),
      preferred_contact: c.preferred_contact ? { ...c.preferred_contact } : null,
      open_account_link: `https://www.app.invoicexpress.com/suppliers/${hash}${hash}`,
    };
  }

  private taxOut(t: LineTax | TaxRecord | null | undefined, comment = false): Json | null {
    if (!t) return null;
    return {
      id: t.id,
      name: t.name,
      value: t.value,
      ...(comment ? { comment: `tax value:${decimalText(t.value)}%` } : {}),
    };
  }

  private itemOut(i: ItemRecord): Json {
    const tax = this.state.taxes.find((t) => t.id === i.tax_id);
    return {
      id: i.id,
      name: i.name,
      description: i.description,
      unit_price: i.unit_price,
      unit: i.unit,
      tax: this.taxOut(tax, true),
    };
  }

  private sequenceOut(s: SequenceRecord): Json {
    const out: Json = { id: s.id, serie: s.serie, default_sequence: s.default_sequence };
    SEQUENCE_KINDS.forEach((k, i) => {
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

  private numberOf(d: DocumentRecord): { seq: string; inv: string; atcud?: string } {
    if (d.number === null) return { seq: "rascunho", inv: "rascunho" };
    const kind = KIND_BY_TYPE[d.type]!;
    const s = this.state.sequences.find((x) => x.id === d.sequence_id);
    const serie = `${kind.prefix}${s?.serie ?? ""}`;
    const code = s?.registered ? s.validation_codes[kind.kind] : undefined;
    return {
      seq: `${d.number}/${serie}`,
      inv: `${serie}/${d.number}`,
      ...(kind.family === "purchase_order" ? {} : { atcud: code ? `${code}-${d.number}` : "N/D" }),
    };
  }

  /** What is owed on an invoice: its total less the withholding on its net amount. */
  private due(d: DocumentRecord): number {
    const t = totalsOf(d.lines, d.global_discount);
    return r2(t.total - (t.before_taxes * d.retention) / 100);
  }

  private paid(d: DocumentRecord): number {
    return r2(
      this.state.documents
        .filter((x) => x.type === "Receipt" && x.owner_id === d.id && x.status === "final")
        .reduce((s, x) => s + (x.payment?.amount ?? 0), 0),
    );
  }

  private docOut(d: DocumentRecord): Json {
    const kind = KIND_BY_TYPE[d.type]!;
    const n = this.numberOf(d);
    const c = this.state.clients.find((x) => x.id === d.client_id);
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
    if (kind.kind !== "receipt") {
      out.items = d.lines.map((l, i) => ({
        name: l.name,
        description: l.description,
        unit_price: decimalText(l.unit_price),
        unit: l.unit,
        quantity: decimalText(l.quantity),
        tax: this.taxOut(l.tax),
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

  // ---------------------------------------------------------------- lists

  private newestFirst(docs: DocumentRecord[]): DocumentRecord[] {
    return [...docs].sort((a, b) => b.id - a.id);
  }

  private page<T>(list: T[], query: URLSearchParams, key: string, render: (x: T) => Json): Json {
    const page = Math.max(1, num(query.get("page"), 1));
    const perPage = Math.max(1, num(query.get("per_page"), 10));
    const slice = list.slice((page - 1) * perPage, page * perPage);
    return {
      [key]: slice.map(render),
      pagination: {
        total_entries: list.length,
        current_page: page,
        total_pages: Math.ceil(list.length / perPage),
        per_page: perPage,
      },
    };
  }

  private list(query: URLSearchParams, key: string, kinds: (k: KindInfo) => boolean): SandboxAnswer {
    const types = [...query.getAll("type[]"), ...query.getAll("type")];
    const statuses = query.getAll("status[]").map((s) => (s === "sent" ? "final" : s));
    const text = query.get("text")?.toLowerCase();
    const reference = query.get("reference")?.toLowerCase();
    const archivedQ = query.get("archived");
    const nonArchivedQ = query.get("non_archived");
    const range = (name: string) => [dayNumber(query.get(`${name}[from]`)), dayNumber(query.get(`${name}[to]`))];
    const [dateFrom, dateTo] = range("date");
    const [dueFrom, dueTo] = range("due_date");
    const [loadedFrom, loadedTo] = range("loaded_at");
    const totalFrom = query.get("total_before_taxes[from]");
    const totalTo = query.get("total_before_taxes[to]");
    const within = (v: number | undefined, from: number | undefined, to: number | undefined) =>
      (from === undefined || (v !== undefined && v >= from)) && (to === undefined || (v !== undefined && v <= to));
    const docs = this.state.documents.filter((d) => {
      const kind = KIND_BY_TYPE[d.type]!;
      if (!kinds(kind)) return false;
      if (types.length > 0 && !types.includes(d.type)) return false;
      if (statuses.length > 0 ? !statuses.includes(d.status) : d.status === "deleted") return false;
      if (archivedQ !== null || nonArchivedQ !== null) {
        // The query flags read as Rails casts them: `true` or `1` (the spec's QueryFlag).
        const on = (v: string | null) => v === "true" || v === "1";
        const wanted = d.archived ? on(archivedQ) : on(nonArchivedQ);
        if (!wanted) return false;
      }
      if (!within(dayNumber(d.date), dateFrom, dateTo)) return false;
      if (!within(dayNumber(d.due_date), dueFrom, dueTo)) return false;
      if (loadedFrom !== undefined || loadedTo !== undefined) {
        if (!within(dayNumber(d.guide?.loaded_at), loadedFrom, loadedTo)) return false;
      }
      if (totalFrom !== null || totalTo !== null) {
        const t = d.payment ? d.payment.totals.before_taxes : totalsOf(d.lines, d.global_discount).before_taxes;
        if (totalFrom !== null && t < num(totalFrom)) return false;
        if (totalTo !== null && t > num(totalTo)) return false;
      }
      if (reference && !(d.reference ?? "").toLowerCase().includes(reference)) return false;
      if (text) {
        const c = this.state.clients.find((x) => x.id === d.client_id);
        const n = this.numberOf(d);
        const hay = [
          c?.name,
          c?.code,
          n.seq,
          n.inv,
          d.reference,
          d.observations,
          ...d.lines.flatMap((l) => [l.name, l.description]),
        ]
          .filter((x): x is string => typeof x === "string")
          .join("\n")
          .toLowerCase();
        if (!hay.includes(text)) return false;
      }
      return true;
    });
    return { status: 200, body: this.page(this.newestFirst(docs), query, key, (d) => this.docOut(d)) };
  }

  // ---------------------------------------------------------------- clients, items, taxes, series

  private clientFields(c: ClientRecord, input: Json): void {
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
    ] as const) {
      if (k in input) c[k] = str(input[k]);
    }
    if (input.preferred_contact && typeof input.preferred_contact === "object") {
      const p = input.preferred_contact as Json;
      c.preferred_contact = { name: str(p.name), email: str(p.email), phone: str(p.phone) };
    }
    if (input.send_options !== undefined) c.send_options = String(input.send_options);
    if (input.payment_days !== undefined) c.payment_days = String(input.payment_days);
    if (input.tax_exemption_code !== undefined) c.tax_exemption_code = String(input.tax_exemption_code);
  }

  private newClient(input: Json): ClientRecord {
    const c: ClientRecord = {
      id: this.state.next_ids.client++,
      name: String(input.name),
      code: null,
      email: null,
      language: null,
      address: null,
      city: null,
      postal_code: null,
      country: null,
      fiscal_id: null,
      website: null,
      phone: null,
      fax: null,
      preferred_contact: null,
      observations: null,
      send_options: "1",
      payment_days: "0",
      tax_exemption_code: "M00",
    };
    this.clientFields(c, input);
    this.state.clients.push(c);
    return c;
  }

  private createClient(input: Json): ClientRecord {
    if (this.state.clients.some((c) => c.name === input.name)) {
      throw new Refused(422, { errors: ["Name has already been taken"] });
    }
    return this.newClient(input);
  }

  private updateClient(c: ClientRecord, input: Json): void {
    if (typeof input.name === "string" && input.name !== c.name) {
      if (this.state.clients.some((x) => x !== c && x.name === input.name)) {
        throw new Refused(422, { errors: ["Name has already been taken"] });
      }
      c.name = input.name;
    }
    this.clientFields(c, input);
  }

  /** A document's client: the one with its code, else the one with its name, else a new one. */
  private documentClient(input: Json): ClientRecord {
    const code = str(input.code);
    const byCode = code !== null ? this.state.clients.find((c) => c.code === code) : undefined;
    const found = byCode ?? this.state.clients.find((c) => c.name === input.name);
    return found ?? this.newClient(input);
  }

  private taxByName(name: unknown): TaxRecord | undefined {
    return typeof name === "string" ? this.state.taxes.find((t) => t.name === name) : undefined;
  }

  private createItem(input: Json): ItemRecord {
    if (this.state.items.some((i) => i.name === input.name)) {
      throw new Refused(422, { errors: [{ error: "Name has already been taken" }] });
    }
    const tax = input.tax ? this.taxByName((input.tax as Json).name) : undefined;
    const it: ItemRecord = {
      id: this.state.next_ids.item++,
      name: String(input.name),
      description: str(input.description),
      unit_price: num(input.unit_price),
      unit: str(input.unit),
      tax_id: (tax ?? this.defaultTax())?.id ?? null,
    };
    this.state.items.push(it);
    return it;
  }

  private updateItem(it: ItemRecord, input: Json): void {
    if (typeof input.name === "string" && input.name !== it.name) {
      if (this.state.items.some((x) => x !== it && x.name === input.name)) {
        throw new Refused(422, { errors: [{ error: "Name has already been taken" }] });
      }
      if (this.state.documents.some((d) => d.lines.some((l) => l.name === it.name))) {
        throw new Refused(422, {
          errors: [{ error: "Name can't be changed because it is already associated with invoices" }],
        });
      }
      it.name = input.name;
    }
    if ("description" in input) it.description = str(input.description);
    if ("unit_price" in input) it.unit_price = num(input.unit_price);
    if ("unit" in input) it.unit = str(input.unit);
    if (input.tax && typeof input.tax === "object") it.tax_id = this.taxByName((input.tax as Json).name)?.id ?? null;
  }

  private checkTaxValue(value: unknown): number {
    const v = num(value, Number.NaN);
    if (!(v >= 0 && v <= 99.99)) throw new Refused(422, { value: ["must be between 0 and 99.99"] });
    return v;
  }

  private createTax(input: Json): TaxRecord {
    if (this.state.taxes.some((t) => t.name === input.name)) throw new Refused(422, { name: ["is not available."] });
    const value = this.checkTaxValue(input.value);
    const t: TaxRecord = {
      id: this.state.next_ids.tax++,
      name: String(input.name),
      value,
      region: str(input.region) ?? "PT",
      code: str(input.code) ?? (value === 0 ? "ISE" : "NOR"),
      default_tax: 0,
    };
    this.state.taxes.push(t);
    if (String(input.default_tax ?? "0") === "1") for (const x of this.state.taxes) x.default_tax = x === t ? 1 : 0;
    return t;
  }

  private updateTax(t: TaxRecord, input: Json): void {
    if (typeof input.name === "string" && input.name !== t.name) {
      if (this.state.taxes.some((x) => x !== t && x.name === input.name)) {
        throw new Refused(422, { name: ["is not available."] });
      }
      t.name = input.name;
    }
    if ("value" in input) t.value = this.checkTaxValue(input.value);
    if ("region" in input) {
      if (str(input.region) === null) throw new Refused(422, { base: ["Tax region is empty"] });
      t.region = String(input.region);
    }
    if ("code" in input && str(input.code) !== null) t.code = String(input.code);
    if (String(input.default_tax ?? "") === "1") for (const x of this.state.taxes) x.default_tax = x === t ? 1 : 0;
  }

  private createSequence(input: Json): SequenceRecord {
    const serie = String(input.serie ?? "");
    if (!/^[A-Za-z0-9._-]{1,30}$/.test(serie)) {
      throw new Refused(422, { errors: { code: "001", message: "Sequence name not allowed." } });
    }
    if (this.state.sequences.some((s) => s.serie === serie)) {
      throw new Refused(422, { errors: { code: "002", message: "The series already exists." } });
    }
    const id = this.state.next_ids.sequence++;
    const s: SequenceRecord = {
      id,
      serie,
      default_sequence: 0,
      numbers: {},
      validation_codes: registeredCodes(id),
      registered: true,
    };
    this.state.sequences.push(s);
    if (String(input.default_sequence ?? "0") === "1")
      for (const x of this.state.sequences) x.default_sequence = x === s ? 1 : 0;
    return s;
  }

  // ---------------------------------------------------------------- documents

  /** The lines of a request, resolving taxes by name and writing the catalogue items. */
  private lines(items: unknown, creating: boolean): { lines: LineRecord[]; upserts: Array<() => void> } {
    if (!Array.isArray(items)) throw docError(422, "Items element should be of type array");
    const upserts: Array<() => void> = [];
    const lines = items.map((raw: Json, i) => {
      const quantity = num(raw.quantity, Number.NaN);
      if (!(quantity > 0)) throw docError(422, `Quantity must be a number greater than 0 (items[${i}])`);
      const unit_price = num(raw.unit_price, Number.NaN);
      if (!(unit_price >= 0)) throw docError(422, `Unit price is not a number (items[${i}])`);
      const discount = num(raw.discount, 0);
      if (!(discount >= 0 && discount <= 100)) throw docError(422, `Discount must be between 0 and 100 (items[${i}])`);
      let tax: TaxRecord | undefined;
      if (raw.tax && typeof raw.tax === "object" && (raw.tax as Json).name !== undefined) {
        tax = this.taxByName((raw.tax as Json).name) ?? (creating ? this.defaultTax() : undefined);
      } else {
        tax = this.defaultTax();
      }
      const existing = this.state.items.find((it) => it.name === raw.name);
      const line: LineRecord = {
        name: String(raw.name),
        description: str(raw.description) ?? existing?.description ?? null,
        unit_price,
        quantity,
        unit: str(raw.unit) ?? existing?.unit ?? null,
        discount,
        tax: tax ? { id: tax.id, name: tax.name, value: tax.value } : null,
      };
      upserts.push(() => {
        const it = this.state.items.find((x) => x.name === line.name);
        if (it) {
          it.description = line.description;
          it.unit_price = line.unit_price;
          it.unit = line.unit;
          it.tax_id = line.tax?.id ?? null;
        } else {
          this.state.items.push({
            id: this.state.next_ids.item++,
            name: line.name,
            description: line.description,
            unit_price: line.unit_price,
            unit: line.unit,
            tax_id: line.tax?.id ?? null,
          });
        }
      });
      return line;
    });
    return { lines, upserts };
  }

  /** The rules a document must keep, checked on create and update. */
  private checkDocument(d: DocumentRecord): void {
    const kind = KIND_BY_TYPE[d.type]!;
    if (kind.family !== "guide") {
      const date = dayNumber(d.date);
      const due = dayNumber(d.due_date);
      if (date !== undefined && due !== undefined && due < date)
        throw docError(422, "Due date must be later than date");
    }
    if (!(d.retention >= 0 && d.retention <= 99.99)) throw docError(422, "Retention must be between 0 and 99.99");
    if (d.lines.length === 0) throw docError(422, "Items element should be of type array");
    const exempt = d.lines.findIndex((l) => (l.tax?.value ?? 0) === 0);
    if (exempt >= 0 && blankCode(d.tax_exemption)) {
      throw docError(
        422,
        `Tax exemption reason is required: items[${exempt}] (${d.lines[exempt]!.name}) is taxed at 0%, so send tax_exemption (an IVA exemption code such as M07)`,
      );
    }
    if (d.owner_id !== null && (kind.kind === "credit_note" || kind.kind === "debit_note")) {
      const owner = this.state.documents.find((x) => x.id === d.owner_id);
      const ok =
        owner &&
        ["Invoice", "SimplifiedInvoice", "InvoiceReceipt", "VatMossInvoice"].includes(owner.type) &&
        ["final", "settled"].includes(owner.status);
      if (!ok) throw docError(422, "Owner Owner is invalid");
    }
  }

  private rootOf(kind: KindInfo, body: Json): Json {
    const root = body[kind.familyKey] ?? body[kind.kind];
    if (!root || typeof root !== "object") throw docError(422, `Elemento ${kind.familyKey} não fornecido`);
    return root as Json;
  }

  private createDocument(kind: KindInfo, body: Json): DocumentRecord {
    const uid = str(body.proprietary_uid);
    if (uid !== null && this.state.proprietary_uids.includes(uid)) {
      throw new Refused(409, { reason: `There's an ongoing document creation with the provided UID ${uid}` });
    }
    const input = this.rootOf(kind, body);
    const clientInput = (input.client ?? {}) as Json;
    const { lines, upserts } = this.lines(input.items, true);
    let sequenceId = this.defaultSequence().id;
    if (str(input.sequence_id) !== null) {
      sequenceId = num(input.sequence_id, -1);
      if (!this.state.sequences.some((s) => s.id === sequenceId)) {
        throw docError(422, `Sequence ${String(input.sequence_id)} was not found`);
      }
    }
    const now = this.now();
    const d: DocumentRecord = {
      id: 0,
      type: kind.type,
      status: "draft",
      archived: false,
      sequence_id: sequenceId,
      number: null,
      finalized_order: null,
      date: canonicalDate(str(input.date) ?? today(now)),
      due_date: canonicalDate(str(input.due_date) ?? str(input.date) ?? today(now)),
      reference: str(input.reference),
      observations: str(input.observations),
      retention: num(input.retention, 0),
      tax_exemption: str(input.tax_exemption) ?? str(input.tax_exemption_reason),
      client_id: 0,
      lines,
      global_discount: input.global_discount
        ? { value_type: (input.global_discount as Json).value_type, value: num((input.global_discount as Json).value) }
        : null,
      owner_id: str(input.owner_invoice_id) !== null ? num(input.owner_invoice_id, -1) : null,
      cancel_message: null,
      currency_code: str(input.currency_code),
      proprietary_uid: uid,
    };
    if (kind.family === "guide") {
      const addr = (a: unknown) =>
        a && typeof a === "object"
          ? {
              detail: str((a as Json).detail),
              city: str((a as Json).city),
              postal_code: str((a as Json).postal_code),
              country: str((a as Json).country),
            }
          : null;
      d.guide = {
        loaded_at: str(input.loaded_at),
        license_plate: str(input.license_plate),
        address_from: addr(input.address_from),
        address_to: addr(input.address_to),
        load_site: str(input.load_site),
        delivery_site: str(input.delivery_site),
        at_doc_code_id: null,
      };
    }
    this.checkDocument(d);
    // Only a document that passed every rule changes the account.
    d.client_id = this.documentClient(clientInput).id;
    for (const u of upserts) u();
    d.id = this.state.next_ids.document++;
    this.state.documents.push(d);
    if (uid !== null) this.state.proprietary_uids.push(uid);
    return d;
  }

  private updateDocument(d: DocumentRecord, body: Json): DocumentRecord {
    const kind = KIND_BY_TYPE[d.type]!;
    if (d.status !== "draft") {
      throw docError(422, `The document is ${d.status} and can no longer be changed: only drafts can be updated`);
    }
    const input = this.rootOf(kind, body);
    const next: DocumentRecord = structuredClone(d);
    let upserts: Array<() => void> = [];
    if (input.items !== undefined) {
      const r = this.lines(input.items, false);
      next.lines = r.lines;
      upserts = r.upserts;
    }
    if (input.date !== undefined) next.date = canonicalDate(String(input.date));
    if (input.due_date !== undefined) next.due_date = canonicalDate(String(input.due_date));
    if ("reference" in input) next.reference = str(input.reference);
    if ("observations" in input) next.observations = str(input.observations);
    if ("retention" in input) next.retention = num(input.retention, 0);
    if ("tax_exemption" in input) next.tax_exemption = str(input.tax_exemption);
    if ("tax_exemption_reason" in input) next.tax_exemption = str(input.tax_exemption_reason);
    if ("owner_invoice_id" in input)
      next.owner_id = str(input.owner_invoice_id) !== null ? num(input.owner_invoice_id, -1) : null;
    if (input.global_discount) {
      next.global_discount = {
        value_type: (input.global_discount as Json).value_type,
        value: num((input.global_discount as Json).value),
      };
    }
    if (str(input.sequence_id) !== null) {
      const sid = num(input.sequence_id, -1);
      if (!this.state.sequences.some((s) => s.id === sid))
        throw docError(422, `Sequence ${String(input.sequence_id)} was not found`);
      next.sequence_id = sid;
    }
    if (next.guide) {
      for (const k of ["loaded_at", "license_plate", "load_site", "delivery_site"] as const) {
        if (k in input) next.guide[k] = str(input[k]);
      }
    }
    this.checkDocument(next);
    if (input.client && typeof input.client === "object") next.client_id = this.documentClient(input.client as Json).id;
    for (const u of upserts) u();
    Object.assign(d, next);
    return d;
  }

  private changeState(d: DocumentRecord, input: Json): DocumentRecord {
    const event = String(input.state ?? "");
    const step = transition(d.type, d.status, event);
    if (!step) {
      const allowed = eventsFrom(d.type, d.status);
      const refusal = model().machines.get(d.type)?.refusal ?? "Invalid state";
      throw docError(
        422,
        `${refusal}: a ${d.status} ${d.type} cannot take "${event}" (${allowed.length > 0 ? `it takes ${allowed.join(", ")}` : "it takes no event"})`,
      );
    }
    if (step.requires !== undefined) {
      if (str(input[step.requires]) === null) throw docError(422, step.refusal ?? `${step.requires} can't be blank`);
      if (step.requires === "message") d.cancel_message = String(input.message);
    }
    if (step.event === "finalized") this.finalize(d);
    d.status = step.to;
    return d;
  }

  /** Gives a draft its number: the series' next for its kind, in the order finalizations arrive. */
  private finalize(d: DocumentRecord): void {
    const kind = KIND_BY_TYPE[d.type]!;
    const s = this.state.sequences.find((x) => x.id === d.sequence_id) ?? this.defaultSequence();
    d.sequence_id = s.id;
    const n = (s.numbers[kind.kind] ?? 0) + 1;
    s.numbers[kind.kind] = n;
    d.number = n;
    d.finalized_order = ++this.state.finalizations;
  }

  private pay(id: number, input: Json): DocumentRecord {
    const inv = this.anyDoc(id);
    if (!["Invoice", "SimplifiedInvoice", "VatMossInvoice"].includes(inv.type)) {
      throw docError(422, `A ${inv.type} does not take payments (invoices and simplified invoices do)`);
    }
    if (inv.status !== "final") {
      throw docError(422, `The document is ${inv.status}: only a final document takes payments`);
    }
    const amount = r2(num(input.amount, Number.NaN));
    if (!(amount > 0)) throw new Refused(422, ["amount", "is invalid"]);
    const owed = r2(this.due(inv) - this.paid(inv));
    if (amount > owed + 0.001) throw docError(422, `The amount ${amount} is more than what is still owed (${owed})`);
    let s = this.state.sequences.find((x) => x.id === inv.sequence_id) ?? this.defaultSequence();
    if (str(input.serie) !== null) {
      const named = this.state.sequences.find((x) => x.serie === input.serie);
      if (!named) throw new Refused(422, ["serie", "is invalid"]);
      s = named;
    }
    const t = totalsOf(inv.lines, inv.global_discount);
    const ratio = t.total > 0 ? amount / t.total : 0;
    const date = canonicalDate(str(input.payment_date) ?? today(this.now()));
    const receipt: DocumentRecord = {
      id: this.state.next_ids.document++,
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
    this.finalize(receipt);
    this.state.documents.push(receipt);
    if (this.paid(inv) >= this.due(inv) - 0.001) inv.status = "settled";
    return receipt;
  }

  private cancelReceipt(id: number, input: Json): DocumentRecord {
    const r = this.doc(id, KINDS.receipt);
    this.changeState(r, input);
    const inv = this.state.documents.find((x) => x.id === r.owner_id);
    if (inv && inv.status === "settled" && this.paid(inv) < this.due(inv) - 0.001) inv.status = "final";
    return r;
  }

  // ---------------------------------------------------------------- asynchronous answers

  /** `true` while the job still answers 202 (counting this poll). */
  private pending(key: string): boolean {
    const seen = this.jobs.get(key) ?? 0;
    if (seen >= this.polls) return false;
    this.jobs.set(key, seen + 1);
    return true;
  }

  private pdf(id: number, req: SandboxRequest): SandboxAnswer {
    const d = this.anyDoc(id);
    if (d.status === "deleted") return { status: 406 };
    const second = ["true", "1"].includes(req.query.get("second_copy") ?? "");
    if (this.pending(`pdf:${d.id}:${d.status}:${second}`)) return { status: 202 };
    return {
      status: 200,
      body: { output: { pdfUrl: `${req.origin}/__sandbox/files/pdf/${d.id}${second ? "-2" : ""}.pdf` } },
    };
  }

  private qr(id: number, req: SandboxRequest): SandboxAnswer {
    const d = this.state.documents.find((x) => x.id === id);
    if (!d) throw new Refused(404, { error: `No document with ID ${id} was found in this account` });
    const family = KIND_BY_TYPE[d.type]!.family;
    if (!["final", "canceled", "settled"].includes(d.status)) {
      throw new Refused(422, {
        error: `Document with ID ${id} is still in ${d.status}. QR Codes are only available for final, canceled or settled documents.`,
      });
    }
    if (family === "estimate" || family === "purchase_order") {
      throw new Refused(422, {
        error: `Document with ID ${id} is a ${d.type}. QR Codes are only available for invoices, receipts and guides.`,
      });
    }
    if (this.pending(`qr:${d.id}`)) return { status: 202, body: { qr_code: { status: "In progress" } } };
    return { status: 200, body: { qr_code: { url: `${req.origin}/__sandbox/files/qr/${d.id}.png` } } };
  }

  private saftDocuments(year: number, month: number): DocumentRecord[] {
    return this.state.documents.filter((d) => {
      const fam = KIND_BY_TYPE[d.type]!.family;
      const day = dayNumber(d.date) ?? 0;
      return (
        (fam === "invoice" || fam === "receipt") &&
        d.number !== null &&
        Math.floor(day / 10_000) === year &&
        Math.floor(day / 100) % 100 === month
      );
    });
  }

  private saft(req: SandboxRequest): SandboxAnswer {
    const month = num(req.query.get("month"), 0);
    const year = num(req.query.get("year"), 0);
    const docs = this.saftDocuments(year, month);
    if (docs.length === 0) {
      throw new Refused(422, { message: "There aren't any documents to export on the selected period." });
    }
    if (this.pending(`saft:${year}-${month}:${docs.length}`)) {
      return {
        status: 202,
        body: { message: "The SAF-T file is being generated. Keep requesting until it is ready." },
      };
    }
    return {
      status: 200,
      body: { Url: `${req.origin}/__sandbox/files/saft/${year}-${String(month).padStart(2, "0")}.xml` },
    };
  }

  private file(kind: string, name: string): SandboxAnswer | undefined {
    if (kind === "pdf") {
      const m = /^(\d+)(-2)?\.pdf$/.exec(name);
      const d = m ? this.state.documents.find((x) => x.id === Number(m[1])) : undefined;
      if (!d || !m) return undefined;
      const n = this.numberOf(d);
      const out = this.docOut(d);
      const c = this.state.clients.find((x) => x.id === d.client_id);
      const lines = [
        `${d.type} ${n.seq}${m[2] ? " (second copy)" : ""}`,
        `Status: ${d.status}`,
        ...(n.atcud ? [`ATCUD: ${n.atcud}`] : []),
        `Date: ${d.date}   Due: ${d.due_date}`,
        `Client: ${c?.name ?? ""}`,
        ...d.lines.map(
          (l, i) =>
            `${l.name}  ${decimalText(l.quantity)} x ${decimalText(l.unit_price)}  ${out.items?.[i]?.total ?? ""}`,
        ),
        `Before taxes: ${out.before_taxes}   Taxes: ${out.taxes}   Total: ${out.total} EUR`,
        "Issued by the ixpress sandbox: not a legal document.",
      ];
      return { status: 200, file: { bytes: pdfFile(lines), contentType: "application/pdf" } };
    }
    if (kind === "qr") {
      const m = /^(\d+)\.png$/.exec(name);
      const d = m ? this.state.documents.find((x) => x.id === Number(m[1])) : undefined;
      if (!d) return undefined;
      const n = this.numberOf(d);
      return { status: 200, file: { bytes: pngFile(`${n.atcud ?? ""}*${n.seq}*${d.id}`), contentType: "image/png" } };
    }
    if (kind === "saft") {
      const m = /^(\d{4})-(\d{2})\.xml$/.exec(name);
      if (!m) return undefined;
      const year = Number(m[1]);
      const month = Number(m[2]);
      const docs = this.saftDocuments(year, month);
      const code: Record<string, string> = {
        Invoice: "FT",
        InvoiceReceipt: "FR",
        SimplifiedInvoice: "FS",
        CreditNote: "NC",
        DebitNote: "ND",
        Receipt: "RC",
        VatMossInvoice: "FT",
      };
      const rows = docs.map((d) => {
        const out = this.docOut(d);
        const iso = d.date.split("/").reverse().join("-");
        return {
          number: this.numberOf(d).inv,
          atcud: this.numberOf(d).atcud ?? "0",
          date: iso,
          type: code[d.type] ?? "FT",
          status: d.status,
          net: out.before_taxes as number,
          tax: out.taxes as number,
          gross: out.total as number,
          customer: String(out.client?.name ?? ""),
        };
      });
      return { status: 200, file: { bytes: saftFile(year, month, rows), contentType: "application/xml" } };
    }
    return undefined;
  }
}

function readSeed(seed: string | object): unknown {
  if (typeof seed === "string") {
    let text: string;
    try {
      text = readFileSync(seed, "utf8");
    } catch (err) {
      throw new Error(`sandbox seed: cannot read ${seed} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new Error(`sandbox seed: ${seed} is not valid JSON (${(err as Error).message})`);
    }
  }
  if (seed === null || typeof seed !== "object") throw new TypeError("sandbox seed: must be a file path or an object");
  return seed;
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
