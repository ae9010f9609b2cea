// Measures the mock: start-up time (startMock until the port accepts connections, and until
// the first answer) and requests per second on keep-alive connections. Run after `build`:
//   pnpm --filter @ixpress/mock bench         (or `pnpm bench` at the root)
// Options: --runs N (start-ups, default 5), --seconds N (per load test, default 5),
// --concurrency N (default 16).
import http from "node:http";
import os from "node:os";
import { parseArgs } from "node:util";
import { startMock } from "../dist/index.js";

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

// 1. Start-up.
const listening = [];
const firstAnswer = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const mock = await startMock();
  const t1 = performance.now();
  const res = await fetch(`${mock.url}/clients.json?api_key=bench`);
  await res.arrayBuffer();
  const t2 = performance.now();
  if (res.status !== 200) throw new Error(`bench: first answer was ${res.status}, expected 200`);
  listening.push(t1 - t0);
  firstAnswer.push(t2 - t0);
  await mock.stop();
}
console.log(
  `start-up (${runs} runs): listening after ${ms(median(listening))} median (${ms(Math.min(...listening))}–${ms(Math.max(...listening))}), ` +
    `first answer after ${ms(median(firstAnswer))} median`,
);

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
  // Warm-up: Prism compiles validators on first use.
  for (let i = 0; i < 50; i++) await once();
  const latencies = [];
  let unexpected = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
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
const examples = await startMock();
try {
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
} finally {
  await examples.stop();
}
const dynamic = await startMock({ dynamic: true, seed: 1 });
try {
  await load(dynamic, "GET /clients.json (dynamic)", {
    method: "GET",
    path: "/clients.json?api_key=bench",
    expect: 200,
  });
} finally {
  await dynamic.stop();
}
