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

/**
 * Operations that answer a document under its type's key or its family's key (the spec's
 * `x-root-aliases: [typeKey, familyKey]`), by method and path: the client copies the root that
 * arrived to the other key, so both hold the same object.
 */
export const ROOT_ALIASES: { readonly [method: string]: { readonly [path: string]: readonly [string, string] } } = {
  POST: {
    "/credit_notes.json": ["credit_note", "invoice"],
    "/debit_notes.json": ["debit_note", "invoice"],
    "/devolutions.json": ["devolution", "shipping"],
    "/fees_notes.json": ["fees_note", "quote"],
    "/invoice_receipts.json": ["invoice_receipt", "invoice"],
    "/proformas.json": ["proforma", "quote"],
    "/simplified_invoices.json": ["simplified_invoice", "invoice"],
    "/transports.json": ["transport", "shipping"],
  },
  GET: {
    "/credit_notes/{document-id}.json": ["credit_note", "invoice"],
    "/debit_notes/{document-id}.json": ["debit_note", "invoice"],
    "/devolutions/{document-id}.json": ["devolution", "shipping"],
    "/fees_notes/{document-id}.json": ["fees_note", "quote"],
    "/invoice_receipts/{document-id}.json": ["invoice_receipt", "invoice"],
    "/proformas/{document-id}.json": ["proforma", "quote"],
    "/simplified_invoices/{document-id}.json": ["simplified_invoice", "invoice"],
    "/transports/{document-id}.json": ["transport", "shipping"],
  },
  PUT: {
    "/credit_notes/{document-id}.json": ["credit_note", "invoice"],
    "/credit_notes/{document-id}/change-state.json": ["credit_note", "invoice"],
    "/debit_notes/{document-id}.json": ["debit_note", "invoice"],
    "/debit_notes/{document-id}/change-state.json": ["debit_note", "invoice"],
    "/devolutions/{document-id}.json": ["devolution", "shipping"],
    "/devolutions/{document-id}/change-state.json": ["devolution", "shipping"],
    "/fees_notes/{document-id}.json": ["fees_note", "quote"],
    "/fees_notes/{document-id}/change-state.json": ["fees_note", "quote"],
    "/invoice_receipts/{document-id}.json": ["invoice_receipt", "invoice"],
    "/invoice_receipts/{document-id}/change-state.json": ["invoice_receipt", "invoice"],
    "/proformas/{document-id}.json": ["proforma", "quote"],
    "/proformas/{document-id}/change-state.json": ["proforma", "quote"],
    "/simplified_invoices/{document-id}.json": ["simplified_invoice", "invoice"],
    "/simplified_invoices/{document-id}/change-state.json": ["simplified_invoice", "invoice"],
    "/transports/{document-id}.json": ["transport", "shipping"],
    "/transports/{document-id}/change-state.json": ["transport", "shipping"],
  },
};

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
