#!/usr/bin/env node
import { parseArgs } from "node:util";
import type { RunningMock } from "./index.js";

const usage = `Usage: ixpress-mock [--port 4010] [--host 127.0.0.1] [--dynamic] [--seed N] [--strict]
       ixpress-mock --stateful [--state FILE] [--polls N] [--max-documents N] [--strict]
       ixpress-mock --proxy https://ACCOUNT.app.invoicexpress.com [--report FILE]

Serves the InvoiceXpress API v2 description with Prism, for contract tests.
Once it answers, the first line on stdout is "InvoiceXpress mock listening on http://HOST:PORT"
(a stable form: the URL is the rest of the line after "listening on "). SIGTERM and SIGINT stop it with exit 0;
it also stops by itself when the process that started it dies.
  --port, -p   port to listen on (default 4010; 0 picks a free one)
  --host       interface to bind (default 127.0.0.1)
  --dynamic    generate bodies from the schemas instead of the named examples
  --seed N     seed for --dynamic, so bodies repeat from run to run
  --strict     refuse unknown keys and query parameters (422, with "did you mean")
  --stateful   serve a stateful sandbox account (create, finalize, pay, read back)
  --state F    with --stateful: start from this JSON account (a dump of GET /__sandbox/state)
  --polls N    with --stateful: PDF, QR and SAF-T answer 202 N times before the 200 (default 1)
  --max-documents N  with --stateful: the most documents the account holds (default 100000)
  --proxy URL  forward to a real account instead, validating requests and responses
  --report F   with --proxy: the JSON report of violations (default ixpress-mock-report.json)
  --exit-on-stdin-close  stop when stdin closes (for a harness that holds the pipe open)
  --verbose    kept for compatibility
  --help, -h   print this help`;

function fail(message: string): never {
  process.stderr.write(`ixpress-mock: ${message}\n\n${usage}\n`);
  process.exit(2);
}

