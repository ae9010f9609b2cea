import type { Redactor } from "./redact.js";

/** What the transport knows about the request behind a response it returned. */
export interface ResponseInfo {
  method: string;
  /** The URL with the API key redacted. */
  url: string;
  redactor: Redactor;
  attempts: number;
}

/** Responses made by the transport, with their (redacted) request. */
export const responseInfo = new WeakMap<Response, ResponseInfo>();

/** Milliseconds to wait from a `Retry-After` header (delta-seconds or HTTP date), if it has one. */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}
