// The client's own time per call, without a network: `fetch` is replaced by one that answers at
// once, so what is left is what openapi-fetch and @ixpress/client do around it. Rounds alternate
// the runners; the medians are compared.
import createFetchClient from "openapi-fetch";
import { createClient } from "../dist/index.js";

// A key shaped like an account's (40 hex digits). A one-letter key would match in every header
// ("keep-alive") and send each response through the redactor's slow path: not what users see.
export const KEY = "5f3a9c0e7b21d84f6a0c93e5b7d1f2a48c6e0b9d";

const CALLS = 20_000;
const ROUNDS = 11;

export async function own() {
  const body = JSON.stringify({
    clients: [{ id: 1, name: "A", code: "A1" }],
    pagination: { total_entries: 1, current_page: 1, total_pages: 1, per_page: 30 },
  });
  const headers = {
    "content-type": "application/json; charset=utf-8",
    etag: 'W/"5d41402abc4b2a76"',
    "cache-control": "max-age=0, private, must-revalidate",
    "x-request-id": "7c1e0d6a-3b52-4f7e-9a1c-2d8e6f4b0a93",
  };
  const answer = async () => new Response(body, { status: 200, headers });
  const base = "http://127.0.0.1:9";
  const of = createFetchClient({ baseUrl: base, fetch: answer });
  // The default limiter's ring (780 sends), over a 1 ms window instead of a minute: 20 000 calls in
  // a round never wait for it, and it does the same work per call.
  const ix = createClient({ baseUrl: base, apiKey: KEY, fetch: answer, rateLimit: { requests: 780, intervalMs: 1 } });
  const ix0 = createClient({ baseUrl: base, apiKey: KEY, fetch: answer, rateLimit: false, retry: false, timeoutMs: 0 });
  const runners = {
    "fetch alone": async () => {
      for (let i = 0; i < CALLS; i++) await (await answer()).json();
    },
    "openapi-fetch": async () => {
      for (let i = 0; i < CALLS; i++) await of.GET("/clients.json", { params: { query: { page: 1, api_key: KEY } } });
    },
    "@ixpress/client": async () => {
      for (let i = 0; i < CALLS; i++) await ix.GET("/clients.json", { params: { query: { page: 1 } } });
    },
    "@ixpress/client, layers off": async () => {
      for (let i = 0; i < CALLS; i++) await ix0.GET("/clients.json", { params: { query: { page: 1 } } });
    },
  };
  const samples = Object.fromEntries(Object.keys(runners).map((k) => [k, []]));
  for (const run of Object.values(runners)) await run(); // warm-up
  for (let round = 0; round < ROUNDS; round++)
    for (const [name, run] of Object.entries(runners)) {
      const t0 = performance.now();
      await run();
      samples[name].push(((performance.now() - t0) * 1000) / CALLS);
    }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
}
