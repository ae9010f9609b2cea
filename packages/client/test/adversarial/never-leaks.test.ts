// Promise: the API key is in nothing the client hands back. For every scenario (a server that
// echoes the key in every way it can, and failures with no response), every channel (returned
// error, data, response url and headers, thrown error message / stack / cause chain,
// JSON.stringify, util.inspect, log events, what middleware sees) and keys of every class of
// character, the key appears nowhere, in any encoding, not even its first characters.
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient, ERROR_BODY_LIMIT, type LogEvent, poll, unwrap, withApiKey } from "../../src/index.js";
import { timeOutEach, useFakeClock } from "../fake-clock.js";
import { type Fault, type FaultServer, type SeenRequest, startFaultServer } from "../fault-server.js";
import {
  asciiJson,
  entities,
  formEncoded,
  forms,
  html,
  KEY_SHAPES,
  latin1,
  lowerPct,
  MARKER,
  railsJson,
} from "./key-shapes.js";
import { tally } from "./tally.js";

const KEYS = KEY_SHAPES;

const keyOf = (req: SeenRequest) => new URL(req.url, "http://x").searchParams.get("api_key") ?? "";

type Echo = (req: SeenRequest) => Fault;
interface Scenario {
  name: string;
  faults?: Echo[];
  /** Client options of its own (another base URL, a fetch). */
  client?: () => Partial<Parameters<typeof createClient>[0]>;
  /** Checks made once the call is over (where requests went). */
  after?: (key: string, outcome: { result?: Result; thrown?: unknown }) => void;
  run?: (key: string, client: ReturnType<typeof createClient>) => Promise<{ result?: Result; thrown?: unknown }>;
}
type Result = { data?: unknown; error?: unknown; response: Response };

const json = (status: number, make: (key: string) => unknown, encode = JSON.stringify): Echo => {
  return (req) => ({
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: encode(make(keyOf(req))),
  });
};
const text = (status: number, type: string, make: (key: string, req: SeenRequest) => string): Echo => {
  return (req) => ({ status, headers: { "content-type": type }, body: make(keyOf(req), req) });
};

const scenarios: Scenario[] = [
  { name: "401 JSON error echoing the key", faults: [json(401, (k) => ({ errors: [{ error: `bad key ${k}` }] }))] },
  {
    name: "422 Rails-escaped JSON (\\u0026, \\u003c, \\/)",
    faults: [json(422, (k) => ({ error: `key ${k}` }), railsJson)],
  },
  { name: "400 ASCII-only JSON (\\u escapes)", faults: [json(400, (k) => ({ message: `k=${k}` }), asciiJson)] },
  { name: "422 the key as a field name", faults: [json(422, (k) => ({ [k]: ["is invalid"] }))] },
  {
    name: "404 sensitive fields nested",
    faults: [json(404, (k) => ({ errors: { error: "no" }, account: { api_key: k, password: `${MARKER}-pw` } }))],
  },
  {
    name: "500 text in every URL encoding",
    faults: [
      text(
        500,
        "text/plain",
        (k, req) => `key ${k} | ${encodeURIComponent(k)} | ${lowerPct(k)} | ${formEncoded(k)} | ${req.url}`,
      ),
    ],
  },
  {
    name: "503 HTML with entities",
    faults: [text(503, "text/html", (k) => `<html><title>Down ${html(k)}</title><body>${entities(k)}</body></html>`)],
  },
  {
    name: "429 key in Retry-After and body",
    faults: [
      (req) => ({
        status: 429,
        headers: { "retry-after": encodeURIComponent(keyOf(req)), "content-type": "application/json" },
        body: JSON.stringify({ error: keyOf(req) }),
      }),
    ],
  },
  {
    name: "302 Location echoing the key (redirect: manual)",
    faults: [
      (req) => ({
        status: 302,
        headers: {
          location: `/login?api_key=${encodeURIComponent(keyOf(req))}&next=${lowerPct(keyOf(req))}`,
          "x-echo": latin1(keyOf(req)),
        },
        body: "",
      }),
    ],
    run: async (_k, client) => ({ result: await client.GET("/clients.json", { redirect: "manual" }) }),
  },
  {
    name: "200 with the key in headers (raw bytes, encoded, in a cookie)",
    faults: [
      (req) => ({
        status: 200,
        headers: {
          "content-type": "application/json",
          "x-echo": latin1(keyOf(req)),
          link: `<${req.url}>; rel="self"`,
          "set-cookie": `s=${encodeURIComponent(keyOf(req))}; Path=/`,
        },
        body: JSON.stringify({ clients: [], pagination: { total_pages: 1 } }),
      }),
    ],
  },
  {
    name: "200 whose body is not JSON and starts with the key",
    faults: [text(200, "application/json", (k) => `${k} is not JSON`)],
  },
  {
    name: "500 with the key right where the body is cut",
    faults: [text(500, "text/plain", (k) => `${"x".repeat(ERROR_BODY_LIMIT - 3)}${k}${"y".repeat(5000)}`)],
  },
  {
    name: "202 poll that never ends, echoing the key",
    faults: [json(202, (k) => ({ message: `keep requesting ${k}` }))],
    run: async (_k, client) => {
      try {
        await poll(() => client.GET("/clients.json"), { intervalMs: 0, maxAttempts: 2 });
        return {};
      } catch (thrown) {
        return { thrown };
      }
    },
  },
  { name: "connection reset", faults: [() => ({ reset: true })] },
  { name: "timeout", faults: [() => ({ stall: true })] },
  {
    name: "a fetch that throws the URL (message, cause, code, url)",
    run: async (_k, client) => {
      try {
        return { result: await client.GET("/clients.json") };
      } catch (thrown) {
        return { thrown };
      }
    },
  },
];

