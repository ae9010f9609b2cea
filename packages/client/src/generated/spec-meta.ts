// Generated from the bundled spec by scripts/generate-meta.mjs. Do not edit.

/** Fields and parameters marked `x-sensitive: true` in the spec: redacted in errors and logs. */
export const SENSITIVE_FIELDS: readonly string[] = [
  "api_key",
  "at_password",
  "password",
];

/** POST paths whose request body takes `proprietary_uid` (document creation). */
export const PROPRIETARY_UID_PATHS: readonly string[] = [
  "/credit_notes.json",
  "/debit_notes.json",
  "/invoice_receipts.json",
  "/invoices.json",
  "/simplified_invoices.json",
];

const ONCE = 1; // marked `x-idempotent: false`: never sent twice
const TWO_ROOTS = 2; // marked `x-root-aliases`: answered under its type's key or its family's key

/** Lists of routes (method, a space, the rest of the path after its first segment), each with its marks. */
const ROUTES: ReadonlyArray<{ readonly [route: string]: number }> = [
  {
    "GET /{document-id}.json": 2,
    "POST .json": 2,
    "PUT /{document-id}.json": 2,
    "PUT /{document-id}/change-state.json": 3,
    "PUT /{document-id}/email-document.json": 1,
  },
  {
    "PUT /{document-id}/change-state.json": 1,
    "PUT /{document-id}/email-document.json": 1,
  },
  {
    "PUT /{receipt-id}/change-state.json": 1,
  },
  {
    "PUT /{sequence-id}/register.json": 1,
  },
];

/**
 * By first segment of a path: the number of its list in ROUTES, then, if it has two roots, its
 * family's key and its type's key (by default the segment in the singular: `/credit_notes` → `credit_note`).
 */
const HEADS: { readonly [head: string]: readonly [number, string?, string?] } = {
  "/credit_notes": [0, "invoice"],
  "/debit_notes": [0, "invoice"],
  "/devolutions": [0, "shipping"],
  "/fees_notes": [0, "quote"],
  "/invoice_receipts": [0, "invoice"],
  "/invoices": [1],
  "/proformas": [0, "quote"],
  "/purchase_orders": [1],
  "/quotes": [1],
  "/receipts": [2],
  "/sequences": [3],
  "/shippings": [1],
  "/simplified_invoices": [0, "invoice"],
  "/transports": [0, "shipping"],
};

