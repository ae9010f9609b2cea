import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import { specYamlPath } from "@ixpress/openapi";
import { validateRequest } from "@ixpress/openapi/validate";

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
  /** Prism's log level. Defaults to `warn`. */
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
  /** How long to wait for the port to accept connections. Defaults to 30 000 ms. */
  startTimeoutMs?: number;
  /** Receives every line Prism prints (stdout and stderr). */
  onLog?: (line: string) => void;
}

export interface RunningMock {
  /** Base URL of the mock, e.g. `http://127.0.0.1:4010`. */
  url: string;
  host: string;
  port: number;
  /** Process id of the Prism child process (behind the mock's own front on `port`). */
  pid: number;
  /** Stops Prism (SIGTERM, then SIGKILL after 5 s). Safe to call more than once. */
  stop(): Promise<void>;
  /**
   * Settles when Prism exits, for whatever reason, with its exit code (`null` when it was
   * killed by a signal). Lets a long-running caller notice a mock that died.
   */
  exited: Promise<number | null>;
}

const require = createRequire(import.meta.url);

/** Finds a free TCP port on `host`. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A free loopback port for Prism, drawn below Linux's ephemeral range (32768+), so that no
 * `listen(0)` elsewhere (another mock's front, a test server) can be handed it while Prism
 * is still starting.
 */
async function privatePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen(candidate, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
  return freePort("127.0.0.1");
}

function canConnect(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      socket.destroy();
      resolve(false);
    });
  });
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
  if (options.spec !== undefined && !/^https?:\/\//.test(options.spec) && !existsSync(options.spec)) {
    throw new Error(`startMock: spec file not found: ${options.spec}`);
  }
  if (options.spec === undefined && !existsSync(specYamlPath)) {
    throw new Error(
      `startMock: the bundled description is missing (${specYamlPath}); is @ixpress/openapi built or installed?`,
    );
  }
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A mock must never outlive the process that started it.
  process.once("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
}

/**
 * Starts Prism serving the InvoiceXpress description and resolves once the port accepts
 * connections. Rejects (with Prism's output) if Prism exits or does not listen in time.
 */
export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  checkOptions(options);
  const host = options.host ?? "127.0.0.1";
  // Prism listens on a private loopback port; the mock's front owns the public port, which
  // it takes at once so that no other process can grab it while Prism starts.
  const prismPort = await privatePort();
  const front = createFront(prismPort, options.spec === undefined);
  try {
    await new Promise<void>((resolve, reject) => {
      front.once("error", reject);
      front.listen(options.port ?? 0, host, () => {
        front.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new Error(
      `startMock: cannot listen on ${host}:${String(options.port ?? 0)} (${code}); is another mock running? (port 0 picks a free port)`,
    );
  }
  const port = (front.address() as net.AddressInfo).port;
  const timeout = options.startTimeoutMs ?? 30_000;
  const prism = require.resolve("@stoplight/prism-cli/dist/index.js");
  const args = [prism, "mock", "-h", "127.0.0.1", "-p", String(prismPort), "-v", options.logLevel ?? "warn"];
  if (options.dynamic) args.push("-d");
  if (options.seed !== undefined) args.push("--seed", String(options.seed));
  if (options.dynamic) args.push("--json-schema-faker-fillProperties=false");
  args.push(options.spec ?? specYamlPath);

  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  installExitHook();
  let output = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-20_000);
    if (options.onLog) for (const line of text.split("\n")) if (line.trim()) options.onLog(line);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const exitedWith = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const exited = exitedWith.then(() => undefined);
  child.once("exit", () => live.delete(child));

  void exited.then(() => closeServer(front));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await closeServer(front);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killTimer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.kill("SIGTERM");
      await exited;
      clearTimeout(killTimer);
    })();
    return stopping;
  };

  const started = Date.now();
  let early = false;
  void exited.then(() => {
    early = true;
  });
  for (;;) {
    if (early) {
      throw new Error(`startMock: Prism exited before listening (code ${String(child.exitCode)}):\n${output}`);
    }
    if (await canConnect(prismPort, "127.0.0.1")) break;
    if (Date.now() - started > timeout) {
      await stop();
      throw new Error(`startMock: Prism did not listen on ${host}:${port} within ${timeout} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return { url: `http://${urlHost}:${port}`, host, port, pid: child.pid ?? -1, stop, exited: exitedWith };
}

/**
 * Prism 5.14 reads bracketed query names (`type[]`, `date[from]`) qs-style and so never checks
 * them (stoplightio/prism#2017, #2443). The front checks those parameters with our own
 * validators and answers 422 as Prism would; everything else goes to Prism untouched.
 */
function createFront(prismPort: number, checkBracketedQuery: boolean): http.Server {
  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    if (checkBracketedQuery && q >= 0 && /\[|%5B/i.test(url.slice(q))) {
      const result = validateRequest({ method: req.method ?? "GET", path: url });
      const issues = result.operationId
        ? result.issues.filter((i) => i.at.startsWith("query.") && i.at.includes("["))
        : [];
      if (issues.length > 0) {
        const validation = issues.map((i) => ({
          location: ["query", i.at.slice("query.".length)],
          severity: "Error",
          code: "query",
          message: i.message,
        }));
        res.writeHead(422, {
          "content-type": "application/problem+json",
          "sl-violations": JSON.stringify(validation),
        });
        res.end(
          JSON.stringify({
            type: "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
            title: "Invalid request",
            status: 422,
            detail: `Query parameters refused by the InvoiceXpress description: ${issues.map((i) => `${i.at}: ${i.message}`).join("; ")}`,
            validation,
          }),
        );
        req.resume();
        return;
      }
    }
    const upstream = http.request(
      { host: "127.0.0.1", port: prismPort, method: req.method, path: url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (err) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`ixpress mock: Prism did not answer (${err.message})`);
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 1_000;
  return server;
}

function closeServer(server: http.Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