// Redirects: 302, 303, 307, 308, each to the same origin (followed, the key re-added by the
// client, once), to another port, another host and from https to plain http (never followed:
// nothing reaches the other origin, the body included, and the error shows the Location
// redacted). A GET and a POST with a body for each.
const https = () => ({
  // The client talks https to the fault server through a fetch that ends TLS here; a plain http
  // URL passes through as it is, so a redirect followed to it would reach the server.
  baseUrl: server.url.replace("http:", "https:"),
  fetch: ((input, init) => fetch(String(input).replace(/^https:/, "http:"), init)) as typeof fetch,
});
const targets: Record<string, [(req: SeenRequest) => string, (() => ReturnType<typeof https>)?]> = {
  "the same origin": [
    (req) => `/clients.json?page=2&api_key=${encodeURIComponent(keyOf(req))}&x=${lowerPct(keyOf(req))}`,
  ],
  "another port": [(req) => `${catcher.url}/steal?api_key=${encodeURIComponent(keyOf(req))}`],
  "another host": [
    (req) => `${catcher.url.replace("127.0.0.1", "localhost")}/steal?api_key=${encodeURIComponent(keyOf(req))}`,
  ],
  "https → http": [(req) => `${server.url}/clients.json?api_key=${encodeURIComponent(keyOf(req))}`, https],
};
for (const status of [302, 303, 307, 308])
  for (const [target, [location, options]] of Object.entries(targets))
    for (const method of ["GET", "POST"] as const) {
      const same = target === "the same origin";
      scenarios.push({
        name: `${status} ${method} redirected to ${target}`,
        client: options,
        faults: [
          (req) => ({ status, headers: { location: location(req), "x-echo": latin1(keyOf(req)) }, body: keyOf(req) }),
          () => ({ status: 201, json: { clients: [] } }),
        ],
        run: async (_k, client) => {
          try {
            const body = { client: { name: "Redirected", code: "R1" } };
            return {
              result: await (method === "GET" ? client.GET("/clients.json") : client.POST("/clients.json", { body })),
            };
          } catch (thrown) {
            return { thrown };
          }
        },
        after: (key, { result, thrown }) => {
          const sent = server.requests;
          if (same) {
            // Followed once, with exactly one key (the one the Location echoed was dropped).
            expect(result?.response.status).toBe(201);
            expect(sent).toHaveLength(2);
            expect(new URL(sent[1]!.url, "http://x").searchParams.getAll("api_key")).toEqual([key]);
            // 303 (and a POST's 302) turn into a GET without a body; 307/308 send the same again.
            const keeps = status === 307 || status === 308 || method === "GET";
            expect(sent[1]!.method).toBe(keeps ? method : "GET");
            expect(sent[1]!.body).toBe(keeps ? sent[0]!.body : "");
          } else {
            const error = thrown as { kind?: string; message?: string };
            expect(error?.kind).toBe("redirect");
            expect(error?.message).toContain("[REDACTED]");
            expect(sent).toHaveLength(1);
          }
          counts.check(catcher.requests.length > 0 || (!same && sent.length > 1), {
            scenario: `${status} ${method} to ${target}`,
            channel: "a request sent to another origin",
          });
          expect(catcher.requests).toEqual([]);
        },
      });
    }

