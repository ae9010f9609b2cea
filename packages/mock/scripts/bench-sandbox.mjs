// The stateful sandbox's part of `pnpm bench` (bench.mjs calls it; it also runs alone:
// `node scripts/bench-sandbox.mjs [--documents N]`). Measures, in this process, on the
// sandbox's request handler (no HTTP, so the figures are the sandbox's own time):
// - an account of N documents (default 10,000), each with its own client: the time to list
//   the newest page, to filter by status, and to search a text that matches one client;
// - memory per document (heap growth over N documents created through the handler, after a GC);
// - the document limit: the answer of the create that goes past it.
// Run after `build`. Pass --expose-gc for the memory figure (bench.mjs does).
import os from "node:os";
import { parseArgs } from "node:util";
import { Sandbox } from "../dist/sandbox/index.js";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const origin = "http://127.0.0.1:4010";
const request = (method, operationId, params = {}, query = "", body = undefined) => ({
  method,
  operationId,
  params,
  query: new URLSearchParams(query),
  body,
  origin,
});

function invoiceBody(i) {
  return {
    invoice: {
      date: "01/12/2026",
      due_date: "31/12/2026",
      reference: `REF-${i}`,
      client: { name: `Client ${i}`, code: `C${i}` },
      items: [{ name: "Consulting", description: "Hours", unit_price: "40", quantity: "2", tax: { name: "IVA23" } }],
    },
  };
}

/** Creates and finalizes `n` invoices, each for its own client. */
function fill(sandbox, n, from = 0) {
  for (let i = from; i < from + n; i++) {
    const created = sandbox.handle(request("post", "createInvoice", {}, "", invoiceBody(i)));
    if (created.status !== 201) throw new Error(`bench: create ${i} answered ${created.status}`);
    const id = String(created.body.invoice.id);
    if (i % 2 === 0) {
      const fin = sandbox.handle(
        request("put", "changeInvoiceState", { "document-id": id }, "", { invoice: { state: "finalized" } }),
      );
      if (fin.status !== 200) throw new Error(`bench: finalize ${i} answered ${fin.status}`);
    }
  }
}

/** Median time of `runs` calls, in ms, and the last answer. */
function time(runs, fn) {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), last };
}

const heap = () => {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};

export async function benchSandbox({ documents = 10_000, runs = 9 } = {}) {
  const out = [];
  const say = (line) => {
    out.push(line);
    console.log(line);
  };
  say(
    `sandbox: Node ${process.version}, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const before = heap();
  const sandbox = new Sandbox({ polls: 0 });
  const t0 = performance.now();
  fill(sandbox, documents);
  const fillMs = performance.now() - t0;
  const grown = heap() - before;
  say(
    `  ${documents.toLocaleString("en")} invoices with distinct clients, created (half finalized) in ${Math.round(fillMs)} ms` +
      (globalThis.gc
        ? `; heap ${(grown / 2 ** 20).toFixed(1)} MB, ${Math.round(grown / documents)} bytes per document`
        : ""),
  );
  const dumped = JSON.stringify(sandbox.dump()).length;
  say(`  dump: ${(dumped / 2 ** 20).toFixed(1)} MB, ${Math.round(dumped / documents)} bytes per document`);
  const list = time(runs, () => sandbox.handle(request("get", "listInvoices", {}, "page=1&per_page=10")));
  say(
    `  list the newest page (10):        ${list.ms.toFixed(1)} ms (${list.last.body.pagination.total_entries} entries)`,
  );
  const last = time(runs, () =>
    sandbox.handle(request("get", "listInvoices", {}, `page=${Math.ceil(documents / 30)}&per_page=30`)),
  );
  say(`  list the last page (30):          ${last.ms.toFixed(1)} ms`);
  const filter = time(runs, () =>
    sandbox.handle(request("get", "listInvoices", {}, "status[]=final&page=2&per_page=25")),
  );
  say(
    `  filter by status (final, page 2): ${filter.ms.toFixed(1)} ms (${filter.last.body.pagination.total_entries} entries)`,
  );
  const needle = `Client ${Math.floor(documents / 3)}`;
  const search = time(runs, () =>
    sandbox.handle(request("get", "listInvoices", {}, `text=${encodeURIComponent(needle)}&per_page=10`)),
  );
  say(
    `  search a client's name:           ${search.ms.toFixed(1)} ms (${search.last.body.pagination.total_entries} found)`,
  );
  const clients = time(runs, () =>
    sandbox.handle(request("get", "listClients", {}, `page=${Math.ceil(documents / 20)}&per_page=10`)),
  );
  say(`  list clients (a middle page):     ${clients.ms.toFixed(1)} ms`);
  const byName = time(runs, () =>
    sandbox.handle(request("get", "findClientByName", {}, `client_name=${encodeURIComponent(needle)}`)),
  );
  say(`  find a client by name:            ${byName.ms.toFixed(1)} ms`);

  // The limit: a small one, so the bench does not fill a real-size account twice.
  let limited;
  try {
    limited = new Sandbox({ polls: 0, maxDocuments: 3 });
  } catch {
    limited = undefined;
  }
  if (limited) {
    let answer;
    for (let i = 0; i < 4; i++) answer = limited.handle(request("post", "createInvoice", {}, "", invoiceBody(i)));
    say(`  the 4th document past maxDocuments: 3 → ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { documents: { type: "string", default: "10000" } } });
  await benchSandbox({ documents: Number(values.documents) });
}
