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

type Timer = ReturnType<typeof setTimeout> & { ref?: () => unknown; unref?: () => unknown };

/**
 * Deadlines sharing one timer: `watch(ms, fire)` calls `fire` after `ms` unless the function it
 * returns is called first. The timer is armed for the earliest deadline in flight and is not
 * cleared when that one ends early: when it fires, it fires what is due and re-arms for the
 * next. While no deadline is in flight it does not keep the process alive (`unref`, or cleared
 * where timers have no `unref`). A call no longer sets and clears a timer of its own.
 */
export function createDeadlines(): (ms: number, fire: () => void) => () => void {
  const live = new Set<{ at: number; fire: () => void }>();
  let timer: Timer | undefined;
  let armedAt = Infinity;
  const arm = (at: number, now: number) => {
    if (timer !== undefined) {
      if (at >= armedAt) return;
      clearTimeout(timer);
    }
    // When it fires: the deadline, or sooner when the deadline is past the timer limit.
    const delay = clampWait(at - now);
    armedAt = now + delay;
    timer = setTimeout(check, delay) as Timer;
  };
  const check = () => {
    // The timer's own clock counts too: when it fires, its moment has come.
    const now = Math.max(performance.now(), armedAt);
    timer = undefined;
    armedAt = Infinity;
    let next = Infinity;
    for (const w of live) {
      if (w.at <= now) {
        live.delete(w);
        w.fire();
      } else if (w.at < next) next = w.at;
    }
    if (next < Infinity) arm(next, now);
  };
  return (ms, fire) => {
    const now = performance.now();
    const w = { at: now + ms, fire };
    if (live.size === 0) timer?.ref?.();
    live.add(w);
    arm(w.at, now);
    return () => {
      if (!live.delete(w) || live.size > 0 || timer === undefined) return;
      if (timer.unref) timer.unref();
      else {
        clearTimeout(timer);
        timer = undefined;
        armedAt = Infinity;
      }
    };
  };
}