let server: FaultServer;
let catcher: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
  catcher = await startFaultServer();
});
afterAll(async () => {
  await server.close();
  await catcher.close();
});

const counts = tally("never-leaks", "scenarios x channels x key shapes");

const throwingFetch: typeof fetch = async (input) => {
  const url = String(input instanceof Request ? input.url : input);
  const inner = Object.assign(new Error(`socket hang up ${url} ${decodeURIComponent(url)}`), { url });
  throw Object.assign(new TypeError(`fetch failed for ${url}`, { cause: inner }), { code: url });
};

function errorChannels(prefix: string, error: unknown, out: Record<string, string>) {
  out[`${prefix} inspect`] = inspect(error, { depth: 10, showHidden: true });
  out[`${prefix} JSON.stringify`] = JSON.stringify(error) ?? "";
  out[`${prefix} String()`] = String(error);
  let e = error as (Error & { cause?: unknown }) | undefined;
  const chain: string[] = [];
  for (let depth = 0; e && depth < 10; depth++) {
    chain.push(String(e.message), String(e.stack), JSON.stringify(e));
    e = e.cause as typeof e;
  }
  out[`${prefix} message/stack/cause chain`] = chain.join("\n");
}

async function channels(key: string, scenario: Scenario, withHooks: boolean): Promise<Record<string, string>> {
  const events: LogEvent[] = [];
  const seen: string[] = [];
  const timed = scenario.name === "timeout";
  if (timed) useFakeClock();
  const client = createClient({
    baseUrl: server.url,
    apiKey: key,
    retry: { attempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
    rateLimit: false,
    timeoutMs: timed ? 80 : 5000,
    ...(scenario.name.startsWith("a fetch that throws") ? { fetch: throwingFetch } : {}),
    ...(withHooks ? { log: (e: LogEvent) => void events.push(e) } : {}),
    ...scenario.client?.(),
  });
  if (withHooks)
    client.use({
      onResponse: ({ response }) => void seen.push(response.url, inspect([...response.headers])),
      onError: ({ error }) => void seen.push(inspect(error, { depth: 10 })),
    });
  if (scenario.faults) server.script(...scenario.faults);
  catcher.script({ status: 200, json: {} });
  let outcome: { result?: Result; thrown?: unknown };
  if (scenario.run) outcome = await scenario.run(key, client);
  else
    try {
      const call = client.GET("/clients.json");
      // The timeout, on the fake clock (see fake-clock.ts): each of the two sends times out 80 ms after it is at the server.
      outcome = { result: await (timed ? timeOutEach(call, server, 2, 80) : call) };
    } catch (thrown) {
      outcome = { thrown };
    } finally {
      vi.useRealTimers();
    }
  const out: Record<string, string> = {};
  const { result, thrown } = outcome;
  if (result) {
    out["returned error"] = `${JSON.stringify(result.error ?? null)}\n${inspect(result.error, { depth: 10 })}`;
    out["returned data"] = `${JSON.stringify(result.data ?? null)}\n${inspect(result.data, { depth: 10 })}`;
    out["response.url"] = result.response.url;
    out["response.headers"] = [...result.response.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
    out["response inspect"] = inspect(result.response, { depth: 5 });
    // What the response object holds besides the platform's own state: hidden and symbol-keyed
    // properties the client adds (where the transport keeps a response's info), the getters of its
    // prototype. (Node 20 and 22's undici keep the URL as sent, key included, in an internal
    // `Symbol(state)` of every fetch response; only code reading undici's internals reaches it.)
    const r = result.response as unknown as Record<PropertyKey, unknown>;
    const platform = new Set(Reflect.ownKeys(new Response("")));
    out["response, every property the client adds"] = [
      inspect(result.response, { depth: 10, showHidden: true, getters: true }),
      ...Reflect.ownKeys(r)
        .filter((k) => !platform.has(k))
        .map((k) => `${String(k)}: ${inspect(r[k], { depth: 10, showHidden: true, getters: true })}`),
    ].join("\n");
    if (!result.response.bodyUsed)
      out["response clone"] = inspect(result.response.clone(), { depth: 10, getters: true });
    if (!result.response.ok) {
      try {
        unwrap(result);
      } catch (e) {
        errorChannels("unwrap error", e, out);
      }
    }
  }
  if (thrown !== undefined) errorChannels("thrown error", thrown, out);
  if (withHooks) {
    out["log events"] = `${JSON.stringify(events)}\n${inspect(events, { depth: 10 })}`;
    out["middleware"] = seen.join("\n");
  }
  // Nothing was learnt unless the call did reach the key's owner: check that the key was sent.
  if (scenario.faults) expect(server.requests.map(keyOf)).toContain(key);
  scenario.after?.(key, outcome);
  return out;
}

describe("never leaks: the key in no channel, for every scenario and key shape", () => {
  for (const scenario of scenarios)
    it(scenario.name, async () => {
      const leaks: string[] = [];
      for (const [shape, key] of Object.entries(KEYS))
        for (const withHooks of [false, true]) {
          const out = await channels(key, scenario, withHooks);
          for (const [channel, value] of Object.entries(out)) {
            const found = forms(key).filter((f) => value.includes(f));
            counts.check(found.length > 0, { scenario: scenario.name, shape, channel });
            if (found.length > 0)
              leaks.push(
                `${shape} / ${channel}${withHooks ? " (hooks)" : ""}: ${JSON.stringify(found)} in ${value.slice(0, 300)}`,
              );
          }
        }
      expect(leaks).toEqual([]);
    });

  it("withApiKey(): the response url, headers, body and thrown errors are redacted", async () => {
    for (const [shape, key] of Object.entries(KEYS)) {
      const f = withApiKey(key);
      server.script((req) => ({
        status: 400,
        headers: { "content-type": "application/json", "x-echo": latin1(keyOf(req)), location: req.url },
        body: railsJson({ error: keyOf(req) }),
      }));
      const response = await f(`${server.url}/clients.json?x=1`);
      expect(server.requests.map(keyOf)).toEqual([key]);
      const out: Record<string, string> = {
        "withApiKey response.url": response.url,
        "withApiKey response.headers": [...response.headers].join("\n"),
        "withApiKey body": await response.text(),
      };
      server.script({ reset: true });
      errorChannels("withApiKey thrown", await f(`${server.url}/clients.json`).catch((e) => e), out);
      for (const [channel, value] of Object.entries(out)) {
        const found = forms(key).filter((x) => value.includes(x));
        counts.check(found.length > 0, { scenario: "withApiKey", shape, channel });
        expect(found, `${shape} / ${channel}: ${value.slice(0, 300)}`).toEqual([]);
      }
    }
  });

  it("a 200 that is not JSON throws an InvoiceXpressError of kind parse, not a SyntaxError", async () => {
    server.script(text(200, "application/json", (k) => `${k} nope`));
    const thrown = await createClient({ baseUrl: server.url, apiKey: KEYS["non-ASCII"]!, rateLimit: false })
      .GET("/clients.json")
      .catch((e) => e);
    expect(thrown.name).toBe("InvoiceXpressError");
    expect(thrown.kind).toBe("parse");
    expect(thrown.status).toBe(200);
  });

  it("every check was counted, and none found the key", () => {
    expect(counts.checks).toBeGreaterThan(scenarios.length * Object.keys(KEYS).length * 5);
    expect(counts.found).toBe(0);
  });
});
