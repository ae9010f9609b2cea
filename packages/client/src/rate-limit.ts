import { sleep } from "./sleep.js";

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
