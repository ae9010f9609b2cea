// Promise: the client never waits without bound. Every wait (poll interval, Retry-After, retry
// backoff, rate limiter) is capped, a server asking for longer gets a clear error at once,
// values past the timer limit or negative never turn into a burst, the limiter keeps to the
// monotonic clock, and any number of calls may share one AbortSignal without a listener warning.
// Fake timers throughout: nothing here depends on the machine's speed.
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createClient,
  createRateLimiter,
  InvoiceXpressError,
  MAX_WAIT_MS,
  poll,
  type RetryOptions,
  unwrap,
} from "../../src/index.js";
import { sleep } from "../../src/sleep.js";
import { useFakeClock as fake, track } from "../fake-clock.js";
import { tally } from "./tally.js";

const counts = tally("never-waits-forever", "wait scenarios");

afterEach(() => {
  vi.useRealTimers();
});

const accepted = (retryAfter?: string) =>
  new Response('{"message":"working"}', {
    status: 202,
    headers: { "content-type": "application/json", ...(retryAfter === undefined ? {} : { "retry-after": retryAfter }) },
  });

/** A poll whose every call answers 202 with this Retry-After; counts the calls. */
function pollWith(retryAfter: string | undefined, options: Parameters<typeof poll>[1] = {}) {
  let calls = 0;
  const state = track(
    poll(async () => {
      calls++;
      return { response: accepted(retryAfter), data: undefined };
    }, options),
  );
  return { state, calls: () => calls };
}

/** A client whose fetch always answers `status` with this Retry-After; counts the sends. */
function clientWith(status: number, retryAfter: string | undefined, retry: RetryOptions) {
  let sends = 0;
  const client = createClient({
    baseUrl: "http://127.0.0.1:1",
    apiKey: "wait-key",
    rateLimit: false,
    timeoutMs: 0,
    retry,
    fetch: async () => {
      sends++;
      return new Response("{}", {
        status,
        headers: { "content-type": "application/json", ...(retryAfter ? { "retry-after": retryAfter } : {}) },
      });
    },
  });
  return { client, sends: () => sends };
}

const HUGE = 10 ** 13; // a user maxElapsedMs far past the timer limit
const PAST_TIMER = String(Math.ceil(2 ** 31 / 1000) + 1); // seconds beyond 2^31 - 1 ms

describe("poll", () => {
  for (const [name, header] of [
    ["Retry-After: 999999 (eleven days)", "999999"],
    ["Retry-After past the timer limit", PAST_TIMER],
  ] as const)
    it(`${name}: a clear timeout error at once, no burst`, async () => {
      fake();
      const { state, calls } = pollWith(header, { intervalMs: 10 });
      await vi.advanceTimersByTimeAsync(1000);
      const ok = state.done && state.error instanceof InvoiceXpressError && calls() === 1;
      counts.check(!ok, { scenario: `poll ${name}` });
      expect(calls()).toBe(1);
      expect(state.done).toBe(true);
      expect((state.error as InvoiceXpressError).kind).toBe("timeout");
      expect((state.error as Error).message).toMatch(/Retry-After.*maxWaitMs/);
    });

  for (const header of ["-1", "-999999", "1.5", "1e3", "soon", "  ", "0x10", "Infinity"])
    it(`Retry-After: ${JSON.stringify(header)} is no advice: the interval is used`, async () => {
      fake();
      const { state, calls } = pollWith(header, { intervalMs: 2000, maxAttempts: 30 });
      await vi.advanceTimersByTimeAsync(1999);
      const early = calls();
      await vi.advanceTimersByTimeAsync(2);
      counts.check(early !== 1 || calls() !== 2, { scenario: `poll Retry-After ${header}` });
      expect(early).toBe(1);
      expect(calls()).toBe(2);
      expect(state.done).toBe(false);
    });

  it("a Retry-After within maxWaitMs is waited for, exactly", async () => {
    fake();
    const { calls } = pollWith("120", { intervalMs: 10, maxWaitMs: 120_000 });
    await vi.advanceTimersByTimeAsync(119_999);
    const early = calls();
    await vi.advanceTimersByTimeAsync(2);
    counts.check(early !== 1 || calls() !== 2, { scenario: "poll Retry-After within the cap" });
    expect([early, calls()]).toEqual([1, 2]);
  });

  it("an interval or cap past the timer limit, or negative, is refused up front", async () => {
    for (const options of [
      { intervalMs: 2 ** 31 },
      { intervalMs: MAX_WAIT_MS + 1 },
      { intervalMs: -1 },
      { intervalMs: Number.NaN },
      { maxWaitMs: 2 ** 31 },
    ]) {
      const { state, calls } = pollWith(undefined, options);
      await Promise.resolve();
      await Promise.resolve();
      counts.check(!(state.error instanceof TypeError) || calls() !== 0, {
        scenario: `poll ${JSON.stringify(options)}`,
      });
      expect(state.error, JSON.stringify(options)).toBeInstanceOf(TypeError);
      expect(calls()).toBe(0);
    }
  });
});

