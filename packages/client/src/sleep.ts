import { InvoiceXpressError } from "./errors.js";

/** The error of a call stopped by the caller's signal. */
export const abortedError = (method = "?", url = "?") =>
  new InvoiceXpressError({ kind: "aborted", request: { method, url }, detail: "aborted" });

/** Waits `ms`, or rejects with an `aborted` error as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal | null, method?: string, url?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(method, url));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(method, url));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
