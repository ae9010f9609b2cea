// The layers in a bundle (a browser, a worker): each one a chunk of its own, loaded when a client
// first switches it on (see layer.ts). `createClient` starts the loads its options need at once.
import { InvoiceXpressError } from "./errors.js";
import type { Layer, Layers } from "./layer.js";

/** The layers loaded so far, by name (for the tests of this variant). */
export const loaded = new Set<keyof Layers>();

function lazy<T>(name: keyof Layers, importer: () => Promise<T>): Layer<T> {
  let pending: Promise<T> | undefined;
  const l: Layer<T> = {
    load: () =>
      (pending ??= importer().then(
        (m) => {
          loaded.add(name);
          l.value = m;
          return m;
        },
        (error: unknown) => {
          pending = undefined; // the next request tries again
          throw new InvoiceXpressError({
            kind: "network",
            detail: `the client's ${name} layer did not load: ${String((error as Error)?.message ?? error)}`,
            cause: error,
          });
        },
      )),
  };
  return l;
}

export const layers: Layers = {
  retry: lazy("retry", () => import("./retry.js")),
  rateLimit: lazy("rateLimit", () => import("./rate-limit.js")),
  timeout: lazy("timeout", () => import("./deadlines.js")),
  log: lazy("log", () => import("./log.js")),
};
