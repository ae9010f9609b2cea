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

/** Operations marked `x-idempotent: false` (they e-mail a document or change a state), by method: never sent twice. */
export const NOT_IDEMPOTENT: { readonly [method: string]: readonly string[] } = joinPaths({
  PUT: {
    "/{document-id}/change-state.json": ["/credit_notes", "/debit_notes", "/devolutions", "/fees_notes", "/invoice_receipts", "/invoices", "/proformas", "/purchase_orders", "/quotes", "/shippings", "/simplified_invoices", "/transports"],
    "/{document-id}/email-document.json": ["/credit_notes", "/debit_notes", "/devolutions", "/fees_notes", "/invoice_receipts", "/invoices", "/proformas", "/purchase_orders", "/quotes", "/shippings", "/simplified_invoices", "/transports"],
    "/{receipt-id}/change-state.json": ["/receipts"],
    "/{sequence-id}/register.json": ["/sequences"],
  },
});

/** Builds {@link NOT_IDEMPOTENT} from, per method, the rest of each path and the first segments it follows. */
function joinPaths(table: { [method: string]: { [rest: string]: readonly string[] } }) {
  const entries = Object.entries(table).map(([m, byRest]) => [m, Object.entries(byRest).flatMap(([rest, heads]) => heads.map((h) => h + rest)).sort()]);
  return Object.fromEntries(entries) as { [method: string]: string[] };
}

type Aliases = { readonly [method: string]: { readonly [path: string]: readonly [string, string] } };

/** Builds {@link ROOT_ALIASES} from lists of [method, rest of the path] and [first segment, keys, list]. */
function expand(routes: ReadonlyArray<ReadonlyArray<readonly [string, string]>>, docs: ReadonlyArray<readonly [string, string, string, number]>): Aliases {
  const out: Record<string, Record<string, readonly [string, string]>> = {};
  for (const [head, a, b, list] of docs) for (const [method, rest] of routes[list]!) (out[method] ??= {})[head + rest] = [a, b];
  return out;
}

/**
 * Operations that answer a document under its type's key or its family's key (the spec's
 * `x-root-aliases: [typeKey, familyKey]`), by method and path: the client copies the root that
 * arrived to the other key, so both hold the same object.
 */
export const ROOT_ALIASES: Aliases = expand(
  [
    [["POST", ".json"], ["GET", "/{document-id}.json"], ["PUT", "/{document-id}.json"], ["PUT", "/{document-id}/change-state.json"]],
  ],
  [
    ["/credit_notes", "credit_note", "invoice", 0],
    ["/debit_notes", "debit_note", "invoice", 0],
    ["/devolutions", "devolution", "shipping", 0],
    ["/fees_notes", "fees_note", "quote", 0],
    ["/invoice_receipts", "invoice_receipt", "invoice", 0],
    ["/proformas", "proforma", "quote", 0],
    ["/simplified_invoices", "simplified_invoice", "invoice", 0],
    ["/transports", "transport", "shipping", 0],
  ],
);

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
