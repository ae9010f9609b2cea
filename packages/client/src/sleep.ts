import { InvoiceXpressError } from "./errors.js";

/** The longest delay a timer can take (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
export const TIMER_LIMIT_MS = 2 ** 31 - 1;

/** The default cap of every single wait of the client (retry delays, `Retry-After`, poll intervals): 5 minutes. */
export const MAX_WAIT_MS = 300_000;

/** The error of a call stopped by the caller's signal. */
export const abortedError = (method = "?", url = "?", detail = "aborted") =>
  new InvoiceXpressError({ kind: "aborted", request: { method, url }, detail });

/** A wait in whole milliseconds, from 0 to the timer limit: negative, NaN and non-numbers wait 0. */
export const clampWait = (ms: number): number =>
  Number.isFinite(ms) && ms > 0 ? Math.min(Math.ceil(ms), TIMER_LIMIT_MS) : ms === Infinity ? TIMER_LIMIT_MS : 0;

/**
 * Waits `ms` (clamped to 0 … {@link TIMER_LIMIT_MS}: never a timer overflow), or rejects with an `aborted` error as
 * soon as `signal` aborts. It listens on a signal of its own that follows the caller's (`AbortSignal.any`), so any
 * number of waits may share one signal without adding a listener to it (no `MaxListenersExceededWarning`).
 */
export function sleep(ms: number, signal?: AbortSignal | null, method?: string, url?: string, detail?: string) {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(method, url, detail));
    const own = signal ? AbortSignal.any([signal]) : undefined;
    const stop = () => {
      clearTimeout(timer);
      reject(abortedError(method, url, detail));
    };
    const timer = setTimeout(() => {
      own?.removeEventListener("abort", stop);
      resolve();
    }, clampWait(ms));
    own?.addEventListener("abort", stop, { once: true });
  });
}

/** Waits for a free slot; returns `undefined` when one is free now (no extra tick). */
export type RateLimiter = (signal?: AbortSignal | null, method?: string, url?: string) => Promise<void> | undefined;

/**
 * A sliding-window limiter: at most `requests` sends in any `intervalMs`. It remembers the time of the last `requests`
 * sends in a ring; a send waits until the oldest of them leaves the window. Times come from the monotonic clock
 * (`performance.now()`): a wall clock stepped back or forward neither stalls nor lets a burst through.
 */
export function createRateLimiter(
  requests: number,
  intervalMs = 60_000,
  now: () => number = () => performance.now(),
): RateLimiter {
  const ring = new Array<number>(requests).fill(-Infinity);
  let next = 0;
  const take: RateLimiter = (signal, method, url) => {
    const t = now();
    const wait = ring[next]! + intervalMs - t;
    if (wait <= 0) {
      ring[next] = t;
      next = (next + 1) % requests;
      return undefined;
    }
    return sleep(wait, signal, method, url).then(() => take(signal, method, url));
  };
  return take;
}
