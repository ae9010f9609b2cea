import { existsSync, readFileSync } from "node:fs";
import type http from "node:http";
import type net from "node:net";
import { loadSpec, type OpenAPIDocument, sensitiveFields, specJsonPath } from "@ixpress/openapi";
import { SpecValidator } from "@ixpress/openapi/validate";
import { parse as parseYaml } from "yaml";
import { createEngine } from "./engine.js";
import { createProxy, redactPath, type Violation } from "./proxy.js";
import { Sandbox, type SandboxState } from "./sandbox/index.js";
import { createFront } from "./server.js";

// The public API: startMock and its types (the vitest setup and the CLI are entry points of their own).
export type { Violation } from "./proxy.js";
export { MODELLED_OPERATIONS, type SandboxState } from "./sandbox/index.js";

export interface MockOptions {
  /** TCP port to listen on. `0` or absent picks a free port. */
  port?: number;
  /** Interface to bind. Defaults to `127.0.0.1`; the mock is meant for this machine only. */
  host?: string;
  /** Generate response bodies from the schemas instead of serving the named examples. */
  dynamic?: boolean;
  /** Seed for `dynamic` mode, so generated bodies repeat from run to run. */
  seed?: number;
  /** Description to serve. Defaults to the bundled `@ixpress/openapi` spec. */
  spec?: string;
  /** Kept for compatibility; the engine runs in this process and logs only failures. */
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
  /** How long start-up may take. Defaults to 30 000 ms. */
  startTimeoutMs?: number;
  /** Receives the mock's log lines: internal failures and, as a proxy, each violation. */
  onLog?: (line: string) => void;
  /**
   * Refuse unknown body keys and query parameters with a 422 naming them (with a "did you
   * mean"). Default: accept and ignore them, as the API does. A request can ask for it alone with
   * the header `x-ixpress-strict: 1`.
   */
  strict?: boolean;
  /**
   * Forward every request to this account (`https://ACCOUNT.app.invoicexpress.com`) instead of
   * mocking it, validating requests and responses and reporting each violation.
   */
  proxy?: string;
  /** As a proxy: write the violations, redacted, to this JSON file (rewritten after each one). */
  reportFile?: string;
  /**
   * As a proxy: count an upstream failure (the account unreachable, a reset, a timeout: answered
   * 502 or 504) among `failures`, so that the vitest setup fails the run. Default: they are
   * recorded in `violations` and the report only.
   */
  failOnUpstreamError?: boolean;
  /** As a proxy: how long to wait for the account's answer before answering 504. Default 60 000 ms. */
  proxyTimeoutMs?: number;
  /**
   * Serve a stateful sandbox account instead of the stateless examples: what you create is
   * there on the next call, finalizing numbers documents, payments settle invoices. Requests
   * are validated exactly as in the stateless mock (strict mode included); operations the
   * sandbox does not model are answered from the examples with the header
   * `x-ixpress-sandbox: stateless-fallback`.
   */
  stateful?: boolean;
  /** With `stateful`: the account to start from, a dump (`mock.sandbox.dump()`) or a JSON file's path. */
  state?: string | object;
  /** With `stateful`: how many times PDF, QR-code and SAF-T requests answer 202 before the 200. Default 1. */
  polls?: number;
  /**
   * With `stateful`: the most documents the account holds (clients and items are bounded by it
   * too); a create past it is refused with a 422 that says so. Default 100,000.
   */
  maxDocuments?: number;
}

/** Control of the stateful sandbox, on the handle `startMock({ stateful: true })` returns. */
export interface SandboxControl {
  /** Back to the account the mock started with (its `state`, or a new account). */
  reset(): void;
  /** Replaces the account with a seed (a dump or a partial account, or a JSON file's path); throws naming each problem. */
  seed(state: string | object): void;
  /** A copy of the whole account, to inspect or to write to a file and seed later. */
  dump(): SandboxState;
}

export interface RunningMock {
  /** Base URL of the mock, e.g. `http://127.0.0.1:4010`. */
  url: string;
  host: string;
  port: number;
  /** Process id of the process serving the mock: Prism runs inside the caller's process. */
  pid: number;
  /** Stops listening and closes every connection. Safe to call more than once. */
  stop(): Promise<void>;
  /**
   * Settles when the mock stops: with `0` after `stop()`, with `1` when the server itself failed
   * (the reason is in `failures`). Lets a long-running caller notice a mock that died.
   */
  exited: Promise<number | null>;
  /**
   * Internal failures (a mock-made 5xx, a server error), each with its reason. Empty in a healthy
   * run; the vitest globalSetup fails the run when it is not.
   */
  failures: Error[];
  /** As a proxy: the violations seen so far (redacted). */
  violations: Violation[];
  /** With `stateful: true`: reset, seed and dump the sandbox account; `undefined` otherwise. */
  sandbox?: SandboxControl;
}