/** An operation's marks (0 if none) and its keys. Keys looked up start with `/` or hold a space: never inherited. */
function marks(method: string, path: string): [number, string?, string?] {
  const [, head = "", rest] = /^(\/[^/.{]*)(.*)$/s.exec(path) ?? [];
  const [list, family, type = head.slice(1, -1)] = HEADS[head] ?? [];
  return [list === undefined ? 0 : (ROUTES[list]![`${method} ${rest}`] ?? 0), type, family];
}

/** False for the operations marked `x-idempotent: false` (they e-mail a document or change a state): never sent twice. */
export function isRepeatable(method: string, path: string): boolean {
  return !(marks(method, path)[0] & ONCE);
}

/** The spec's `x-root-aliases: [typeKey, familyKey]` of an operation (the same as `ROOT_ALIASES[method]?.[path]`). */
export function rootAliasesOf(method: string, path: string): readonly [string, string] | undefined {
  const [bits, type, family] = marks(method, path);
  return bits & TWO_ROOTS ? [type!, family!] : undefined;
}

/** Every operation of the table, sorted by path: [method, path]. */
function operations() {
  const all = Object.entries(HEADS).flatMap(([head, [list]]) =>
    Object.keys(ROUTES[list]!).map((route) => {
      const space = route.indexOf(" ");
      return [route.slice(0, space), head + route.slice(space + 1)] as const;
    }),
  );
  return all.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

function notIdempotent() {
  const out: Record<string, string[]> = {};
  for (const [method, path] of operations()) if (!isRepeatable(method, path)) (out[method] ??= []).push(path);
  return out;
}

function rootAliases() {
  const out: Record<string, Record<string, readonly [string, string]>> = {};
  for (const [method, path] of operations()) {
    const keys = rootAliasesOf(method, path);
    if (keys) (out[method] ??= {})[path] = keys;
  }
  return out;
}

/**
 * Operations marked `x-idempotent: false` (they e-mail a document or change a state), by method,
 * paths sorted: never sent twice. Built from the table {@link isRepeatable} reads; a bundle that
 * does not read NOT_IDEMPOTENT leaves it out.
 */
export const NOT_IDEMPOTENT: { readonly [method: string]: readonly string[] } = /* @__PURE__ */ notIdempotent();

/**
 * Operations that answer a document under its type's key or its family's key (the spec's
 * `x-root-aliases: [typeKey, familyKey]`), by method and path: the client copies the root that
 * arrived to the other key, so both hold the same object. Built from the table
 * {@link rootAliasesOf} reads; a bundle that does not read ROOT_ALIASES leaves it out.
 */
export const ROOT_ALIASES: { readonly [method: string]: { readonly [path: string]: readonly [string, string] } } =
  /* @__PURE__ */ rootAliases();

/** {@link ROOT_ALIASES} as a type, by path and method (lower case, as in `paths`). */
export type RootAliases = {
  "/credit_notes.json": { post: readonly ["credit_note", "invoice"] };
  "/credit_notes/{document-id}.json": { get: readonly ["credit_note", "invoice"]; put: readonly ["credit_note", "invoice"] };
  "/credit_notes/{document-id}/change-state.json": { put: readonly ["credit_note", "invoice"] };
  "/debit_notes.json": { post: readonly ["debit_note", "invoice"] };
  "/debit_notes/{document-id}.json": { get: readonly ["debit_note", "invoice"]; put: readonly ["debit_note", "invoice"] };
  "/debit_notes/{document-id}/change-state.json": { put: readonly ["debit_note", "invoice"] };
  "/devolutions.json": { post: readonly ["devolution", "shipping"] };
  "/devolutions/{document-id}.json": { get: readonly ["devolution", "shipping"]; put: readonly ["devolution", "shipping"] };
  "/devolutions/{document-id}/change-state.json": { put: readonly ["devolution", "shipping"] };
  "/fees_notes.json": { post: readonly ["fees_note", "quote"] };
  "/fees_notes/{document-id}.json": { get: readonly ["fees_note", "quote"]; put: readonly ["fees_note", "quote"] };
  "/fees_notes/{document-id}/change-state.json": { put: readonly ["fees_note", "quote"] };
  "/invoice_receipts.json": { post: readonly ["invoice_receipt", "invoice"] };
  "/invoice_receipts/{document-id}.json": { get: readonly ["invoice_receipt", "invoice"]; put: readonly ["invoice_receipt", "invoice"] };
  "/invoice_receipts/{document-id}/change-state.json": { put: readonly ["invoice_receipt", "invoice"] };
  "/proformas.json": { post: readonly ["proforma", "quote"] };
  "/proformas/{document-id}.json": { get: readonly ["proforma", "quote"]; put: readonly ["proforma", "quote"] };
  "/proformas/{document-id}/change-state.json": { put: readonly ["proforma", "quote"] };
  "/simplified_invoices.json": { post: readonly ["simplified_invoice", "invoice"] };
  "/simplified_invoices/{document-id}.json": { get: readonly ["simplified_invoice", "invoice"]; put: readonly ["simplified_invoice", "invoice"] };
  "/simplified_invoices/{document-id}/change-state.json": { put: readonly ["simplified_invoice", "invoice"] };
  "/transports.json": { post: readonly ["transport", "shipping"] };
  "/transports/{document-id}.json": { get: readonly ["transport", "shipping"]; put: readonly ["transport", "shipping"] };
  "/transports/{document-id}/change-state.json": { put: readonly ["transport", "shipping"] };
};
