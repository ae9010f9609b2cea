import { InvoiceXpressError } from "./errors.js";

/** The longest delay a timer can take (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
export const TIMER_LIMIT_MS = 2 ** 31 - 1;

/** The default cap of every single wait of the client (retry delays, `Retry-After`, poll intervals): 5 minutes. */
export const MAX_WAIT_MS = 300_000;

/** The error of a call stopped by the caller's signal. */
export const abortedError = (method = "?", url = "?") =>
  new InvoiceXpressError({ kind: "aborted", request: { method, url }, detail: "aborted" });

// One `abort` listener per signal, whatever the number of calls and waits sharing it: Node warns
// (MaxListenersExceededWarning) past 10 listeners on one signal. It is removed with the last watcher.
const watchers = new WeakMap<AbortSignal, { fns: Set<() => void>; listener: () => void }>();

/** Calls `fn` once when `signal` aborts; returns the function that stops watching. */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let entry = watchers.get(signal);
  if (!entry) {
    const fns = new Set<() => void>();
    const listener = () => {
      watchers.delete(signal);
      for (const f of fns) f();
      fns.clear();
    };
    entry = { fns, listener };
    watchers.set(signal, entry);
    signal.addEventListener("abort", listener, { once: true });
  }
  const own = entry;
  const once = () => fn();
  own.fns.add(once);
  return () => {
    if (!own.fns.delete(once) || own.fns.size > 0) return;
    if (watchers.get(signal) === own) watchers.delete(signal);
    signal.removeEventListener("abort", own.listener);
  };
}

/** A wait in whole milliseconds, from 0 to the timer limit: negative, NaN and non-numbers wait 0. */
export const clampWait = (ms: number): number =>
  Number.isFinite(ms) && ms > 0 ? Math.min(Math.ceil(ms), TIMER_LIMIT_MS) : ms === Infinity ? TIMER_LIMIT_MS : 0;

/**
 * Waits `ms` (clamped to 0 … {@link TIMER_LIMIT_MS}: never a timer overflow), or rejects with an
 * `aborted` error as soon as `signal` aborts.
 */
export function sleep(ms: number, signal?: AbortSignal | null, method?: string, url?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(method, url));
    const stop = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(abortedError(method, url));
        })
      : undefined;
    const timer = setTimeout(() => {
      stop?.();
      resolve();
    }, clampWait(ms));
  });
}
