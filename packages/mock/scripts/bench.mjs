// Measures the mock as users run it, in a fresh process each time (the ixpress-mock CLI), beside
// bare Prism CLI in the same run, and prints the ratios:
//   - start to first correct answer (median of --runs), beside bare Prism CLI serving the same
//     (bundled) description and a one-path description, and beside the mock with --dynamic
//     (Prism loaded at start-up through its public API);
//   - requests per second for a GET served from an example and a validated POST, for the mock
//     and for bare Prism CLI on the same description;
//   - the mock's RSS after 10,000 and 20,000 more requests;
// then the stateful sandbox's figures (bench-sandbox.mjs). Node version and load are printed at
// the start and at the end. Run after `build`:
//   pnpm --filter @ixpress/mock bench         (or `pnpm bench` at the root)
// Options: --runs N (start-ups, default 5), --seconds N (per load test, default 5),
// --concurrency N (default 16).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { specJsonPath } from "@ixpress/openapi";
import { freePort } from "../dist/ports.js";

const require = createRequire(import.meta.url);
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    seconds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "16" },
  },
});
const runs = Number(values.runs);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (n) => `${Math.round(n)} ms`;
const load1 = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const prismVersion = JSON.parse(
  readFileSync(new URL(import.meta.resolve("@stoplight/prism-http/package.json")), "utf8"),
).version;

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, Prism ${prismVersion}, load ${load1()} (1, 5, 15 min)`,
);

/** Starts a server process and resolves when `probe` first answers 200, with the time it took. */
async function startProcess(args, probe, port) {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const deadline = t0 + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bench: ${args.join(" ")} exited: ${err}`);
    const status = await fetch(`http://127.0.0.1:${port}${probe}`, { signal: AbortSignal.timeout(5_000) })
      .then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      })
      .catch(() => 0);
    if (status === 200) break;
    if (performance.now() > deadline) throw new Error(`bench: no correct answer within 60 s: ${err}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const ms = performance.now() - t0;
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    });
  return { ms, child, stop, port, url: `http://127.0.0.1:${port}` };
}

const rss = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? `${Math.round(Number(m[1]) / 1024)} MB` : "n/a";
};

const ours = async (...flags) => {
  const port = await freePort();
  return startProcess([cli, "--port", String(port), ...flags], "/clients.json?api_key=bench", port);
};
const prismCli = require.resolve("@stoplight/prism-cli/dist/index.js");
const bare = async (spec) => {
  const port = await freePort();
  return startProcess(
    [prismCli, "mock", "-p", String(port), "-h", "127.0.0.1", spec],
    "/clients.json?api_key=bench",
    port,
  );
};