function checkOptions(options: MockOptions): void {
  const { port, seed, startTimeoutMs } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new RangeError(`startMock: port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new RangeError(`startMock: seed must be an integer, got ${String(seed)}`);
  }
  if (startTimeoutMs !== undefined && !(startTimeoutMs > 0)) {
    throw new RangeError(`startMock: startTimeoutMs must be a positive number, got ${String(startTimeoutMs)}`);
  }
  if (options.host !== undefined && (typeof options.host !== "string" || options.host.length === 0)) {
    throw new TypeError("startMock: host must be a non-empty string");
  }
  if (options.seed !== undefined && !options.dynamic) {
    throw new TypeError("startMock: seed only applies with dynamic: true (examples are served as written)");
  }
  if (options.spec !== undefined && !existsSync(options.spec)) {
    throw new Error(`startMock: spec file not found: ${options.spec}`);
  }
  if (options.spec === undefined && !existsSync(specJsonPath)) {
    throw new Error(
      `startMock: the bundled description is missing (${specJsonPath}); is @ixpress/openapi built or installed?`,
    );
  }
  if (!options.stateful && (options.state !== undefined || options.polls !== undefined)) {
    throw new TypeError("startMock: state and polls only apply with stateful: true");
  }
  if (options.stateful && options.proxy !== undefined) {
    throw new TypeError("startMock: stateful and proxy cannot be combined (a proxy forwards to a real account)");
  }
  if (options.polls !== undefined && (!Number.isSafeInteger(options.polls) || options.polls < 0)) {
    throw new RangeError(`startMock: polls must be a whole number of 0 or more, got ${String(options.polls)}`);
  }
  if (typeof options.state === "string" && !existsSync(options.state)) {
    throw new Error(`startMock: state file not found: ${options.state}`);
  }
  if (options.proxyTimeoutMs !== undefined && !(options.proxyTimeoutMs > 0)) {
    throw new RangeError(`startMock: proxyTimeoutMs must be a positive number, got ${String(options.proxyTimeoutMs)}`);
  }
  if (options.proxy !== undefined) {
    let u: URL;
    try {
      u = new URL(options.proxy);
    } catch {
      throw new TypeError(
        `startMock: proxy must be a URL such as https://ACCOUNT.app.invoicexpress.com, got ${options.proxy}`,
      );
    }
    const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
    if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback)) {
      throw new TypeError(`startMock: proxy must use https:// (http:// only for 127.0.0.1), got ${options.proxy}`);
    }
  }
}

function readSpec(file: string): OpenAPIDocument {
  const text = readFileSync(file, "utf8");
  if (/\.json$/i.test(file)) return JSON.parse(text) as OpenAPIDocument;
  const doc = parseYaml(text) as OpenAPIDocument;
  if (!doc || typeof doc !== "object" || typeof doc.paths !== "object" || Array.isArray(doc.paths)) {
    throw new Error("it has no paths map");
  }
  return doc;
}

/**
 * Starts the mock in this process: Prism's engine behind our own HTTP front, listening on
 * `host:port` only once it can answer correctly. Rejects with the reason if the description
 * cannot be read or the port cannot be taken.
 */
export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  checkOptions(options);
  const host = options.host ?? "127.0.0.1";
  const timeout = options.startTimeoutMs ?? 30_000;
  const log = options.onLog ?? ((line: string) => process.stderr.write(`${line}\n`));
  let spec: OpenAPIDocument;
  try {
    spec = options.spec === undefined ? loadSpec() : readSpec(options.spec);
  } catch (err) {
    throw new Error(
      `startMock: cannot read the description ${options.spec ?? specJsonPath}: ${(err as Error).message}`,
    );
  }
  const engine = await withDeadline(
    createEngine({ ...(options.spec !== undefined ? { spec: options.spec } : {}), dynamic: Boolean(options.dynamic) }),
    timeout,
  ).catch((err: unknown) => {
    throw new Error(
      `startMock: Prism cannot load the description ${options.spec ?? specJsonPath}: ${(err as Error).message}`,
    );
  });
  let sandbox: Sandbox | undefined;
  if (options.stateful) {
    try {
      sandbox = new Sandbox({
        ...(options.state !== undefined ? { seed: options.state } : {}),
        ...(options.polls !== undefined ? { polls: options.polls } : {}),
        ...(options.maxDocuments !== undefined ? { maxDocuments: options.maxDocuments } : {}),
      });
    } catch (err) {
      throw new Error(`startMock: ${(err as Error).message}`);
    }
  }
  const failures: Error[] = [];
  const sensitive = new Set(sensitiveFields(spec));
  const proxy =
    options.proxy !== undefined
      ? createProxy({
          upstream: options.proxy,
          spec,
          log,
          ...(options.reportFile ? { reportFile: options.reportFile } : {}),
          ...(options.proxyTimeoutMs !== undefined ? { timeoutMs: options.proxyTimeoutMs } : {}),
          ...(options.failOnUpstreamError ? { onUpstreamFailure: (error: Error) => failures.push(error) } : {}),
        })
      : undefined;
  const server = createFront({
    engine,
    validator: new SpecValidator(spec),
    spec,
    strict: Boolean(options.strict),
    dynamic: Boolean(options.dynamic),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    host,
    ...(proxy ? { proxy } : {}),
    ...(sandbox ? { sandbox } : {}),
    onInternalError(error, where) {
      const failure = new Error(redactPath(`${where}: ${(error as Error)?.stack ?? String(error)}`, sensitive));
      failures.push(failure);
      log(`ixpress-mock: internal error on ${failure.message}`);
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new Error(
      `startMock: cannot listen on ${host}:${String(options.port ?? 0)} (${code}); is another mock running? (port 0 picks a free port)`,
    );
  }
  const port = (server.address() as net.AddressInfo).port;
  let settle: (code: number) => void = () => {};
  const exited = new Promise<number | null>((resolve) => {
    settle = resolve;
  });
  server.on("error", (err) => {
    failures.push(err);
    log(`ixpress-mock: the server failed: ${err.message}`);
    void closeServer(server).then(() => settle(1));
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= closeServer(server).then(() => settle(0));
    return stopping;
  };
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    pid: process.pid,
    stop,
    exited,
    failures,
    violations: proxy?.violations ?? [],
    ...(sandbox
      ? {
          sandbox: {
            reset: () => sandbox.reset(),
            seed: (state: string | object) => sandbox.seed(state),
            dump: () => sandbox.dump(),
          },
        }
      : {}),
  };
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not ready within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function closeServer(server: http.Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