describe("retries", () => {
  for (const [name, status, header] of [
    ["429 Retry-After: 999999", 429, "999999"],
    ["503 Retry-After past the timer limit", 503, PAST_TIMER],
  ] as const)
    it(`${name} with a huge maxElapsedMs: not retried, returned at once, the error says why`, async () => {
      fake();
      const { client, sends } = clientWith(status, header, { attempts: 4, maxElapsedMs: HUGE });
      const state = track(client.GET("/clients.json"));
      await vi.advanceTimersByTimeAsync(1000);
      counts.check(!state.done || sends() !== 1, { scenario: `retry ${name}` });
      expect(sends()).toBe(1);
      expect(state.done).toBe(true);
      const error = (() => {
        try {
          unwrap(state.value as never);
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error?.message).toMatch(
        /not retried: the server asks to wait \d+ s \(Retry-After\), more than retry\.maxWaitMs/,
      );
    });

  it("429 Retry-After: -1 falls back to the backoff, not to a burst", async () => {
    fake();
    const { client, sends } = clientWith(429, "-1", { attempts: 4, baseDelayMs: 1000, maxDelayMs: 1000 });
    const state = track(client.GET("/clients.json"));
    await vi.advanceTimersByTimeAsync(400);
    counts.check(sends() !== 1, { scenario: "retry Retry-After -1" });
    expect(sends()).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sends()).toBe(4);
    expect(state.done).toBe(true);
  });

  it("a backoff asked past the cap waits the cap, no more", async () => {
    fake();
    const { client, sends } = clientWith(500, undefined, {
      attempts: 2,
      baseDelayMs: 10 ** 9,
      maxDelayMs: 10 ** 10,
      maxElapsedMs: HUGE,
    });
    const state = track(client.GET("/clients.json"));
    await vi.advanceTimersByTimeAsync(MAX_WAIT_MS);
    counts.check(sends() !== 2, { scenario: "retry backoff past the cap" });
    expect(sends()).toBe(2);
    expect(state.done).toBe(true);
  });

  it("a Retry-After longer than what is left of maxElapsedMs: not retried, and the error says so", async () => {
    fake();
    const { client, sends } = clientWith(429, "120", { attempts: 4, maxElapsedMs: 60_000 });
    const result = await client.GET("/clients.json");
    counts.check(sends() !== 1, { scenario: "retry Retry-After beyond maxElapsedMs" });
    expect(sends()).toBe(1);
    expect(() => unwrap(result)).toThrow(/Retry-After\), more than is left of retry\.maxElapsedMs/);
  });

  it("sleep() past the timer limit does not fire at once", async () => {
    fake();
    const state = track(sleep(2 ** 40));
    await vi.advanceTimersByTimeAsync(10_000);
    counts.check(state.done, { scenario: "sleep past the timer limit" });
    expect(state.done).toBe(false);
  });
});

describe("the rate limiter keeps to the monotonic clock", () => {
  it("a wall clock stepped back an hour does not stall the next call", async () => {
    fake();
    const take = createRateLimiter(1, 1000);
    expect(take()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1001);
    vi.setSystemTime(Date.now() - 3_600_000);
    const next = take();
    counts.check(next !== undefined, { scenario: "limiter clock stepped back" });
    expect(next).toBeUndefined();
  });

  it("a wall clock stepped forward an hour does not let a burst through", async () => {
    fake();
    const take = createRateLimiter(2, 1000);
    expect(take()).toBeUndefined();
    expect(take()).toBeUndefined();
    vi.setSystemTime(Date.now() + 3_600_000);
    const next = take();
    counts.check(next === undefined, { scenario: "limiter clock stepped forward" });
    expect(next).toBeInstanceOf(Promise);
    const state = track(next!);
    await vi.advanceTimersByTimeAsync(999);
    expect(state.done).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(state.done).toBe(true);
  });
});

describe("one AbortSignal shared by many calls", () => {
  it("no MaxListenersExceededWarning, at most one abort listener, whatever the number of calls", async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => void warnings.push(w);
    process.on("warning", onWarning);
    try {
      fake();
      const controller = new AbortController();
      let most = 0;
      const client = createClient({
        baseUrl: "http://127.0.0.1:1",
        apiKey: "signal-key",
        rateLimit: { requests: 5, intervalMs: 1000 }, // most calls wait in the limiter, with the signal
        retry: { attempts: 2, baseDelayMs: 100, maxDelayMs: 100 },
        timeoutMs: 5000,
        fetch: async () => {
          most = Math.max(most, getEventListeners(controller.signal, "abort").length);
          await new Promise((r) => setTimeout(r, 50));
          return new Response("", { status: 503 });
        },
      });
      const calls = Array.from({ length: 40 }, () => client.GET("/clients.json", { signal: controller.signal }));
      await vi.advanceTimersByTimeAsync(100);
      most = Math.max(most, getEventListeners(controller.signal, "abort").length);
      await vi.advanceTimersByTimeAsync(20_000);
      const results = await Promise.all(calls);
      vi.useRealTimers();
      await new Promise((r) => setImmediate(r)); // warnings are emitted on a later tick (process.nextTick)
      const found = warnings.filter((w) => w.name === "MaxListenersExceededWarning");
      counts.check(found.length > 0 || most > 1, { scenario: "40 calls, one signal" });
      expect(results.every((r) => r.response.status === 503)).toBe(true);
      expect(most).toBeLessThanOrEqual(1);
      expect(found).toEqual([]);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("aborting the shared signal stops every call and every wait", async () => {
    fake();
    const controller = new AbortController();
    const client = createClient({
      baseUrl: "http://127.0.0.1:1",
      apiKey: "signal-key",
      rateLimit: { requests: 2, intervalMs: 1000 },
      retry: false,
      timeoutMs: 0,
      fetch: (_url, init) =>
        new Promise((_r, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted")))),
    });
    const states = Array.from({ length: 20 }, () =>
      track(client.GET("/clients.json", { signal: controller.signal }).catch((e) => e)),
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    const allAborted = states.every((s) => s.done && (s.value as InvoiceXpressError).kind === "aborted");
    counts.check(!allAborted, { scenario: "abort a shared signal" });
    expect(allAborted).toBe(true);
  });
});

it("every wait scenario was counted, and none waited without bound", () => {
  expect(counts.checks).toBeGreaterThanOrEqual(20);
  expect(counts.found).toBe(0);
});
