/** What a sandbox handler receives and answers. */
import type { Account } from "./account.js";

export interface SandboxRequest {
  method: string;
  operationId: string;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** The mock's own origin as the caller reached it (`http://127.0.0.1:4010`), for file URLs. */
  origin: string;
}

export interface SandboxAnswer {
  status: number;
  /** A JSON body; absent for an empty one. */
  body?: unknown;
  /** A file instead of JSON. */
  file?: { bytes: Buffer; contentType: string };
}

/** Answers one operation from the account; refuses by throwing the toolkit's `Refusal`. */
export type Handler = (account: Account, req: SandboxRequest) => SandboxAnswer;

/** A path parameter read as an id (`-1`, found nowhere, when it is not one). */
export function idParam(req: SandboxRequest, name: string): number {
  const raw = req.params[name] ?? "";
  return /^\d{1,15}$/.test(raw) ? Number(raw) : -1;
}

/** The request body as an object (`{}` when absent). */
export function bodyOf(req: SandboxRequest): Record<string, unknown> {
  return req.body && typeof req.body === "object" ? (req.body as Record<string, unknown>) : {};
}
