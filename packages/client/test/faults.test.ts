import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type ClientOptions, createClient, InvoiceXpressError, type LogEvent, unwrap } from "../src/index.js";
import { settlesAt, timeOutEach, track, until, useFakeClock } from "./fake-clock.js";
import { type Fault, type FaultServer, startFaultServer } from "./fault-server.js";

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

// No test here waits real time for a timer. Retries over loopback back off by 0 ms; the waits
// (backoff, Retry-After, rate-limit windows) are tested with a fetch that answers at once and
// vitest's fake clock (setTimeout, Date, performance), where the times are exact. The timeouts are
// tested against the loopback server on the fake clock too: the test lets the request reach the
// server, then moves the clock to the deadline (see fake-clock.ts).
const fast = { attempts: 3, baseDelayMs: 0, maxDelayMs: 0, maxElapsedMs: 10_000 };

afterEach(() => {
  vi.useRealTimers();
});

/** A fetch that answers from a script at once (the last answer repeats) and records each send. */
function scripted(...answers: Array<{ status: number; headers?: Record<string, string>; json?: unknown }>) {
  const sent: Array<{ method: string; url: string; at: number; perf: number }> = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    sent.push({ method: init?.method ?? "GET", url: String(input), at: Date.now(), perf: performance.now() });
    const a = answers[Math.min(sent.length, answers.length) - 1]!;
    return new Response(a.json === undefined ? null : JSON.stringify(a.json), {
      status: a.status,
      headers: { "content-type": "application/json", ...a.headers },
    });
  };
  return { fetch, sent };
}

/** Runs a call to its end on the fake clock, moving the clock to each wait the client sets. */
async function onFakeClock<T>(call: () => Promise<T>): Promise<T> {
  if (!vi.isFakeTimers()) useFakeClock();
  let done = false;
  const p = call().finally(() => {
    done = true;
  });
  for (let i = 0; !done && i < 10_000; i++) await vi.advanceTimersToNextTimerAsync();
  return p;
}
const make = (options: Partial<ClientOptions> = {}) =>
  createClient({
    baseUrl: server.url,
    apiKey: "fault-key",
    retry: fast,
    rateLimit: false,
    timeoutMs: 2000,
    ...options,
  });

const ok: Fault = { status: 200, json: { clients: [{ name: "A" }], pagination: { total_pages: 1 } } };
const created: Fault = { status: 201, json: { invoice: { id: 1 } } };
const invoiceBody = (extra: Record<string, unknown> = {}) => ({
  invoice: {
    date: "01/01/2024",
    due_date: "01/01/2024",
    client: { name: "C", code: "1" },
    items: [{ name: "I", description: "D", unit_price: 1, quantity: 1 }],
  },
  ...extra,
});

async function caught(p: Promise<unknown>): Promise<InvoiceXpressError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InvoiceXpressError);
    return e as InvoiceXpressError;
  }
  throw new Error("expected the call to throw");
}

