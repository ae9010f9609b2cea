// The client's own time per call, without a network: `fetch` is replaced by one that answers at
// once, so what is left is what openapi-fetch and @ixpress/client do around it. Rounds alternate
// the runners; the medians are compared.
import createFetchClient from "openapi-fetch";
import { createClient } from "../dist/index.js";

const CALLS = 20_000;
const ROUNDS = 11;

export async function own() {
  const body = JSON.stringify({
    clients: [{ id: 1, name: "A", code: "A1" }],
    pagination: { total_entries: 1, current_page: 1, total_pages: 1, per_page: 30 },
  });
  const answer = async () => new Response(body, { status: 200, headers: { "content-type": "application/json" } });
  const base = "http://127.0.0.1:9";
  const of = createFetchClient({ baseUrl: base, fetch: answer });
  // The default limiter's ring (780 sends), over a 1 ms window instead of a minute: 20 000 calls in
  // a round never wait for it, and it does the same work per call.
  const ix = createClient({ baseUrl: base, apiKey: "k", fetch: answer, rateLimit: { requests: 780, intervalMs: 1 } });
  const ix0 = createClient({ baseUrl: base, apiKey: "k", fetch: answer, rateLimit: false, retry: false, timeoutMs: 0 });
  const runners = {
    "fetch alone": async () => {
      for (let i = 0; i < CALLS; i++) await (await answer()).json();
    },
    "openapi-fetch": async () => {
      for (let i = 0; i < CALLS; i++) await of.GET("/clients.json", { params: { query: { page: 1, api_key: "k" } } });
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
