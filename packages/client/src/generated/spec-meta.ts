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
