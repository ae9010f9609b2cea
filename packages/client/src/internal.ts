import type { Redactor } from "./redact.js";

/** What the transport knows about the request behind a response it returned. */
export interface ResponseInfo {
  method: string;
  /** The URL with the API key redacted. */
  url: string;
  redactor: Redactor;
  attempts: number;
  /** Something the error message should say besides the server's messages (a refused wait, a cut body). */
  note?: string;
}

/** Responses returned by the transport, with their (redacted) request: the one store. */
export const responseInfo = new WeakMap<Response, ResponseInfo>();

const DIGITS = /^\s*\d+\s*$/;
// IMF-fixdate and the two obsolete forms of RFC 9110: they all name a month.
const HTTP_DATE = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b/i;

/**
 * Milliseconds to wait from a `Retry-After` header: delta-seconds (digits only) or an HTTP date
 * (a past date is 0). Anything else (negative, fractional, garbage) is `undefined`: no advice.
 * The result may exceed any timer; the caller caps it.
 */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (DIGITS.test(header)) return Number(header) * 1000;
  if (!HTTP_DATE.test(header)) return undefined;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
