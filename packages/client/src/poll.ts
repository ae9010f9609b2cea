import { errorFromResponse } from "./errors.js";
import { retryAfterMs } from "./internal.js";
import { sleep } from "./sleep.js";

/** Options of {@link poll}. */
export interface PollOptions {
  /** Wait between attempts, unless the 202 carries `Retry-After`. Default 2000 ms. */
  intervalMs?: number;
  /** Most calls made; still 202 after the last one throws a `timeout` error. Default 30. */
  maxAttempts?: number;
  /** Stops waiting (throws an `aborted` error). Pass it to the call too, to abort a request in flight. */
  signal?: AbortSignal;
}

/**
 * Repeats a call while it answers **202 Accepted** (PDF, QR code and SAF-T generation) and returns
 * the first other result, success or error, unchanged.
 *
 * ```ts
 * const { data } = await poll(() => ix.GET("/api/pdf/{document-id}.json", { params: { path: { "document-id": 1 } } }));
 * ```
 */
export async function poll<R extends { response: Response; error?: unknown }>(
  call: (attempt: number) => Promise<R>,
  { intervalMs = 2000, maxAttempts = 30, signal }: PollOptions = {},
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const result = await call(attempt);
    const { response } = result;
    if (response.status !== 202) return result;
    if (attempt >= maxAttempts) {
      const body = (result as { data?: unknown }).data;
      throw errorFromResponse(response, body, "timeout", `still 202 Accepted after ${attempt} attempts`);
    }
    await sleep(retryAfterMs(response.headers.get("retry-after")) ?? intervalMs, signal);
  }
}
