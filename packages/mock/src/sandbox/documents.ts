/**
 * The documents of every kind the spec describes: create, read, update, change state, e-mail.
 * One handler per operation the spec gives a kind (model.ts finds them by path), the same code
 * for every kind; what differs between kinds is data: the root keys, the family, the machine.
 */
import { formatApiDate, Refusal } from "@ixpress/openapi";
import { type Account, refuse } from "./account.js";
import { documentClient } from "./clients.js";
import { type KindInfo, model } from "./model.js";
import { docOut, type Json, num, str } from "./render.js";
import { canonicalDate, dayNumber, eventsFrom, transition } from "./rules.js";
import type { DocumentRecord, LineRecord, TaxRecord } from "./state.js";
import { bodyOf, type Handler, idParam } from "./types.js";

const blankCode = (v: unknown) => v === undefined || v === null || v === "" || v === "M00";

/** The lines of a request, resolving taxes by name; `upserts` write the catalogue items once the document is accepted. */
function lines(a: Account, items: unknown, creating: boolean): { lines: LineRecord[]; upserts: Array<() => void> } {
  if (!Array.isArray(items)) throw refuse(422, "Items element should be of type array");
  const upserts: Array<() => void> = [];
  const out = items.map((raw: Json, i) => {
    const quantity = num(raw.quantity, Number.NaN);
    if (!(quantity > 0)) throw refuse(422, `Quantity must be a number greater than 0 (items[${i}])`);
    const unit_price = num(raw.unit_price, Number.NaN);
    if (!(unit_price >= 0)) throw refuse(422, `Unit price is not a number (items[${i}])`);
    const discount = num(raw.discount, 0);
    if (!(discount >= 0 && discount <= 100)) throw refuse(422, `Discount must be between 0 and 100 (items[${i}])`);
    let tax: TaxRecord | undefined;
    if (raw.tax && typeof raw.tax === "object" && (raw.tax as Json).name !== undefined) {
      tax = a.taxByName((raw.tax as Json).name) ?? (creating ? a.defaultTax() : undefined);
    } else {
      tax = a.defaultTax();
    }
    const existing = a.itemByName(raw.name);
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
      const it = a.itemByName(line.name);
      const fields = {
        description: line.description,
        unit_price: line.unit_price,
        unit: line.unit,
        tax_id: line.tax?.id ?? null,
      };
      if (it) Object.assign(it, fields);
      else {
        a.addItem({ id: a.state.next_ids.item, name: line.name, ...fields });
        a.state.next_ids.item++;
      }
    });
    return line;
  });
  return { lines: out, upserts };
}

/** The rules a document must keep, checked on create and update. */
function checkDocument(a: Account, d: DocumentRecord): void {
  if (a.kindOf(d).family !== "guides") {
    const date = dayNumber(d.date);
    const due = dayNumber(d.due_date);
    if (date !== undefined && due !== undefined && due < date) throw refuse(422, "Due date must be later than date");
  }
  if (!(d.retention >= 0 && d.retention <= 99.99)) throw refuse(422, "Retention must be between 0 and 99.99");
  if (d.lines.length === 0) throw refuse(422, "Items element should be of type array");
  const exempt = d.lines.findIndex((l) => (l.tax?.value ?? 0) === 0);
  if (exempt >= 0 && blankCode(d.tax_exemption)) {
    throw refuse(
      422,
      `Tax exemption reason is required: items[${exempt}] (${d.lines[exempt]!.name}) is taxed at 0%, so send tax_exemption (an IVA exemption code such as M07)`,
    );
  }
  if (d.owner_id !== null && (d.type === "CreditNote" || d.type === "DebitNote")) {
    const owner = a.documentById(d.owner_id);
    const ok =
      owner &&
      ["Invoice", "SimplifiedInvoice", "InvoiceReceipt", "VatMossInvoice"].includes(owner.type) &&
      ["final", "settled"].includes(owner.status);
    if (!ok) throw refuse(422, "Owner Owner is invalid");
  }
}

