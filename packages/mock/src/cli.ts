#!/usr/bin/env node
import { parseArgs } from "node:util";
import { listOperations } from "@ixpress/openapi";
import { startMock } from "./index.js";

const usage = `Usage: ixpress-mock [--port 4010] [--host 127.0.0.1] [--dynamic] [--seed N] [--verbose]

Serves the InvoiceXpress API v2 description with Prism, for contract tests.
  --port, -p   port to listen on (default 4010; 0 picks a free one)
  --host, -h   interface to bind (default 127.0.0.1)
  --dynamic    generate bodies from the schemas instead of the named examples
  --seed N     seed for --dynamic, so bodies repeat from run to run
  --verbose    print Prism's log of every request`;

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

let parsed;
try {
  parsed = parseArgs({
    options: {
      port: { type: "string", short: "p" },
      host: { type: "string", short: "h" },
      dynamic: { type: "boolean" },
      seed: { type: "string" },
      verbose: { type: "boolean" },
      help: { type: "boolean" },
    },
    strict: true,
  });
} catch (err) {
  fail((err as Error).message);
}
const { values } = parsed;
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const port = integer("port", values.port, 0, 65535) ?? 4010;
const seed = integer("seed", values.seed, 0, Number.MAX_SAFE_INTEGER);
if (seed !== undefined && !values.dynamic) fail("--seed only makes sense with --dynamic");

const started = Date.now();
try {
  const mock = await startMock({
    port,
    host: values.host ?? "127.0.0.1",
    dynamic: values.dynamic ?? false,
    ...(seed !== undefined ? { seed } : {}),
    logLevel: values.verbose ? "info" : "warn",
    onLog: (line) => process.stderr.write(`${line}\n`),
  });
  const count = listOperations().length;
  process.stdout.write(
    `InvoiceXpress mock listening on ${mock.url} (${count} operations, ${values.dynamic ? "dynamic" : "examples"}, ready in ${Date.now() - started} ms)\n` +
      `Try: curl '${mock.url}/clients.json?api_key=test'\nPress Ctrl-C to stop.\n`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the mock...\n`);
    void mock.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
} catch (err) {
  process.stderr.write(`ixpress-mock: ${(err as Error).message}\n`);
  process.exit(1);
}
