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

/** Responses made by the transport, with their (redacted) request. */
export const responseInfo = new WeakMap<Response, ResponseInfo>();
