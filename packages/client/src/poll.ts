import { errorFromResponse, responseInfo, retryAfterMs } from "./errors.js";
import { MAX_WAIT_MS, sleep, TIMER_LIMIT_MS } from "./sleep.js";

/** Options of {@link poll}. */
export interface PollOptions {
  /** Wait between attempts, unless the 202 carries `Retry-After`. Default 2000 ms. */
  intervalMs?: number;
  /** Most calls made; still 202 after the last one throws a `timeout` error. Default 30. */
  maxAttempts?: number;
  /** Stops waiting (throws an `aborted` error). Pass it to the call too, to abort a request in flight. */
  signal?: AbortSignal;
  /**
   * The longest single wait: a `Retry-After` asking for more throws a `timeout` error at once instead of waiting.
   * Default 300 000 ms (5 minutes); at most 2^31 - 1.
   */
  maxWaitMs?: number;
  /**
   * The longest the whole poll may take, waits included: a wait that would end later throws a `timeout` error at once.
   * Default 600 000 ms (10 minutes).
   */
  deadlineMs?: number;
}

const check = (name: string, value: number, min: number, max: number) => {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new TypeError(`poll: ${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
};

/**
 * Repeats a call while it answers **202 Accepted** (PDF, QR code and SAF-T generation) and returns the first other
 * result, success or error, unchanged.
 *
 * ```ts
 * const { data } = await poll(() => ix.GET("/api/pdf/{document-id}.json", { params: { path: { "document-id": 1 } } }));
 * ```
 */
export async function poll<R extends { response: Response; error?: unknown }>(
  call: (attempt: number) => Promise<R>,
  { intervalMs = 2000, maxAttempts = 30, signal, maxWaitMs = MAX_WAIT_MS, deadlineMs = 600_000 }: PollOptions = {},
): Promise<R> {
  check("maxWaitMs", maxWaitMs, 0, TIMER_LIMIT_MS);
  check("deadlineMs", deadlineMs, 0, Number.MAX_SAFE_INTEGER);
  const started = performance.now();
  check("intervalMs", intervalMs, 0, maxWaitMs);
  check("maxAttempts", maxAttempts, 1, Number.MAX_SAFE_INTEGER);
  for (let attempt = 1; ; attempt++) {
    const result = await call(attempt);
    const { response } = result;
    if (response.status !== 202) return result;
    const late = (why: string) =>
      errorFromResponse(response, (result as { data?: unknown }).data, "timeout", `still 202 Accepted after ${why}`);
    if (attempt >= maxAttempts) throw late(`${attempt} attempts`);
    const asked = retryAfterMs(response.headers.get("retry-after"));
    if (asked !== undefined && asked > maxWaitMs)
      throw late(
        `${attempt} attempt(s); the server asks to wait ${Math.ceil(asked / 1000)} s (Retry-After), more than maxWaitMs (${maxWaitMs} ms)`,
      );
    const wait = asked ?? intervalMs;
    const spent = Math.round(performance.now() - started);
    if (spent + wait > deadlineMs)
      throw late(
        `${attempt} attempt(s) in ${spent} ms; waiting ${wait} ms more would pass deadlineMs (${deadlineMs} ms)`,
      );
    const { method, url } = responseInfo.get(response) ?? {}; // an abort names the request it waited for
    await sleep(wait, signal, method, url, `aborted while waiting for a 202 to finish (${attempt} attempt(s))`);
  }
}
