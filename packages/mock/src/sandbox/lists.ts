/**
 * The document lists: each family list of the spec (`/invoices.json` holds every type its
 * `type[]` enum names), each kind's own list, a client's invoices and a document's related
 * documents. Newest first. A list without filters walks its family from the newest and stops
 * at the end of the page (its total is kept by the account); a filtered one looks at each
 * document of the family once, reading clients and series through the account's indexes.
 */
import type { Account } from "./account.js";
import { model } from "./model.js";
import { docOut, type Json, num, numberOf, pageBody, pageOf } from "./render.js";
import { dayNumber, totalsOf } from "./rules.js";
import type { DocumentRecord } from "./state.js";
import { bodyOf, type Handler, idParam } from "./types.js";

type Filter = (d: DocumentRecord) => boolean;

/** The newest-first page of the documents of `families` that pass `keep`, and their count. */
function listed(a: Account, families: string[], keep: Filter | undefined, query: URLSearchParams) {
  const { page, perPage } = pageOf(query);
  const skip = (page - 1) * perPage;
  const sources = families.map((f) => a.family(f));
  const slice: DocumentRecord[] = [];
  let total = 0;
  // Unfiltered, one family: the total is known, the walk stops with the page.
  if (keep === undefined && sources.length === 1) {
    const { docs, deleted } = sources[0]!;
    total = docs.length - deleted;
    let seen = 0;
    for (let i = docs.length - 1; i >= 0 && slice.length < perPage; i--) {
      if (docs[i]!.status === "deleted") continue;
      if (seen++ >= skip) slice.push(docs[i]!);
    }
    return { slice, total };
  }
  const all = sources.length === 1 ? sources[0]!.docs : sources.flatMap((s) => s.docs).sort((x, y) => x.id - y.id);
  const pass: Filter = keep ?? ((d) => d.status !== "deleted");
  for (let i = all.length - 1; i >= 0; i--) {
    const d = all[i]!;
    if (!pass(d)) continue;
    if (total >= skip && slice.length < perPage) slice.push(d);
    total++;
  }
  return { slice, total };
}

/** The filters of the list operations' query (`type[]`, `status[]`, dates, totals, `text`, …). */
function queryFilter(a: Account, query: URLSearchParams, types?: string[]): Filter | undefined {
  const wanted = types ?? [...query.getAll("type[]"), ...query.getAll("type")];
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
  const dated = [dateFrom, dateTo, dueFrom, dueTo, loadedFrom, loadedTo].some((x) => x !== undefined);
  const any =
    wanted.length + statuses.length > 0 ||
    dated ||
    [text, reference, archivedQ, nonArchivedQ, totalFrom, totalTo].some((x) => x !== undefined && x !== null);
  if (!any) return undefined;
  const within = (v: number | undefined, from: number | undefined, to: number | undefined) =>
    (from === undefined || (v !== undefined && v >= from)) && (to === undefined || (v !== undefined && v <= to));
  // The query flags read as Rails casts them: `true` or `1` (the spec's QueryFlag).
  const on = (v: string | null) => v === "true" || v === "1";
  return (d) => {
    if (wanted.length > 0 && !wanted.includes(d.type)) return false;
    if (statuses.length > 0 ? !statuses.includes(d.status) : d.status === "deleted") return false;
    if ((archivedQ !== null || nonArchivedQ !== null) && !(d.archived ? on(archivedQ) : on(nonArchivedQ))) return false;
    if (dated) {
      if (!within(dayNumber(d.date), dateFrom, dateTo)) return false;
      if (!within(dayNumber(d.due_date), dueFrom, dueTo)) return false;
      if (
        (loadedFrom !== undefined || loadedTo !== undefined) &&
        !within(dayNumber(d.guide?.loaded_at), loadedFrom, loadedTo)
      )
        return false;
    }
    if (totalFrom !== null || totalTo !== null) {
      const t = d.payment ? d.payment.totals.before_taxes : totalsOf(d.lines, d.global_discount).before_taxes;
      if (totalFrom !== null && t < num(totalFrom)) return false;
      if (totalTo !== null && t > num(totalTo)) return false;
    }
    if (reference && !(d.reference ?? "").toLowerCase().includes(reference)) return false;
    if (text && !matchesText(a, d, text)) return false;
    return true;
  };
}

/** Whether the text is in the document's client (name, code), numbers, reference, observations or lines. */
function matchesText(a: Account, d: DocumentRecord, text: string): boolean {
  const has = (s: string | null | undefined) => typeof s === "string" && s.toLowerCase().includes(text);
  const c = a.clientById(d.client_id);
  if (has(c?.name) || has(c?.code) || has(d.reference) || has(d.observations)) return true;
  if (d.number !== null) {
    const n = numberOf(a, d);
    if (has(n.seq) || has(n.inv)) return true;
  } else if (has("rascunho")) return true;
  return d.lines.some((l) => has(l.name) || has(l.description));
}

const render = (a: Account) => (d: DocumentRecord) => docOut(a, d);

export function listHandlers(): Record<string, Handler> {
  const { families, kinds } = model();
  const out: Record<string, Handler> = {};
  // The family lists: every type the list's `type` enum names that the sandbox keeps.
  for (const f of families) {
    out[f.operationId] = (a, req) => {
      const { slice, total } = listed(a, [f.key], queryFilter(a, req.query), req.query);
      return { status: 200, body: pageBody(slice, total, req.query, f.key, render(a)) };
    };
  }
  // Each kind's own list (when it is not also its family's).
  for (const k of kinds) {
    const op = k.ops.list;
    if (!op || out[op]) continue;
    const key = `${k.kind}s`;
    out[op] = (a, req) => {
      const { slice, total } = listed(a, [k.family], queryFilter(a, req.query, [k.type]), req.query);
      return { status: 200, body: pageBody(slice, total, req.query, key, render(a)) };
    };
  }
  out.searchClientInvoices = (a, req) => {
    const c = a.client(idParam(req, "client-id"));
    const f = (bodyOf(req).filter ?? {}) as Json;
    const statuses = (f.status as string[] | undefined)?.map((s) => (s === "sent" ? "final" : s));
    const types = f.by_type as string[] | undefined;
    const archived = f.archived as string[] | undefined;
    const family = families.find((x) => x.operationId === "listInvoices")!.key;
    const { slice, total } = listed(
      a,
      [family],
      (d) => {
        if (d.client_id !== c.id) return false;
        if (statuses?.length ? !statuses.includes(d.status) : d.status === "deleted") return false;
        if (types?.length && !types.includes(d.type)) return false;
        if (archived?.length && !archived.includes(d.archived ? "archived" : "non_archived")) return false;
        return true;
      },
      req.query,
    );
    return { status: 200, body: pageBody(slice, total, req.query, "invoices", render(a)) };
  };
  out.listRelatedDocuments = (a, req) => {
    const d = a.anyDocument(idParam(req, "document-id"));
    return { status: 200, body: { documents: a.related(d).map(render(a)) } };
  };
  return out;
}
