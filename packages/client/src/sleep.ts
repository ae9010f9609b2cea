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