function integer(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    fail(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function parse() {
  return parseArgs({
    options: {
      port: { type: "string", short: "p" },
      host: { type: "string" },
      dynamic: { type: "boolean" },
      seed: { type: "string" },
      strict: { type: "boolean" },
      stateful: { type: "boolean" },
      state: { type: "string" },
      polls: { type: "string" },
      "max-documents": { type: "string" },
      proxy: { type: "string" },
      report: { type: "string" },
      verbose: { type: "boolean" },
      "exit-on-stdin-close": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
}
function parseOrFail(): ReturnType<typeof parse> {
  try {
    return parse();
  } catch (err) {
    fail((err as Error).message);
  }
}
const { values } = parseOrFail();
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const port = integer("port", values.port, 0, 65535) ?? 4010;
const seed = integer("seed", values.seed, 0, Number.MAX_SAFE_INTEGER);
if (seed !== undefined && !values.dynamic) fail("--seed only makes sense with --dynamic");
if (values.report !== undefined && values.proxy === undefined) fail("--report only makes sense with --proxy");
const polls = integer("polls", values.polls, 0, 1000);
if ((values.state !== undefined || polls !== undefined) && !values.stateful)
  fail("--state and --polls only make sense with --stateful");
const maxDocuments = integer("max-documents", values["max-documents"], 1, Number.MAX_SAFE_INTEGER);
if (maxDocuments !== undefined && !values.stateful) fail("--max-documents only makes sense with --stateful");
if (values.stateful && values.proxy !== undefined) fail("--stateful and --proxy cannot be combined");
if (values.stateful && values.dynamic)
  fail("--stateful and --dynamic cannot be combined (the sandbox writes its own bodies)");

const host = values.host ?? "127.0.0.1";
const loopback = ["127.0.0.1", "localhost", "::1"].includes(host);
const started = Date.now();
// A harness reads stdout until the "listening on" line and may close its end afterwards: a
// write to a closed pipe must not kill the mock.
process.stdout.on("error", () => {});

let mock: RunningMock | undefined;
let stopping = false;
function shutdown(reason: string): void {
  if (stopping) process.exit(130);
  stopping = true;
  if (mock === undefined) process.exit(0); // still starting: nothing listens yet
  process.stdout.write(`\n${reason}: stopping the mock...\n`);
  // Whatever stop() waits for, the process is gone (and its port free) within 3 s.
  setTimeout(() => process.exit(0), 3000).unref();
  void mock.stop().then(() => {
    process.stdout.write("stopped.\n");
    process.exit(0);
  });
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => shutdown(signal));

// A harness that stops the mock by signalling a wrapper (npx, a shell, a test runner killed with
// SIGKILL) leaves the mock without the parent it started with: the mock is then reparented.
// Check every 500 ms whether that parent is still its parent; the timer is unref'd, so it never
// keeps the process alive by itself. (process.ppid is read from the system each time.)
const parent = process.ppid;
if (parent > 1) {
  const parentGone = () => {
    if (process.ppid !== parent) return true;
    try {
      process.kill(parent, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
  };
  setInterval(() => {
    if (!stopping && parentGone()) shutdown(`the parent process (${parent}) is gone`);
  }, 500).unref();
}

if (values["exit-on-stdin-close"]) {
  process.stdin.on("end", () => shutdown("stdin closed"));
  process.stdin.on("error", () => shutdown("stdin closed"));
  process.stdin.resume();
}

// One function rather than top-level await: the same code is bundled into one CommonJS file
// (dist/ixpress-mock.cjs) and into the single executable, which cannot await at the top level.
async function serve(): Promise<void> {
  // Loaded once the signal handlers above are in place: a signal while Prism loads stops the
  // mock with exit 0 too.
  const [{ startMock }, { listOperations }] = await Promise.all([import("./index.js"), import("@ixpress/openapi")]);
  let running: RunningMock;
  try {
    running = await startMock({
      port,
      host,
      dynamic: values.dynamic ?? false,
      ...(seed !== undefined ? { seed } : {}),
      strict: values.strict ?? false,
      ...(values.stateful
        ? {
            stateful: true,
            ...(values.state !== undefined ? { state: values.state } : {}),
            ...(polls !== undefined ? { polls } : {}),
            ...(maxDocuments !== undefined ? { maxDocuments } : {}),
          }
        : {}),
      ...(values.proxy !== undefined
        ? { proxy: values.proxy, reportFile: values.report ?? "ixpress-mock-report.json" }
        : {}),
      onLog: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (err) {
    const message = (err as Error).message.replace(/^startMock: /, "");
    const hint = /EADDRINUSE/.test(message) ? `\nPick another port with --port N, or --port 0 for a free one.` : "";
    process.stderr.write(`ixpress-mock: ${message}${hint}\n`);
    process.exit(1);
  }
  mock = running;

  const operations = listOperations().length;
  const mode = values.proxy
    ? `validating proxy to ${new URL(values.proxy).origin}, report in ${values.report ?? "ixpress-mock-report.json"}`
    : values.stateful
      ? `stateful sandbox${values.state ? ` from ${values.state}` : ""}${values.strict ? ", strict" : ""}`
      : `${values.dynamic ? `dynamic bodies${seed !== undefined ? `, seed ${seed}` : ""}` : "named examples"}${values.strict ? ", strict" : ""}`;
  // The first line is the stable one a harness waits for (see the usage above).
  process.stdout.write(
    [
      `InvoiceXpress mock listening on ${running.url}`,
      `  ${operations} operations, ${mode}, ready in ${Date.now() - started} ms`,
      `  try:       curl '${running.url}/clients.json?api_key=test'`,
      ...(values.stateful
        ? [
            `  sandbox:   POST ${running.url}/__sandbox/reset, GET|PUT ${running.url}/__sandbox/state`,
            `  contract:  ${running.url}/__sandbox/openapi.json`,
          ]
        : [`  scenarios: header Prefer: code=404 | code=422 | example=<name> | code=202`]),
      ...(loopback ? [] : [`  warning:   bound to ${host}, so other machines can reach it`]),
      `Press Ctrl-C to stop.`,
      "",
    ].join("\n"),
  );

  void running.exited.then((code) => {
    if (stopping || code === 0) return;
    process.stderr.write(`ixpress-mock: the mock failed: ${running.failures.map((f) => f.message).join("\n")}\n`);
    process.exit(1);
  });
}

void serve();
