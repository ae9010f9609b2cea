// The client as a bundler for a browser or a worker sees it (package.json `imports`, condition
// `default`): retries, the rate limiter, the timeout's timer and the log hook are chunks of their
// own, loaded only by the clients (and calls) that switch them on. The package's dist/ is bundled
// with esbuild (code splitting, platform browser) and run in a child Node process against a
// local server. (Under Node, and so in the other tests, every layer is there from the start.)
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultServer, startFaultServer } from "./fault-server.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const KEY = "lazy-layer-key-3f9a";

// What the child runs: each step records the layers loaded after it (`loaded` is process-wide).
const MAIN = `
import { createClient } from "@ixpress/client";
import { loaded } from "#layers";
const baseUrl = process.env.SERVER_URL;
const apiKey = ${JSON.stringify(KEY)};
const steps = {};
const note = (name, more) => (steps[name] = { loaded: [...loaded].sort(), ...more });

const off = createClient({ baseUrl, apiKey, retry: false, rateLimit: false, timeoutMs: 0 });
const a = await off.GET("/clients.json");
note("off", { status: a.response.status, url: a.response.url });

const b = await off.GET("/stall/clients.json", { timeoutMs: 150 }).then(
  () => ({ kind: "none" }),
  (e) => ({ kind: e.kind, line: String(e) }),
);
note("off, one call with a timeout", b);

const ix = createClient({ baseUrl, apiKey });
const c = await ix.GET("/flaky/clients.json");
note("defaults", { status: c.response.status });

const events = [];
const logged = createClient({ baseUrl, apiKey, retry: false, rateLimit: false, timeoutMs: 0, log: (e) => events.push(e) });
await logged.GET("/clients.json");
note("log", { events: events.map((e) => e.type + " " + e.url) });

console.log(JSON.stringify(steps));
`;

let dir: string;
let server: FaultServer;
let metafile: Metafile;
let entry: string;

beforeAll(async () => {
  if (!existsSync(path.join(root, "dist", "layers-lazy.js")))
    throw new Error("dist/ is missing: run `pnpm --filter @ixpress/client build` first");
  dir = mkdtempSync(path.join(tmpdir(), "ixpress-lazy-"));
  // No tsconfig: the package's own maps #layers to the sources (for its type-check), a consumer's does not.
  const tsconfig = path.join(dir, "tsconfig.json");
  writeFileSync(tsconfig, "{}");
  const out = await build({
    stdin: { contents: MAIN, resolveDir: root, loader: "js", sourcefile: "main.js" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outdir: path.join(dir, "out"),
    entryNames: "main",
    metafile: true,
    tsconfig,
    logLevel: "silent",
  });
  metafile = out.metafile;
  entry = path.join(dir, "out", "main.js");
  server = await startFaultServer();
  let flaky = 0;
  server.script((req) =>
    req.url.startsWith("/stall/")
      ? { stall: true }
      : req.url.startsWith("/flaky/") && flaky++ === 0
        ? { status: 503, json: { errors: [{ error: "busy" }] } }
        : { status: 200, json: { clients: [] } },
  );
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the bundle in a child process (killed if it hangs) and returns what it printed. */
function runBundle(): Promise<Record<string, { loaded: string[] } & Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, SERVER_URL: server.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("close", (code) => {
      clearTimeout(kill);
      if (code !== 0) reject(new Error(`the bundle exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split("\n").pop()!));
    });
  });
}

/** The source files in the entry chunk and the chunks it imports statically. */
function initialInputs(): string[] {
  const outputs = metafile.outputs;
  const start = Object.keys(outputs).find((o) => outputs[o]!.entryPoint !== undefined)!;
  const seen = new Set<string>();
  const walk = (o: string) => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const i of outputs[o]!.imports) if (i.kind === "import-statement" && outputs[i.path]) walk(i.path);
  };
  walk(start);
  return [...seen].flatMap((o) => Object.keys(outputs[o]!.inputs)).map((i) => path.basename(i));
}

describe("lazy layers in a bundle (code splitting, platform browser)", () => {
  it("the first chunks hold no retry, timeout or log code: those modules are chunks of their own", () => {
    const initial = initialInputs();
    expect(initial).toContain("transport.js");
    expect(initial).toContain("layers-lazy.js");
    for (const layer of ["retry.js", "retry-after.js", "deadlines.js", "log.js", "layers.js"])
      expect(initial, layer).not.toContain(layer);
    const dynamic = Object.values(metafile.outputs).filter((o) => o.entryPoint?.endsWith("/retry.js"));
    expect(dynamic).toHaveLength(1);
  });

  it("each client loads what it switches on, and nothing else; the layers work once loaded", async () => {
    const steps = await runBundle();
    // Retries, rate limit, timeout and log off: no layer is loaded, the call works, the url is redacted.
    expect(steps.off).toMatchObject({ loaded: [], status: 200 });
    expect(steps.off!.url).not.toContain(KEY);
    // A per-call timeout on that client loads the timeout layer (only), and it fires.
    expect(steps["off, one call with a timeout"]).toMatchObject({ loaded: ["timeout"], kind: "timeout" });
    expect(String(steps["off, one call with a timeout"]!.line)).not.toContain(KEY);
    // The defaults: retry and rate limit come in too, and the 503 is retried to a 200.
    expect(steps.defaults).toMatchObject({ loaded: ["rateLimit", "retry", "timeout"], status: 200 });
    // A log hook brings the log layer; its events carry the redacted url.
    expect(steps.log!.loaded).toEqual(["log", "rateLimit", "retry", "timeout"]);
    expect(steps.log!.events).toEqual([
      `request ${server.url}/clients.json`,
      `response ${server.url}/clients.json`,
    ]);
    const flaky = server.requests.filter((r) => r.url.startsWith("/flaky/"));
    expect(flaky).toHaveLength(2);
  });
});
