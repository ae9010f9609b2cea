// Per-call overhead of the client against raw fetch on the same loopback server, in one run.
// The server runs in its own process; rounds alternate raw fetch, openapi-fetch alone and
// @ixpress/client (default options: timeout, retries, rate limiter), and the medians are compared.
// Each round records the wall time and the CPU time of this process (the server's is not counted):
// on a machine shared with other work the CPU time moves less with the load.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import createFetchClient from "openapi-fetch";
import { createClient } from "../dist/index.js";
import { KEY, own } from "./own.mjs"; // KEY: a key shaped like an account's (see there)

const CALLS = 400; // per round: under the default 780/min limit of a fresh client
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);

export async function overhead() {
  const child = fork(fileURLToPath(new URL("./server.mjs", import.meta.url)), {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise((resolve) => child.once("message", (m) => resolve(m.port)));
  const base = `http://127.0.0.1:${port}`;
  try {
    const runners = {
      "raw fetch": async () => {
        for (let i = 0; i < CALLS; i++) {
          const r = await fetch(`${base}/clients.json?page=1&api_key=${KEY}`);
          if (r.status !== 200) throw new Error("bad status");
          await r.json();
        }
      },
      // What undici charges for an AbortSignal (the timeout needs one per attempt), on raw fetch.
      "raw fetch, with a signal": async () => {
        for (let i = 0; i < CALLS; i++) {
          const r = await fetch(`${base}/clients.json?page=1&api_key=${KEY}`, { signal: new AbortController().signal });
          if (r.status !== 200) throw new Error("bad status");
          await r.json();
        }
      },
      "openapi-fetch": async () => {
        const c = createFetchClient({ baseUrl: base });
        for (let i = 0; i < CALLS; i++) {
          const { response } = await c.GET("/clients.json", { params: { query: { page: 1, api_key: KEY } } });
          if (response.status !== 200) throw new Error("bad status");
        }
      },
      "@ixpress/client, timeoutMs 0": async () => {
        const c = createClient({ baseUrl: base, apiKey: KEY, timeoutMs: 0 });
        for (let i = 0; i < CALLS; i++) {
          const { response } = await c.GET("/clients.json", { params: { query: { page: 1 } } });
          if (response.status !== 200) throw new Error("bad status");
        }
      },
      "@ixpress/client": async () => {
        const c = createClient({ baseUrl: base, apiKey: KEY });
        for (let i = 0; i < CALLS; i++) {
          const { response } = await c.GET("/clients.json", { params: { query: { page: 1 } } });
          if (response.status !== 200) throw new Error("bad status");
        }
      },
    };
    const samples = Object.fromEntries(Object.keys(runners).map((k) => [k, []]));
    const cpuSamples = Object.fromEntries(Object.keys(runners).map((k) => [k, []]));
    for (const run of Object.values(runners)) await run(); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      const order = Object.entries(runners);
      if (round % 2) order.reverse();
      for (const [name, run] of order) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        await run();
        const cpu = process.cpuUsage(c0);
        samples[name].push(((performance.now() - t0) * 1000) / CALLS);
        cpuSamples[name].push((cpu.user + cpu.system) / CALLS);
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // The ratio within each round (the two ran back to back, under the same load), then its median:
    // steadier than the ratio of the medians on a machine whose load changes from round to round.
    const paired = (a, b) => median(samples[a].map((x, i) => x / samples[b][i]));
    const us = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
    const cpu = Object.fromEntries(Object.entries(cpuSamples).map(([k, xs]) => [k, median(xs)]));
    return {
      node: process.version,
      rawUs: us["raw fetch"],
      rawSignalUs: us["raw fetch, with a signal"],
      openapiFetchUs: us["openapi-fetch"],
      clientUs: us["@ixpress/client"],
      noTimeoutUs: us["@ixpress/client, timeoutMs 0"],
      noTimeoutRatio: us["@ixpress/client, timeoutMs 0"] / us["raw fetch"],
      ratio: us["@ixpress/client"] / us["raw fetch"],
      openapiFetchRatio: us["openapi-fetch"] / us["raw fetch"],
      calls: CALLS * ROUNDS,
      pairedRatio: paired("@ixpress/client", "openapi-fetch"),
      pairedNoTimeoutRatio: paired("@ixpress/client, timeoutMs 0", "openapi-fetch"),
      cpuUs: {
        raw: cpu["raw fetch"],
        rawSignal: cpu["raw fetch, with a signal"],
        openapiFetch: cpu["openapi-fetch"],
        client: cpu["@ixpress/client"],
        noTimeout: cpu["@ixpress/client, timeoutMs 0"],
      },
    };
  } finally {
    child.disconnect();
  }
}

// `node overhead.mjs`: the figures as JSON, for `run.mjs` to run on each installed Node.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify({ ...(await overhead()), own: await own() }));
}
