// Measures the mock as users run it, in a fresh process each time (the ixpress-mock CLI):
// start to first correct answer (median of --runs), beside bare Prism CLI serving a one-path
// spec; requests per second for a GET served from an example and a validated POST; the mock's
// RSS after 10,000 requests; then the stateful sandbox's figures (bench-sandbox.mjs). Run after `build`:
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

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
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
  return { ms, child, stop, port };
}

const rss = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? `${Math.round(Number(m[1]) / 1024)} MB` : "n/a";
};

// 1. Start to first correct answer.
const ours = [];
for (let i = 0; i < runs; i++) {
  const port = await freePort();
  const p = await startProcess([cli, "--port", String(port)], "/clients.json?api_key=bench", port);
  ours.push(p.ms);
  await p.stop();
}
console.log(
  `ixpress-mock: start to first correct answer ${ms(median(ours))} median of ${runs} (${ms(Math.min(...ours))}–${ms(Math.max(...ours))}); target <= 1000 ms`,
);
let prismCli;
try {
  prismCli = require.resolve("@stoplight/prism-cli/dist/index.js");
} catch {
  console.log("bare Prism CLI: not installed (a devDependency), skipped");
}
if (prismCli) {
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
  const bare = [];
  try {
    for (let i = 0; i < runs; i++) {
      const port = await freePort();
      const p = await startProcess(
        [prismCli, "mock", "-p", String(port), "-h", "127.0.0.1", onePath],
        "/clients.json",
        port,
      );
      bare.push(p.ms);
      await p.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`bare Prism CLI, one-path spec: start to first correct answer ${ms(median(bare))} median of ${runs}`);
}

// 2. Throughput.
async function load(mock, label, request) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(request.path, mock.url);
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
  console.log(
    `${label}: ${Math.round(latencies.length / elapsed)} req/s over ${elapsed.toFixed(1)} s, ${concurrency} connections, ` +
      `latency p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms` +
      (unexpected ? `, ${unexpected} unexpected statuses` : ""),
  );
  if (unexpected) process.exitCode = 1;
}

const invoice = {
  invoice: {
    date: "03/12/2017",
    due_date: "03/12/2017",
    client: { name: "Client Name", code: "A1" },
    items: [{ name: "Item Name", description: "Item Description", unit_price: "100", quantity: "5" }],
  },
};
const port = await freePort();
const served = await startProcess([cli, "--port", String(port)], "/clients.json?api_key=bench", port);
const examples = { url: `http://127.0.0.1:${port}` };
try {
  console.log(`RSS after start: ${rss(served.child.pid)}`);
  await load(examples, "GET /clients.json (examples)", {
    method: "GET",
    path: "/clients.json?api_key=bench",
    expect: 200,
  });
  await load(examples, "POST /invoices.json (body validated)", {
    method: "POST",
    path: "/invoices.json?api_key=bench",
    body: invoice,
    expect: 201,
  });
  for (const round of [1, 2]) {
    await load(examples, `10,000 validated POSTs (round ${round})`, {
      method: "POST",
      path: "/invoices.json?api_key=bench",
      body: invoice,
      expect: 201,
      count: 10_000,
    });
    console.log(
      `RSS after the load tests and ${(round * 10_000).toLocaleString("en")} more requests: ${rss(served.child.pid)}`,
    );
  }
} finally {
  await served.stop();
}

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
