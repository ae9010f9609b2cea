import type * as Deadlines from "./deadlines.js";
import type * as Log from "./log.js";
import type * as RateLimit from "./rate-limit.js";
import type * as Retry from "./retry.js";

/**
 * A part of the transport that only some clients use: retries, the rate limiter, the timeout's
 * timer, the log hook. `value` is the module once it is there; `load()` brings it.
 *
 * Under Node (the package's `node` condition) every layer is there from the start
 * (`layers.ts`). Elsewhere (a bundle for a browser or a worker) the layers are separate chunks,
 * loaded when a client switches them on (`layers-lazy.ts`): a client with retries, rate limit,
 * timeout and log switched off never loads them.
 */
export interface Layer<T> {
  value?: T;
  load(): Promise<T>;
}

export interface Layers {
  retry: Layer<typeof Retry>;
  rateLimit: Layer<typeof RateLimit>;
  timeout: Layer<typeof Deadlines>;
  log: Layer<typeof Log>;
}