describe("GET is retried on 429, 5xx and network failures", () => {
  it("429 with Retry-After: 0, then 200: two requests", async () => {
    server.script({ status: 429, headers: { "retry-after": "0" } }, ok);
    const { data, response } = await make().GET("/clients.json");
    expect(response.status).toBe(200);
    expect(data?.clients[0]?.name).toBe("A");
    expect(server.requests).toHaveLength(2);
  });

  it("honours Retry-After in seconds (fake clock: exactly one second)", async () => {
    const { fetch, sent } = scripted({ status: 429, headers: { "retry-after": "1" } }, { status: 200, json: {} });
    const { response } = await onFakeClock(() => make({ fetch }).GET("/clients.json"));
    expect(response.status).toBe(200);
    expect(sent).toHaveLength(2);
    // Seconds, not milliseconds read as seconds (1000 s) nor another unit.
    expect(sent[1]!.at - sent[0]!.at).toBe(1000);
  });

  it("honours Retry-After as an HTTP date (fake clock: sent at that second)", async () => {
    const when = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000);
    const { fetch, sent } = scripted(
      { status: 429, headers: { "retry-after": when.toUTCString() } },
      { status: 200, json: {} },
    );
    vi.setSystemTime(when.getTime() - 1500);
    await onFakeClock(() => make({ fetch }).GET("/clients.json"));
    expect(sent.map((r) => r.at)).toEqual([when.getTime() - 1500, when.getTime()]);
  });

  it("429 without Retry-After: backs off and stops after `attempts`, returning the last 429", async () => {
    server.script({ status: 429 });
    const result = await make({ retry: { ...fast, attempts: 4 } }).GET("/clients.json");
    expect(result.response.status).toBe(429);
    expect(server.requests).toHaveLength(4);
    const err = await caught(Promise.resolve().then(() => unwrap(result)));
    expect(err.kind).toBe("rate_limited");
    expect(err.attempts).toBe(4);
  });

  for (const status of [500, 502, 503]) {
    it(`${status} then 200: two requests`, async () => {
      server.script({ status }, ok);
      expect((await make().GET("/clients.json")).response.status).toBe(200);
      expect(server.requests).toHaveLength(2);
    });
  }

  it("always 503: exactly `attempts` requests, then the 503 is returned", async () => {
    server.script({ status: 503, body: "" });
    const { response } = await make().GET("/clients.json");
    expect(response.status).toBe(503);
    expect(server.requests).toHaveLength(3);
  });

  it("a reset connection, then 200: two requests", async () => {
    server.script({ reset: true }, ok);
    expect((await make().GET("/clients.json")).response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it("always reset: throws a network error after `attempts` requests", async () => {
    server.script({ reset: true });
    const err = await caught(make().GET("/clients.json"));
    expect(err.kind).toBe("network");
    expect(err.status).toBeUndefined();
    expect(err.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
  });

  it("a stall past the timeout is a timeout, retried (fake clock: 100 ms for each attempt)", async () => {
    useFakeClock();
    server.script({ stall: true });
    const call = track(caught(make({ timeoutMs: 100, retry: { ...fast, attempts: 2 } }).GET("/clients.json")));
    for (const sent of [1, 2]) {
      await until(() => server.requests.length === sent, `send ${sent}`);
      await vi.advanceTimersByTimeAsync(99);
      expect(call.done).toBe(false);
      expect(server.requests).toHaveLength(sent);
      await vi.advanceTimersByTimeAsync(1); // this attempt's deadline
      await vi.advanceTimersByTimeAsync(1); // the 0 ms backoff (see fake-clock.ts)
    }
    await until(() => call.done, "the end of the call");
    expect(call.value!.kind).toBe("timeout");
    expect(call.value!.message).toContain("100 ms");
    expect(server.requests).toHaveLength(2);
  });

  it("the timeout covers the body: headers then a stalled body is a timeout (fake clock)", async () => {
    useFakeClock();
    server.script({ stallBody: true });
    const events: LogEvent[] = [];
    const call = track(caught(make({ timeoutMs: 150, retry: false, log: (e) => events.push(e) }).GET("/clients.json")));
    // The 200's headers are in (the client logs them) and the body is being read when the deadline passes.
    await until(() => events.some((e) => e.type === "response"), "the headers");
    expect(events.find((e) => e.type === "response")?.status).toBe(200);
    await settlesAt(call, 150);
    expect(call.value!.kind).toBe("timeout");
    expect(server.requests).toHaveLength(1);
  });

  it("the timeout is per request, not per client (fake clock)", async () => {
    useFakeClock();
    const client = make({ timeoutMs: 300, retry: false });
    await vi.advanceTimersByTimeAsync(400); // longer than the timeout passes between creating the client and the calls
    server.script(ok);
    expect((await client.GET("/clients.json")).response.status).toBe(200);
    server.script({ stall: true });
    const call = track(caught(client.GET("/clients.json")));
    await until(() => server.requests.length === 1, "the send");
    await settlesAt(call, 300); // the call has its own 300 ms, from when it was sent
    expect(call.value!.kind).toBe("timeout");
  });

  it("never retries other 4xx", async () => {
    for (const status of [400, 401, 403, 404, 406, 422]) {
      server.script({ status, body: "" });
      const { response } = await make().GET("/clients.json");
      expect(response.status).toBe(status);
      expect(server.requests, String(status)).toHaveLength(1);
    }
  });

  it("an HTML 500 page: retried, then an error whose messages come from the <title>", async () => {
    server.script({
      status: 500,
      headers: { "content-type": "text/html" },
      body: "<html><head><title>We're sorry, but something went wrong</title></head><body>…</body></html>",
    });
    const result = await make().GET("/clients.json");
    expect(server.requests).toHaveLength(3);
    const err = await caught(Promise.resolve().then(() => unwrap(result)));
    expect(err).toMatchObject({ kind: "server", status: 500, messages: ["We're sorry, but something went wrong"] });
    expect(err.body).toContain("<html>");
  });

  it("an empty 401: one request, kind unauthorized, no messages", async () => {
    server.script({ status: 401, body: "" });
    const result = await make().GET("/clients.json");
    const err = await caught(Promise.resolve().then(() => unwrap(result)));
    expect(err).toMatchObject({ kind: "unauthorized", status: 401, messages: [], body: undefined });
    expect(err.message).toContain("empty body");
    expect(server.requests).toHaveLength(1);
  });

  it("retries with jittered exponential backoff, capped by maxDelayMs (fake clock: the waits as announced)", async () => {
    const { fetch, sent } = scripted({ status: 503 });
    const events: LogEvent[] = [];
    await onFakeClock(() =>
      make({
        fetch,
        retry: { attempts: 5, baseDelayMs: 2000, maxDelayMs: 6000, maxElapsedMs: 60_000 },
        log: (e) => events.push(e),
      }).GET("/clients.json"),
    );
    const delays = events.filter((e) => e.type === "retry").map((e) => e.delayMs!);
    expect(delays).toHaveLength(4);
    const caps = [2000, 4000, 6000, 6000];
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(caps[i]! / 2);
      expect(d).toBeLessThanOrEqual(caps[i]!);
      // The time between two sends is the announced wait (rounded to the millisecond).
      expect(Math.abs(sent[i + 1]!.perf - sent[i]!.perf - d)).toBeLessThanOrEqual(1);
    });
    expect(sent).toHaveLength(5);
  });

  it("stops when the next wait would pass maxElapsedMs", async () => {
    server.script({ status: 429, headers: { "retry-after": "30" } }, ok);
    const t0 = Date.now();
    const { response } = await make({ retry: { ...fast, maxElapsedMs: 1000 } }).GET("/clients.json");
    expect(response.status).toBe(429);
    expect(server.requests).toHaveLength(1);
    // It gave up at once instead of waiting the 30 s (the bound leaves room for a busy machine).
    expect(Date.now() - t0).toBeLessThan(15_000);
  });
});

describe("a POST without proprietary_uid is sent exactly once, whatever the fault", () => {
  const faults: Array<[string, Fault]> = [
    ["429 with Retry-After", { status: 429, headers: { "retry-after": "0" } }],
    ["429", { status: 429 }],
    ["409", { status: 409, json: { reason: "There's an ongoing document creation" } }],
    ["500", { status: 500 }],
    ["502", { status: 502 }],
    ["503", { status: 503 }],
    ["HTML", { status: 502, headers: { "content-type": "text/html" }, body: "<html>bad gateway</html>" }],
    ["empty", { status: 500, body: "" }],
    ["reset", { reset: true }],
    ["stall", { stall: true }],
    ["stalled body", { stallBody: true, status: 201 }],
  ];
  for (const [name, fault] of faults) {
    it(`${name}: one request to /invoices.json and one to /clients.json`, async () => {
      useFakeClock();
      const events: LogEvent[] = [];
      const client = make({ timeoutMs: 150, retry: { ...fast, attempts: 5 }, log: (e) => events.push(e) });
      const posts: Array<() => Promise<unknown>> = [
        () => client.POST("/invoices.json", { body: invoiceBody() }),
        () => client.POST("/clients.json", { body: { client: { name: "N", code: "C" } } }),
      ];
      for (const post of posts) {
        server.script(fault, created);
        events.length = 0;
        const call = post().catch((e: unknown) => expect(e).toBeInstanceOf(InvoiceXpressError));
        // A stalled call ends at its deadline, on the fake clock (up to 5 sends, as many as it may make).
        const headersIn = "stallBody" in fault ? () => events.some((e) => e.type === "response") : undefined;
        await ("stall" in fault || headersIn ? timeOutEach(call, server, 5, 150, headersIn) : call);
        expect(server.requests).toHaveLength(1);
      }
    });
  }
});

describe("a POST with proprietary_uid is retried with the same uid", () => {
  for (const [name, fault] of [
    [
      "409 (creation still running)",
      { status: 409, json: { reason: "There's an ongoing document creation with the provided UID u-1" } },
    ],
    ["503", { status: 503 }],
    ["429", { status: 429, headers: { "retry-after": "0" } }],
    ["reset", { reset: true }],
  ] as Array<[string, Fault]>) {
    it(`${name}, then 201: two identical requests`, async () => {
      server.script(fault, created);
      const { response, data } = await make().POST("/invoices.json", { body: invoiceBody({ proprietary_uid: "u-1" }) });
      expect(response.status).toBe(201);
      expect(data?.invoice.id).toBe(1);
      expect(server.requests).toHaveLength(2);
      expect(JSON.parse(server.requests[1]!.body)).toEqual(JSON.parse(server.requests[0]!.body));
      expect(JSON.parse(server.requests[0]!.body).proprietary_uid).toBe("u-1");
    });
  }

  it("422 is not retried", async () => {
    server.script({ status: 422, json: { errors: { error: "Elemento client não fornecido" } } }, created);
    const result = await make().POST("/invoices.json", { body: invoiceBody({ proprietary_uid: "u-2" }) });
    expect(result.response.status).toBe(422);
    expect(server.requests).toHaveLength(1);
  });

  it("autoProprietaryUid adds one uid to document creations and reuses it on retry", async () => {
    server.script({ status: 503 }, created);
    const client = make({ autoProprietaryUid: true });
    const body = invoiceBody();
    await client.POST("/invoices.json", { body });
    expect(server.requests).toHaveLength(2);
    const uid = JSON.parse(server.requests[0]!.body).proprietary_uid;
    expect(uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(server.requests[1]!.body).proprietary_uid).toBe(uid);
    expect(body).not.toHaveProperty("proprietary_uid"); // the caller's object is left alone

    server.script(created);
    await client.request("post", "/credit_notes.json", { body: invoiceBody({ proprietary_uid: "mine" }) });
    expect(JSON.parse(server.requests[0]!.body).proprietary_uid).toBe("mine");

    server.script({ status: 503 }, created);
    await client.POST("/clients.json", { body: { client: { name: "N", code: "C" } } });
    expect(server.requests).toHaveLength(1);
    expect(JSON.parse(server.requests[0]!.body)).not.toHaveProperty("proprietary_uid");
  });

  it("autoProprietaryUid takes a generator", async () => {
    server.script(created);
    await make({ autoProprietaryUid: () => "gen-1" }).POST("/simplified_invoices.json", { body: invoiceBody() });
    expect(JSON.parse(server.requests[0]!.body).proprietary_uid).toBe("gen-1");
  });
});

describe("PUT", () => {
  const put = (client: ReturnType<typeof make>) =>
    client.PUT("/invoices/{document-id}/email-document.json", {
      params: { path: { "document-id": 1 } },
      body: { message: { client: { email: "a@b.pt", save: "0" }, subject: "s", body: "b" } },
    });
  const update = (client: ReturnType<typeof make>) =>
    client.PUT("/clients/{client-id}.json", {
      params: { path: { "client-id": 1 } },
      body: { client: { name: "N", code: "C" } },
    });
  it("an update: 429 is retried", async () => {
    server.script({ status: 429, headers: { "retry-after": "0" } }, { status: 200, body: "" });
    expect((await update(make())).response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });
  it("e-mailing a document (x-idempotent: false in the spec): not even 429 is retried", async () => {
    server.script({ status: 429, headers: { "retry-after": "0" } }, { status: 200, body: "" });
    expect((await put(make())).response.status).toBe(429);
    expect(server.requests).toHaveLength(1);
  });
  it("5xx and resets are not", async () => {
    server.script({ status: 503 }, { status: 200, body: "" });
    expect((await update(make())).response.status).toBe(503);
    expect(server.requests).toHaveLength(1);
    server.script({ reset: true }, { status: 200, body: "" });
    expect((await caught(put(make()))).kind).toBe("network");
    expect(server.requests).toHaveLength(1);
  });
});

describe("timeouts and the caller's AbortSignal", () => {
  it("an abort is `aborted`, not `timeout`, and is not retried", async () => {
    server.script({ stall: true });
    const controller = new AbortController();
    const p = caught(make({ timeoutMs: 60_000 }).GET("/clients.json", { signal: controller.signal }));
    // Abort once the request is at the server (a fixed delay could abort before it is sent).
    await until(() => server.requests.length === 1, "the send");
    controller.abort();
    const err = await p;
    expect(err.kind).toBe("aborted");
    expect(server.requests).toHaveLength(1);
  });

  it("an abort during the wait before a retry stops it", async () => {
    server.script({ status: 503 });
    const controller = new AbortController();
    let abortedAt = 0;
    // Abort when the client announces its wait before the retry (a 60 s wait).
    const log = (event: { type: string }) => {
      if (event.type !== "retry") return;
      abortedAt = performance.now();
      controller.abort();
    };
    const p = make({
      retry: { ...fast, baseDelayMs: 60_000, maxDelayMs: 60_000, maxElapsedMs: 600_000 },
      log,
    }).GET("/clients.json", { signal: controller.signal });
    expect((await caught(p)).kind).toBe("aborted");
    expect(abortedAt).toBeGreaterThan(0);
    // It stopped waiting at the abort: far less than the 60 s the retry would have waited.
    expect(performance.now() - abortedAt).toBeLessThan(30_000);
    expect(server.requests).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    server.script(ok);
    const err = await caught(make().GET("/clients.json", { signal: AbortSignal.abort() }));
    expect(err.kind).toBe("aborted");
    expect(server.requests).toHaveLength(0);
  });

  it("the timeout and a signal together: whichever comes first (fake clock)", async () => {
    useFakeClock();
    server.script({ stall: true });
    const controller = new AbortController();
    const client = make({ timeoutMs: 80, retry: false });
    const call = track(caught(client.GET("/clients.json", { signal: controller.signal })));
    await until(() => server.requests.length === 1, "the send");
    await vi.advanceTimersByTimeAsync(80);
    await until(() => call.done, "the end of the call");
    expect(call.value!.kind).toBe("timeout");
  });

  it("per-call options override the client's: timeoutMs and retry (fake clock)", async () => {
    useFakeClock();
    server.script({ stall: true });
    const client = make({ timeoutMs: 10_000 });
    const call = track(caught(client.GET("/clients.json", { timeoutMs: 60, retry: false })));
    await until(() => server.requests.length === 1, "the send");
    await settlesAt(call, 60);
    expect(call.value!.kind).toBe("timeout");
    expect(server.requests).toHaveLength(1);
    server.script({ status: 503 });
    await client.GET("/clients.json", { retry: false });
    expect(server.requests).toHaveLength(1);
  });
});

describe("timeouts of calls in flight together", () => {
  it("overlapping calls each time out at their own deadline (fake clock: at 80 and 400 ms)", async () => {
    useFakeClock();
    server.script({ stall: true });
    const client = make({ timeoutMs: 10_000, retry: false });
    const t0 = performance.now();
    const ends: Record<string, number> = {};
    const long = track(
      caught(client.GET("/clients.json", { timeoutMs: 400 })).then((e) => {
        ends.long = performance.now() - t0;
        return e;
      }),
    );
    const short = track(
      caught(client.GET("/clients.json", { timeoutMs: 80 })).then((e) => {
        ends.short = performance.now() - t0;
        return e;
      }),
    );
    await until(() => server.requests.length === 2, "both sends");
    await vi.advanceTimersByTimeAsync(79);
    expect([short.done, long.done]).toEqual([false, false]);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => short.done, "the end of the short call");
    expect(long.done).toBe(false);
    await vi.advanceTimersByTimeAsync(319);
    expect(long.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => long.done, "the end of the long call");
    expect([long.value!.kind, short.value!.kind]).toEqual(["timeout", "timeout"]);
    expect(ends).toEqual({ short: 80, long: 400 });
  });

  it("a shorter timeout after a call that ended early is not held to the earlier deadline (fake clock)", async () => {
    useFakeClock();
    const client = make({ timeoutMs: 20_000, retry: false });
    server.script(ok);
    expect((await client.GET("/clients.json")).response.status).toBe(200); // its 20 s timeout had not passed
    server.script({ stall: true });
    const t0 = performance.now();
    const call = track(caught(client.GET("/clients.json", { timeoutMs: 60 })));
    await until(() => server.requests.length === 1, "the send");
    await settlesAt(call, 60);
    expect(call.value!.kind).toBe("timeout");
    expect(performance.now() - t0).toBe(60);
  });

  it("a longer timeout after a call that ended early is not cut at the earlier deadline (fake clock)", async () => {
    useFakeClock();
    const client = make({ timeoutMs: 20_000, retry: false });
    server.script(ok);
    expect((await client.GET("/clients.json", { timeoutMs: 30 })).response.status).toBe(200); // its 30 ms had not passed
    server.script({ stall: true });
    const t0 = performance.now();
    const call = track(caught(client.GET("/clients.json", { timeoutMs: 300 })));
    await until(() => server.requests.length === 1, "the send");
    await settlesAt(call, 300); // well past the first call's 30 ms
    expect(call.value!.kind).toBe("timeout");
    expect(performance.now() - t0).toBe(300);
    expect(call.value!.message).toContain("within 300 ms");
  });
});

describe("rate limiting", () => {
  it("keeps a burst within the limit in every window (fake clock: exact windows)", async () => {
    const { fetch, sent } = scripted({ status: 200, json: {} });
    useFakeClock();
    const client = make({ fetch, rateLimit: { requests: 3, intervalMs: 300 } });
    const f0 = performance.now();
    await onFakeClock(() => Promise.all(Array.from({ length: 7 }, () => client.GET("/clients.json"))));
    // Three sends a window: at 0, 300 and 600 ms of the fake clock.
    expect(sent.map((r) => Math.round(r.perf - f0))).toEqual([0, 0, 0, 300, 300, 300, 600]);
  });

  it("defaults to 780 per minute: 780 immediate requests, the next one waits (fake clock)", async () => {
    useFakeClock();
    let sent = 0;
    const client = createClient({
      baseUrl: server.url,
      apiKey: "k",
      fetch: async () => {
        sent++;
        return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
      },
    });
    await Promise.all(Array.from({ length: 780 }, () => client.GET("/clients.json")));
    expect(sent).toBe(780);
    const controller = new AbortController();
    const late = client.GET("/clients.json", { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(sent).toBe(780);
    controller.abort();
    expect((await caught(late)).kind).toBe("aborted");
  });
});

describe("options", () => {
  it("sends the User-Agent", async () => {
    server.script(ok);
    await make({ userAgent: "my-shop/1.0" }).GET("/clients.json");
    expect(server.requests[0]!.headers["user-agent"]).toBe("my-shop/1.0");
  });

  it("logs request, response, retry and error events (the body of an error response, never a success's)", async () => {
    server.script({ status: 503, json: { error: "busy" } }, ok);
    const events: LogEvent[] = [];
    await make({ log: (e) => events.push(e) }).GET("/clients.json", { params: { query: { page: 2 } } });
    expect(events.map((e) => `${e.type}:${e.attempt}:${e.status ?? ""}`)).toEqual([
      "request:1:",
      "response:1:503",
      "retry:1:503",
      "request:2:",
      "response:2:200",
    ]);
    expect(events[0]!.url).toBe(`${server.url}/clients.json?page=2`);
    expect(events[1]!.body).toEqual({ error: "busy" });
    expect(events[4]!.body).toBeUndefined(); // a success's body is the caller's, streamed: not read to log it
  });

  it("refuses bad options", () => {
    expect(() => make({ timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => make({ retry: { attempts: 0 } })).toThrow(/retry/);
    expect(() => make({ rateLimit: 0 })).toThrow(/rateLimit/);
    expect(() => make({ rateLimit: { requests: 5, intervalMs: 0 } })).toThrow(/rateLimit/);
  });
});

describe("middleware", () => {
  it("global and per-call middleware see real Requests without the key, and can read the body", async () => {
    server.script(created);
    const client = make();
    const seen: string[] = [];
    const perCall: string[] = [];
    const m = {
      onRequest: async ({ request }: { request: Request }) =>
        void seen.push(`${request instanceof Request} ${request.url} ${await request.clone().text()}`),
    };
    client.use(m);
    await client.POST("/invoices.json", {
      body: invoiceBody({ proprietary_uid: "u-9" }),
      middleware: [
        { onRequest: ({ request }) => void perCall.push(`${request instanceof Request} ${request.method}`) },
      ],
    });
    expect(seen[0]).toMatch(/^true http:\/\/127\.0\.0\.1:\d+\/invoices\.json \{"invoice"/);
    expect(seen[0]).not.toContain("fault-key");
    expect(perCall).toEqual(["true POST"]);
    client.eject(m);
    server.script(ok);
    const only: string[] = [];
    await client.GET("/clients.json", {
      middleware: [{ onRequest: ({ request }) => void only.push(String(request instanceof Request)) }],
    });
    expect(only).toEqual(["true"]);
    expect(server.requests[0]!.url).toContain("api_key=fault-key");
  });

  it("a middleware that replaces the request still gets the key, retries and timeouts", async () => {
    server.script({ status: 503 }, ok);
    const events: LogEvent[] = [];
    const client = make({ log: (e) => events.push(e) });
    client.use({ onRequest: ({ request }) => new Request(request.url, request) });
    expect((await client.GET("/clients.json")).response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
    expect(server.requests.every((r) => r.url.includes("api_key=fault-key"))).toBe(true);
    // The client's 2000 ms timeout, on the fake clock, over a body that stalls after the headers.
    useFakeClock();
    server.script({ stallBody: true });
    events.length = 0;
    const call = track(caught(client.GET("/clients.json", { retry: false })));
    await until(() => events.some((e) => e.type === "response"), "the headers");
    await settlesAt(call, 2000);
    expect(call.value!.kind).toBe("timeout");
  });
});

describe("request init", () => {
  it("passes the rest of RequestInit to fetch, with or without middleware", async () => {
    const inits: RequestInit[] = [];
    const client = make({
      fetch: async (_input, init) => {
        inits.push(init!);
        return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
      },
    });
    await client.GET("/clients.json", { cache: "no-store", keepalive: true });
    client.use({ onRequest: () => undefined });
    await client.GET("/clients.json", { cache: "no-store", keepalive: true });
    for (const init of inits) expect(init).toMatchObject({ method: "GET", cache: "no-store", keepalive: true });
  });

  it("parseAs: stream gets the whole body", async () => {
    server.script(ok);
    const { data } = await make().GET("/clients.json", { parseAs: "stream" });
    const text = await new Response(data as ReadableStream).text();
    expect(JSON.parse(text)).toEqual({ clients: [{ name: "A" }], pagination: { total_pages: 1 } });
  });
});
