// The fake clock of the client's tests: vitest's fake setTimeout, clearTimeout, Date and performance,
// so that no test waits real time for a timeout, a Retry-After, a backoff, a rate-limit window or a poll.
//
// Against the loopback fault server, real I/O still runs: a test lets the sockets work with `until`
// (which never moves the clock), then moves the clock by the exact time it means to test. Two rules:
// - never `vi.advanceTimersToNextTimerAsync` there: Node's fetch sets timers of its own, which would fire;
// - a timer of 0 ms set while the fake clock is moving (a 0 ms retry backoff after a deadline fired)
//   is due 1 ms later on that clock: move it by 1 ms more to run it.
import { expect, vi } from "vitest";

export const useFakeClock = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });

/**
 * Lets real I/O run, one turn of the event loop at a time, until `ready()` holds; the fake clock does not move. Throws
 * after 10 s of real time (a test that is already failing: the call did not do what was expected of it).
 */
export async function until(ready: () => boolean, what = "the condition"): Promise<void> {
  const limit = process.hrtime.bigint() + 10_000_000_000n;
  while (!ready()) {
    if (process.hrtime.bigint() > limit) throw new Error(`until: ${what} did not happen`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A promise's state, readable without awaiting it. */
export function track<T>(p: Promise<T>) {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  p.then(
    (value) => Object.assign(state, { done: true, value }),
    (error) => Object.assign(state, { done: true, error }),
  );
  return state;
}

/**
 * Moves the fake clock to `ms` from now: `state` (from {@link track}) is still pending 1 ms before, and settles at `ms`
 * (real I/O runs until it has).
 */
export async function settlesAt(state: { done: boolean }, ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms - 1);
  expect(state.done, `settled before ${ms} ms`).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  await until(() => state.done, "the end of the call");
}

/**
 * Runs `call` on the fake clock against a loopback `server` that stalls: each send (up to `most`) times out `timeoutMs`
 * after it has reached the server (and, given `headersIn`, once that holds: a body that stalls after the headers), then
 * a 0 ms backoff runs. Returns the call's own promise, settled.
 */
export async function timeOutEach<T>(
  call: Promise<T>,
  server: { requests: unknown[] },
  most: number,
  timeoutMs: number,
  headersIn?: () => boolean,
): Promise<T> {
  const state = track(call);
  for (let sent = 1; sent <= most && !state.done; sent++) {
    await until(() => state.done || server.requests.length >= sent, `send ${sent}`);
    if (state.done) break;
    if (headersIn) await until(headersIn, "the headers");
    await vi.advanceTimersByTimeAsync(timeoutMs);
    await vi.advanceTimersByTimeAsync(1);
  }
  await until(() => state.done, "the end of the call");
  return call;
}