/** The body's root: the family key (canonical) or the kind's own key. */
function rootOf(kind: KindInfo, body: Json): Json {
  const root = body[kind.familyKey] ?? body[kind.kind];
  if (!root || typeof root !== "object") throw refuse(422, `Elemento ${kind.familyKey} não fornecido`);
  return root as Json;
}

function sequenceIdOf(a: Account, value: unknown): number {
  const id = num(value, -1);
  if (!a.sequenceById(id)) throw refuse(422, `Sequence ${String(value)} was not found`);
  return id;
}

const discountOf = (g: unknown): DocumentRecord["global_discount"] =>
  g ? { value_type: (g as Json).value_type, value: num((g as Json).value) } : null;

const ownerOf = (v: unknown) => (str(v) !== null ? num(v, -1) : null);

function createDocument(a: Account, kind: KindInfo, body: Json): DocumentRecord {
  const uid = str(body.proprietary_uid);
  if (uid !== null && a.state.proprietary_uids.includes(uid)) {
    throw new Refusal(409, `There's an ongoing document creation with the provided UID ${uid}`, {
      shape: { key: "reason" },
    });
  }
  const input = rootOf(kind, body);
  const clientInput = (input.client ?? {}) as Json;
  const { lines: ls, upserts } = lines(a, input.items, true);
  const sequenceId = str(input.sequence_id) !== null ? sequenceIdOf(a, input.sequence_id) : a.defaultSequence().id;
  const today = formatApiDate(a.now());
  const d: DocumentRecord = {
    id: 0,
    type: kind.type,
    status: "draft",
    archived: false,
    sequence_id: sequenceId,
    number: null,
    finalized_order: null,
    date: canonicalDate(str(input.date) ?? today),
    due_date: canonicalDate(str(input.due_date) ?? str(input.date) ?? today),
    reference: str(input.reference),
    observations: str(input.observations),
    retention: num(input.retention, 0),
    tax_exemption: str(input.tax_exemption) ?? str(input.tax_exemption_reason),
    client_id: 0,
    lines: ls,
    global_discount: discountOf(input.global_discount),
    owner_id: ownerOf(input.owner_invoice_id),
    cancel_message: null,
    currency_code: str(input.currency_code),
    proprietary_uid: uid,
  };
  if (kind.family === "guides") {
    const addr = (v: unknown) => {
      if (!v || typeof v !== "object") return null;
      const x = v as Json;
      return { detail: str(x.detail), city: str(x.city), postal_code: str(x.postal_code), country: str(x.country) };
    };
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
  checkDocument(a, d);
  // Only a document that passed every rule, with room in the account, changes the account.
  a.ensureRoom(a.state.documents.length, "documents");
  d.client_id = documentClient(a, clientInput).id;
  for (const u of upserts) u();
  a.addDocument(d);
  if (uid !== null) a.state.proprietary_uids.push(uid);
  return d;
}

function updateDocument(a: Account, d: DocumentRecord, body: Json): DocumentRecord {
  if (d.status !== "draft") {
    throw refuse(422, `The document is ${d.status} and can no longer be changed: only drafts can be updated`);
  }
  const input = rootOf(a.kindOf(d), body);
  const next: DocumentRecord = structuredClone(d);
  let upserts: Array<() => void> = [];
  if (input.items !== undefined) {
    const r = lines(a, input.items, false);
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
  if ("owner_invoice_id" in input) next.owner_id = ownerOf(input.owner_invoice_id);
  if (input.global_discount) next.global_discount = discountOf(input.global_discount);
  if (str(input.sequence_id) !== null) next.sequence_id = sequenceIdOf(a, input.sequence_id);
  if (next.guide) {
    for (const k of ["loaded_at", "license_plate", "load_site", "delivery_site"] as const) {
      if (k in input) next.guide[k] = str(input[k]);
    }
  }
  checkDocument(a, next);
  const client = input.client && typeof input.client === "object" ? documentClient(a, input.client as Json) : undefined;
  for (const u of upserts) u();
  const { client_id } = d;
  Object.assign(d, next, { client_id });
  if (client) a.setClient(d, client);
  return d;
}

/** Gives a draft its number: the series' next for its kind, in the order finalizations arrive. */
export function finalize(a: Account, d: DocumentRecord): void {
  const s = a.sequenceById(d.sequence_id) ?? a.defaultSequence();
  const kind = a.kindOf(d).kind;
  d.sequence_id = s.id;
  const n = (s.numbers[kind] ?? 0) + 1;
  s.numbers[kind] = n;
  d.number = n;
  d.finalized_order = ++a.state.finalizations;
}

/** Applies an event from the type's machine (the spec's `x-transitions`), or refuses it with the API's message. */
export function changeState(a: Account, d: DocumentRecord, input: Json): DocumentRecord {
  const event = String(input.state ?? "");
  const step = transition(d.type, d.status, event);
  if (!step) {
    const allowed = eventsFrom(d.type, d.status);
    const refusal = model().machines.get(d.type)?.refusal ?? "Invalid state";
    throw refuse(
      422,
      `${refusal}: a ${d.status} ${d.type} cannot take "${event}" (${allowed.length > 0 ? `it takes ${allowed.join(", ")}` : "it takes no event"})`,
    );
  }
  if (step.requires !== undefined) {
    if (str(input[step.requires]) === null) throw refuse(422, step.refusal ?? `${step.requires} can't be blank`);
    if (step.requires === "message") d.cancel_message = String(input.message);
  }
  if (step.event === "finalized") finalize(a, d);
  a.setStatus(d, step.to);
  return d;
}

/** The handlers of one kind's operations. */
function kindHandlers(kind: KindInfo): Record<string, Handler> {
  const id = (req: Parameters<Handler>[1]) => idParam(req, kind.idParam);
  const answer = (a: Account, d: DocumentRecord, withBody: boolean) =>
    withBody ? { status: 200, body: { [kind.kind]: docOut(a, d) } } : { status: 200 };
  const out: Record<string, Handler> = {};
  const { create, get, update, change, send } = kind.ops;
  if (create)
    out[create] = (a, req) => ({ status: 201, body: { [kind.kind]: docOut(a, createDocument(a, kind, bodyOf(req))) } });
  if (get) out[get] = (a, req) => ({ status: 200, body: { [kind.kind]: docOut(a, a.document(id(req), kind)) } });
  if (update)
    out[update] = (a, req) =>
      answer(a, updateDocument(a, a.document(id(req), kind), bodyOf(req)), kind.answersBody.update);
  if (change)
    out[change] = (a, req) => {
      const b = bodyOf(req);
      const input = (b[kind.familyKey] ?? b[kind.kind] ?? {}) as Json;
      return answer(a, changeState(a, a.document(id(req), kind), input), kind.answersBody.change);
    };
  if (send)
    out[send] = (a, req) => {
      const d = a.document(id(req), kind);
      if (d.status === "deleted") throw refuse(422, "A deleted document cannot be sent");
      const msg = (bodyOf(req).message ?? {}) as Json;
      const client = (msg.client ?? {}) as Json;
      a.state.outbox.push({
        document_id: d.id,
        to: String(client.email ?? ""),
        cc: str(msg.cc),
        bcc: str(msg.bcc),
        subject: str(msg.subject),
        body: str(msg.body),
      });
      if (String(client.save ?? "0") === "1") {
        const c = a.clientById(d.client_id);
        if (c) c.email = String(client.email ?? c.email);
      }
      return { status: 200 };
    };
  return out;
}

/** Create, read, update, change state and e-mail, for every kind the spec describes. */
export function documentHandlers(): Record<string, Handler> {
  return Object.assign({}, ...model().kinds.map(kindHandlers));
}
