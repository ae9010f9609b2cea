/**
 * Reading a seed: a dump of an earlier run, or a hand-written account with only some sections.
 * Every record is checked against what the sandbox keeps: document types come from the spec's
 * `DocumentType` enum (through the model, never from an object's prototype), statuses from
 * `DocumentStatus`, and a key the sandbox does not know is refused, with the closest known one.
 */
import { closest } from "@ixpress/openapi";
import { model } from "./model.js";
import {
  CLIENT_TEXT_FIELDS,
  type ClientRecord,
  type DocumentRecord,
  defaultState,
  type EmailRecord,
  type ItemRecord,
  registeredCodes,
  type SandboxState,
  type SequenceRecord,
  type TaxRecord,
} from "./state.js";

/** The keys each record of a state holds (what a dump writes). */
const KEYS: Record<string, readonly string[]> = {
  state: [
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
  ],
  clients: [
    "id",
    "name",
    "code",
    ...CLIENT_TEXT_FIELDS,
    "preferred_contact",
    "send_options",
    "payment_days",
    "tax_exemption_code",
  ],
  items: ["id", "name", "description", "unit_price", "unit", "tax_id"],
  taxes: ["id", "name", "value", "region", "code", "default_tax"],
  sequences: ["id", "serie", "default_sequence", "numbers", "validation_codes", "registered"],
  documents: [
    "id",
    "type",
    "status",
    "archived",
    "sequence_id",
    "number",
    "finalized_order",
    "date",
    "due_date",
    "reference",
    "observations",
    "retention",
    "tax_exemption",
    "client_id",
    "lines",
    "global_discount",
    "owner_id",
    "cancel_message",
    "currency_code",
    "proprietary_uid",
    "payment",
    "guide",
  ],
  lines: ["name", "description", "unit_price", "quantity", "unit", "discount", "tax"],
  next_ids: ["document", "client", "item", "tax", "sequence"],
};

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/**
 * Reads a seed: a dump of an earlier run, or a hand-written account with only some sections
 * (`clients`, `items`, `taxes`, `sequences`, `documents`). Sections left out keep the defaults
 * of a new account; ids left out are given; the next ids follow the largest given. Throws an
 * error naming every problem found.
 */
export function stateFromSeed(seed: unknown, now = new Date(), maxDocuments = Number.POSITIVE_INFINITY): SandboxState {
  const problems: string[] = [];
  if (!isObj(seed)) throw new TypeError('sandbox seed: must be a JSON object such as {"clients":[…]}');
  /** Refuses the keys a record of this kind does not hold. */
  const unknownKeys = (at: string, record: Json, kind: keyof typeof KEYS) => {
    const known = KEYS[kind]!;
    for (const key of Object.keys(record)) {
      if (known.includes(key)) continue;
      const near = closest(key, known);
      problems.push(
        `${at}${at ? "." : ""}${key.slice(0, 64)}: ${at ? "is not a key of this record" : "is not a section of a sandbox state"}` +
          (near ? ` (did you mean ${near}?)` : ` (known: ${known.join(", ")})`),
      );
    }
  };
  unknownKeys("", seed, "state");
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
      else if (KEYS[name]) unknownKeys(`${name}[${i}]`, entry, name);
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
    for (const k of ["code", ...CLIENT_TEXT_FIELDS]) text(`clients[${i}]`, c, k);
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
  const { byType: types, statuses } = model();
  if (documents.length > maxDocuments)
    problems.push(`documents: ${documents.length} is more than this sandbox holds (maxDocuments: ${maxDocuments})`);
  const nextDocument = ids("documents", documents, 1);
  let finalizations = 0;
  documents.forEach((d, i) => {
    const at = `documents[${i}]`;
    if (typeof d.type !== "string" || !types.has(d.type)) {
      problems.push(`${at}.type: must be one of ${[...types.keys()].join(", ")}, got ${JSON.stringify(d.type)}`);
      return;
    }
    d.status ??= "draft";
    if (typeof d.status !== "string" || !statuses.includes(d.status))
      problems.push(`${at}.status: must be one of ${statuses.join(", ")}, got ${JSON.stringify(d.status)}`);
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
      unknownKeys(`${at}.lines[${j}]`, l, "lines");
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

  const given = isObj(seed.next_ids) ? seed.next_ids : {};
  unknownKeys("next_ids", given, "next_ids");
  if (problems.length > 0) throw new TypeError(`sandbox seed: ${problems.join("; ")}`);
  // Documents in id order: the lists walk them from the newest.
  documents.sort((a, b) => (a.id as number) - (b.id as number));
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
