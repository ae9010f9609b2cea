import { InvoiceXpressError } from "./errors.js";

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
