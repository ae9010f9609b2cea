// Drives every error path, thrown and returned, with a recognisable key and checks that the key
// (raw or URL-encoded) and sensitive fields appear nowhere the client produces.
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ClientOptions,
  createClient,
  InvoiceXpressError,
  type LogEvent,
  paginate,
  poll,
  unwrap,
} from "../src/index.js";
import { timeOutEach, until, useFakeClock } from "./fake-clock.js";
import { type Fault, type FaultServer, startFaultServer } from "./fault-server.js";

const KEY = "LEAKY-key+5ecret/zq=9";
const SECRETS = [
  KEY,
  encodeURIComponent(KEY),
  new URLSearchParams({ k: KEY }).toString().slice(2),
  "other-account-secret-77",
  "token-xyz-123",
];

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());
afterEach(() => {
  vi.useRealTimers();
});

const events: LogEvent[] = [];
const seenByMiddleware: string[] = [];
function make(options: Partial<ClientOptions> = {}) {
  const client = createClient({
    baseUrl: server.url,
    apiKey: KEY,
    retry: { attempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
    rateLimit: false,
    // Generous, so that an answered request never times out on a busy machine; the two timeout
    // paths below ask for a short one against a server that never answers.
    timeoutMs: 10_000,
    log: (e) => events.push(e),
    redactFields: ["session_token"],
    ...options,
  });
  client.use({
    onRequest: ({ request }) => void seenByMiddleware.push(request.url),
    onResponse: ({ response }) => void seenByMiddleware.push(response.url, inspect(response)),
    onError: ({ error }) => void seenByMiddleware.push(inspect(error, { depth: 10 })),
  });
  return client;
}

function allText(error: unknown): string {
  const parts: string[] = [inspect(error, { depth: 10, showHidden: true })];
  let e: unknown = error;
  for (let depth = 0; e && depth < 10; depth++) {
    const err = e as Error & { request?: unknown; body?: unknown };
    parts.push(
      String(err),
      String(err.message),
      String(err.stack),
      JSON.stringify(err),
      JSON.stringify(err.request ?? null),
      JSON.stringify(err.body ?? null),
    );
    e = err.cause;
  }
  return parts.join("\n");
}

/**
 * A GET that times out (150 ms) against a server that stalls, on the fake clock (see fake-clock.ts). A stall is retried
 * once (two sends), then thrown; a body that stalls after the headers is not retried.
 */
async function timedOut(fault: Fault, sends: number) {
  useFakeClock();
  server.script(fault);
  const before = events.length;
  const headersIn = () => events.slice(before).some((e) => e.type === "response");
  const call = make({ timeoutMs: 150 }).GET("/clients.json");
  await timeOutEach(call, server, sends, 150, "stallBody" in fault ? headersIn : undefined).catch(() => undefined);
  expect(server.requests).toHaveLength(sends);
  return call;
}

function expectClean(text: string, what: string) {
  for (const secret of SECRETS)
    expect(text.includes(secret), `${what} contains ${secret}: ${text.slice(0, 2000)}`).toBe(false);
}

const echo =
  (status: number, contentType = "application/json"): ((req: { url: string }) => Fault) =>
  (req) => ({
    status,
    headers: { "content-type": contentType },
    body:
      contentType === "text/html"
        ? `<html><head><title>Error for ${req.url}</title></head><body>${req.url} ${decodeURIComponent(req.url)}</body></html>`
        : JSON.stringify({
            errors: { error: `bad request ${req.url} key=${KEY}` },
            account: { api_key: "other-account-secret-77", session_token: "token-xyz-123" },
          }),
  });

const responsePaths: Array<[string, Array<Fault | ((req: { url: string }) => Fault)>]> = [
  ["401 empty", [{ status: 401, body: "" }]],
  ["404 JSON echoing the key", [echo(404)]],
  ["422 JSON echoing the key and a sensitive field", [echo(422)]],
  ["500 HTML echoing the URL", [echo(500, "text/html")]],
  ["409 with a reason", [{ status: 409, json: { reason: `ongoing ${KEY}` } }]],
  ["429 bare list", [{ status: 429, json: ["api_key", KEY] }]],
  [
    "200 with a sensitive field (logs only)",
    [{ status: 200, json: { account: { api_key: "other-account-secret-77" } } }],
  ],
];

describe("the key never leaks", () => {
  it("the key does reach the server (so the checks below are meaningful)", async () => {
    server.script({ status: 200, json: { clients: [] } });
    await make().GET("/clients.json");
    expect(decodeURIComponent(server.requests[0]!.url.split("api_key=")[1]!.replace(/\+/g, " "))).toBe(KEY);
  });

  for (const [name, faults] of responsePaths) {
    it(`${name}: returned result, unwrap error, logs and middleware`, async () => {
      server.script(...faults);
      const result = await make().GET("/clients.json", { params: { query: { page: 1 } } });
      expectClean(result.response.url, "response.url");
      expectClean(JSON.stringify(result.error ?? null), "returned error");
      if (!result.response.ok) {
        let thrown: unknown;
        try {
          unwrap(result);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(InvoiceXpressError);
        expectClean(allText(thrown), "unwrap error");
      }
      server.script(...faults);
      const posted = await make().POST("/invoices.json", {
        body: {
          invoice: { date: "1/1/2024", due_date: "1/1/2024", client: { name: "n", code: "c" }, items: [] },
          proprietary_uid: KEY,
        },
      });
      expectClean(JSON.stringify(posted.error ?? null), "returned POST error");
      if (!posted.response.ok)
        expectClean(
          allText(
            (() => {
              try {
                unwrap(posted);
              } catch (e) {
                return e;
              }
            })(),
          ),
          "POST unwrap error",
        );
    });
  }

  const thrownPaths: Array<[string, () => Promise<unknown>]> = [
    ["connection reset", () => (server.script({ reset: true }), make().GET("/clients.json"))],
    ["timeout", () => timedOut({ stall: true }, 2)],
    ["timeout in the body", () => timedOut({ stallBody: true }, 1)],
    [
      "abort",
      async () => {
        server.script({ stall: true });
        const c = new AbortController();
        const call = make({ timeoutMs: 5000 }).GET("/clients.json", { signal: c.signal });
        call.catch(() => undefined);
        // Aborted once the request is at the server (a fixed delay could abort before it is sent).
        await until(() => server.requests.length === 1, "the send");
        c.abort(new Error(`stop ${KEY}`));
        return call;
      },
    ],
    ["connection refused", () => make({ baseUrl: "http://127.0.0.1:9" }).GET("/clients.json")],
    [
      "a custom fetch that throws the URL",
      () =>
        make({
          fetch: async (input) => {
            const url = String(input);
            const inner = new Error(`socket closed for ${url}`);
            throw Object.assign(new TypeError(`fetch failed: ${url}`, { cause: inner }), { code: "ECONNRESET", url });
          },
        }).GET("/clients.json"),
    ],
    [
      "a custom fetch that throws a string",
      () => make({ fetch: async (input) => Promise.reject(`no ${String(input)}`) }).GET("/clients.json"),
    ],
    [
      "poll still 202",
      () => (
        server.script({ status: 202, json: { message: `keep requesting ${KEY}` } }),
        poll(() => make().GET("/clients.json"), { intervalMs: 0, maxAttempts: 2 })
      ),
    ],
    [
      "paginate error",
      async () => {
        server.script(echo(422));
        for await (const item of paginate(make(), "/clients.json", { per_page: 1 })) void item;
      },
    ],
  ];
  for (const [name, run] of thrownPaths) {
    it(`${name}: the thrown error`, async () => {
      let thrown: unknown;
      try {
        await run();
      } catch (e) {
        thrown = e;
      }
      expect(thrown, name).toBeInstanceOf(InvoiceXpressError);
      expectClean(allText(thrown), name);
    });
  }

  it("a successful response read by a middleware (no log hook): url, headers and clones", async () => {
    server.script({ status: 200, headers: { "x-echo": `key=${KEY}` }, json: { clients: [] } });
    const client = createClient({ baseUrl: server.url, apiKey: KEY, rateLimit: false });
    const seen: string[] = [];
    client.use({
      onResponse: ({ response }) => {
        const copy = response.clone();
        const copyOfCopy = copy.clone();
        for (const r of [response, copy, copyOfCopy])
          seen.push(r.url, JSON.stringify([...r.headers]), inspect(r, { depth: 5 }));
      },
    });
    const { data, response } = await client.GET("/clients.json");
    expect(data).toEqual({ clients: [] });
    expect(seen).toHaveLength(9);
    expect(seen[0]).toBe(`${server.url}/clients.json`); // the response's url: the redacted one
    expect(seen[3]).toBe(""); // a clone is a plain Response, made by the runtime: no url at all
    expect(seen.join("\n")).toContain("[REDACTED]"); // the echoing header was there, redacted
    expectClean(seen.join("\n"), "middleware on a success");
    expectClean([response.url, JSON.stringify([...response.headers])].join("\n"), "the returned response");
  });

  // A `fetch` of another library (a polyfill keeps `url` and `headers` as the response's own
  // properties) or a subclass of Response: what comes back is a plain Response of the runtime.
  for (const [name, wrap] of [
    [
      "a Response subclass",
      (r: Response) => Object.setPrototypeOf(r, class Mine extends Response {}.prototype) as Response,
    ],
    [
      "own url and headers properties (a polyfill's shape)",
      (r: Response) => {
        const { url, headers } = r;
        Object.defineProperty(r, "url", { value: url, writable: true, configurable: true, enumerable: true });
        Object.defineProperty(r, "headers", { value: headers, writable: true, configurable: true, enumerable: true });
        return r;
      },
    ],
    [
      "an own headers property only",
      (r: Response) => {
        const { headers } = r;
        Object.defineProperty(r, "headers", { value: headers, writable: true, configurable: true, enumerable: true });
        return r;
      },
    ],
  ] as const)
    it(`a successful response from a fetch that returns ${name}: a plain Response, url and headers redacted, body read`, async () => {
      server.script({ status: 200, headers: { "x-echo": `key=${KEY}` }, json: { clients: [{ id: 1 }] } });
      const proto: object[] = [];
      const client = createClient({
        baseUrl: server.url,
        apiKey: KEY,
        rateLimit: false,
        fetch: async (input, init) => {
          const r = wrap(await fetch(input, init));
          proto.push(Object.getPrototypeOf(r));
          expect(r.url).toContain(encodeURIComponent(KEY)); // what the client is given does hold the key
          return r;
        },
      });
      const { data, response } = await client.GET("/clients.json");
      expect(data).toEqual({ clients: [{ id: 1 }] });
      expect(proto[0]).not.toBeUndefined();
      expect(Object.getPrototypeOf(response) === Response.prototype).toBe(true);
      expect(response.url).toBe(`${server.url}/clients.json`);
      expect(response.headers.get("x-echo")).toBe("key=[REDACTED]");
      expectClean([response.url, JSON.stringify([...response.headers]), inspect(response)].join("\n"), name);
    });

  it("log events and middleware saw no secret", () => {
    expect(events.length).toBeGreaterThan(20);
    expect(events.some((e) => JSON.stringify(e.body ?? "").includes("[REDACTED]"))).toBe(true);
    expectClean(inspect(events, { depth: 10 }), "log events");
    expectClean(JSON.stringify(events), "log events (JSON)");
    expect(seenByMiddleware.length).toBeGreaterThan(20);
    expectClean(seenByMiddleware.join("\n"), "middleware");
  });
});
