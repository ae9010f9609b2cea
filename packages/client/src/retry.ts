// The retry layer: which failures a request may retry, and how long to wait before the next
// attempt. Loaded by the transport when retries are on (the default), never for `retry: false`.
import { retryAfterMs } from "./retry-after.js";
import { clampWait, MAX_WAIT_MS, sleep, TIMER_LIMIT_MS } from "./sleep.js";
import type { RetryOptions } from "./transport.js";

export { sleep };

// What may be retried, as bits: 429, 409, 5xx, no response (network error or timeout).
export const R429 = 1;
export const R409 = 2;
export const R5XX = 4;
export const RNET = 8;

const decoder = new TextDecoder();

/**
 * Whether a serialised body is a JSON object whose **top-level** `proprietary_uid` is a
 * non-empty string. FormData, streams, blobs and anything that does not parse are not.
 */
export function hasTopLevelUid(body: unknown): boolean {
  if (typeof body !== "string" && !(body instanceof ArrayBuffer)) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === "string" ? body : decoder.decode(body));
  } catch {
    return false;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return false;
  const uid = (parsed as Record<string, unknown>).proprietary_uid;
  return typeof uid === "string" && uid.trim() !== "";
}

/**
 * The failures a request may be retried after: a GET or HEAD after 429, 5xx and no response; a
 * POST only when the operation de-duplicates on `proprietary_uid` and the body has one (then
 * after 409 too); any other method only after 429 (refused before it was handled).
 */
export function retryMask(method: string, dedupes: boolean | undefined, body: unknown): number {
  if (method === "GET" || method === "HEAD") return R429 | R5XX | RNET;
  if (method === "POST")
    // a POST that the server cannot de-duplicate is sent exactly once, whatever happens
    return dedupes === true && hasTopLevelUid(body) ? R429 | R409 | R5XX | RNET : 0;
  return R429;
}

/** Why an attempt failed, as one of the bits above (0: not a reason to retry). */
export const reasonOf = (status: number, aborted: boolean, failed: boolean): number =>
  failed ? (aborted ? 0 : RNET) : status === 429 ? R429 : status === 409 ? R409 : status >= 500 ? R5XX : 0;

/**
 * After attempt `attempt` failed for a retryable reason: the delay before the next attempt (a
 * number), or why there is none (a note for the error, or `undefined` when the attempts or the
 * time are simply used up).
 */
export function nextDelay(
  retry: Required<RetryOptions>,
  attempt: number,
  response: Response | undefined,
  started: number,
): number | string | undefined {
  if (attempt >= retry.attempts) return undefined;
  const maxWait = Math.min(clampWait(retry.maxWaitMs ?? MAX_WAIT_MS), TIMER_LIMIT_MS);
  const exp = Math.min(retry.maxDelayMs, maxWait, retry.baseDelayMs * 2 ** (attempt - 1));
  const asked = retryAfterMs(response?.headers.get("retry-after"));
  const delay = asked ?? exp / 2 + (Math.random() * exp) / 2;
  const left = retry.maxElapsedMs - (performance.now() - started);
  if (delay <= maxWait && delay <= left) return delay;
  if (asked === undefined) return undefined;
  return `not retried: the server asks to wait ${Math.ceil(asked / 1000)} s (Retry-After), more than ${
    asked > maxWait
      ? `retry.maxWaitMs (${maxWait} ms)`
      : `is left of retry.maxElapsedMs (${Math.max(0, Math.floor(left))} ms)`
  }`;
}