// 1. Start to first correct answer, interleaved so that a change of load hits all three alike.
const dir = mkdtempSync(path.join(os.tmpdir(), "ixpress-bench-"));
const onePath = path.join(dir, "one-path.yaml");
writeFileSync(
  onePath,
  `openapi: 3.1.0
info: { title: one path, version: "1" }
paths:
  /clients.json:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              example: { clients: [] }
`,
);
const starts = { ours: [], eager: [], same: [], one: [] };
try {
  for (let i = 0; i < runs; i++) {
    for (const [kind, start] of [
      ["ours", () => ours()],
      ["eager", () => ours("--dynamic")],
      ["same", () => bare(specJsonPath)],
      ["one", () => bare(onePath)],
    ]) {
      const p = await start();
      starts[kind].push(p.ms);
      await p.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const range = (xs) => `${ms(median(xs))} median of ${runs} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})`;
console.log(`start to first correct answer: ixpress-mock ${range(starts.ours)}`);
console.log(`  ixpress-mock --dynamic (Prism loaded at start, public API): ${range(starts.eager)}`);
console.log(`  bare Prism CLI, the same description: ${range(starts.same)}`);
console.log(`  bare Prism CLI, a one-path description: ${range(starts.one)}`);
const startRatio = median(starts.ours) / median(starts.same);
const startRatioOne = median(starts.ours) / median(starts.one);
console.log(
  `  ratio: ${startRatio.toFixed(2)}× bare Prism CLI on the same description, ${startRatioOne.toFixed(2)}× on a one-path one (target <= 0.40×); ` +
    `--dynamic: ${(median(starts.eager) / median(starts.same)).toFixed(2)}× and ${(median(starts.eager) / median(starts.one)).toFixed(2)}×`,
);

// 2. Throughput.
async function load(target, label, request) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(request.path, target.url);
  const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
  const once = () =>
    new Promise((resolve, reject) => {
      const t = performance.now();
      const req = http.request(
        url,
        {
          agent,
          method: request.method,
          headers: payload ? { "content-type": "application/json", "content-length": payload.length } : {},
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode, ms: performance.now() - t }));
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  // Warm-up: validators compile on first use.
  for (let i = 0; i < 50; i++) await once();
  const latencies = [];
  let unexpected = 0;
  const deadline = performance.now() + seconds * 1000;
  let left = request.count ?? Number.POSITIVE_INFINITY;
  const worker = async () => {
    while (request.count ? left-- > 0 : performance.now() < deadline) {
      const r = await once();
      latencies.push(r.ms);
      if (r.status !== request.expect) unexpected++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  const rate = latencies.length / elapsed;
  console.log(
    `${label}: ${Math.round(rate)} req/s over ${elapsed.toFixed(1)} s, ${concurrency} connections, ` +
      `latency p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms` +
      (unexpected ? `, ${unexpected} unexpected statuses` : ""),
  );
  if (unexpected) process.exitCode = 1;
  return rate;
}

const invoice = {
  invoice: {
    date: "03/12/2017",
    due_date: "03/12/2017",
    client: { name: "Client Name", code: "A1" },
    items: [{ name: "Item Name", description: "Item Description", unit_price: "100", quantity: "5" }],
  },
};
const get = { method: "GET", path: "/clients.json?api_key=bench", expect: 200 };
const post = { method: "POST", path: "/invoices.json?api_key=bench", body: invoice, expect: 201 };
const rates = {};
const prism = await bare(specJsonPath);
try {
  rates.prismGet = await load(prism, "bare Prism CLI, GET /clients.json (examples)", get);
  rates.prismPost = await load(prism, "bare Prism CLI, POST /invoices.json (body validated)", post);
} finally {
  await prism.stop();
}
const served = await ours();
try {
  console.log(`ixpress-mock RSS after start: ${rss(served.child.pid)}`);
  rates.get = await load(served, "ixpress-mock, GET /clients.json (examples)", get);
  rates.post = await load(served, "ixpress-mock, POST /invoices.json (body validated)", post);
  console.log(
    `  ratio: GET ${(rates.get / rates.prismGet).toFixed(1)}×, POST ${(rates.post / rates.prismPost).toFixed(1)}× bare Prism CLI on the same description (target >= 5×)`,
  );
  for (const round of [1, 2]) {
    await load(served, `ixpress-mock, 10,000 validated POSTs (round ${round})`, { ...post, count: 10_000 });
    console.log(
      `RSS after the load tests and ${(round * 10_000).toLocaleString("en")} more requests: ${rss(served.child.pid)}`,
    );
  }
} finally {
  await served.stop();
}
console.log(`load at the end: ${load1()}; Node ${process.version}`);

// The stateful sandbox's own figures (scripts/bench-sandbox.mjs: 10,000 documents with distinct
// clients, list, filter and search times, memory per document, the limit's answer), in a
// process of its own so that --expose-gc gives a true heap figure.
console.log("");
const sandboxBench = spawnSync(
  process.execPath,
  ["--expose-gc", fileURLToPath(new URL("./bench-sandbox.mjs", import.meta.url))],
  { stdio: "inherit" },
);
if (sandboxBench.status !== 0) process.exitCode = 1;
