import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.js";
import { freePort } from "../src/ports.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const running: RunningMock[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.stop()));
});

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: "127.0.0.1" });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => (s.destroy(), resolve(false)));
  });
}

describe("startMock", () => {
  it("serves the spec on 127.0.0.1 and stops cleanly", async () => {
    const mock = await startMock();
    running.push(mock);
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${mock.url}/clients.json?api_key=test`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { clients: unknown[] };
    expect(Array.isArray(body.clients)).toBe(true);
    await mock.stop();
    await mock.stop(); // a second stop is harmless
    expect(await isListening(mock.port)).toBe(false);
    expect(await mock.exited).toBe(0);
  });

  it("checks bracketed list filters, which Prism alone lets through", async () => {
    const mock = await startMock();
    running.push(mock);
    const bad = await fetch(`${mock.url}/estimates.json?api_key=k&type[]=Invoice&date%5Bfrom%5D=2024-01-01`);
    expect(bad.status).toBe(422);
    const refusal = (await bad.json()) as { errors: { error: string } };
    expect(refusal.errors.error).toContain('type[][0]: must be one of: Quote, Proforma, FeesNote, got "Invoice"');
    expect(refusal.errors.error).toContain('date[from]: must be a date written dd/mm/yyyy, got "2024-01-01"');
    const violations = JSON.parse(bad.headers.get("sl-violations") ?? "[]") as Array<{ location: string[] }>;
    expect(violations.map((v) => v.location.slice(1, 3).join(".")).sort()).toEqual([
      "query.date[from]",
      "query.type[]",
    ]);
    const good = await fetch(
      `${mock.url}/invoices.json?api_key=k&type[]=Invoice&type[]=CreditNote&date[from]=01/12/2017`,
    );
    expect(good.status).toBe(200);
    expect(((await good.json()) as { invoices: unknown[] }).invoices.length).toBeGreaterThan(0);
    // Everything else still reaches Prism: its own 422 for a plain parameter, and bodies.
    expect((await fetch(`${mock.url}/clients.json?api_key=k&page=abc`)).status).toBe(422);
    const created = await fetch(`${mock.url}/clients.json?api_key=k`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client: { name: "A", code: "1" } }),
    });
    expect(created.status).toBe(201);
  });

  it("answers 401 without the API key", async () => {
    const mock = await startMock();
    running.push(mock);
    expect((await fetch(`${mock.url}/clients.json`)).status).toBe(401);
  });

  it("refuses a busy port with a clear error", async () => {
    const mock = await startMock();
    running.push(mock);
    await expect(startMock({ port: mock.port })).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
  });

  it("refuses bad options before starting anything", async () => {
    await expect(startMock({ port: 70000 })).rejects.toThrow(/port must be an integer from 0 to 65535/);
    await expect(startMock({ seed: 1.5 })).rejects.toThrow(/seed must be an integer/);
  });

  it("names a missing spec file before starting anything", async () => {
    await expect(startMock({ spec: path.join(here, "does-not-exist.yaml") })).rejects.toThrow(
      /spec file not found: .*does-not-exist\.yaml/,
    );
  });

  it("refuses a seed without dynamic mode, which would do nothing", async () => {
    await expect(startMock({ seed: 3 })).rejects.toThrow(/seed only applies with dynamic: true/);
  });

  it("reports a description Prism cannot read, with the reason", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ixpress-mock-"));
    const broken = path.join(dir, "broken.yaml");
    writeFileSync(broken, "openapi: 3.1.0\npaths: [not, a, map\n");
    try {
      await expect(startMock({ spec: broken })).rejects.toThrow(
        /cannot (read|load) the description .*broken\.yaml: \S/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs in the caller's process: nothing to orphan, and no failures in a healthy run", async () => {
    const mock = await startMock();
    running.push(mock);
    expect(mock.pid).toBe(process.pid);
    expect((await fetch(`${mock.url}/clients.json?api_key=k`)).status).toBe(200);
    expect(mock.failures).toEqual([]);
  });

  it("serves generated bodies in dynamic mode, the same ones for the same seed", async () => {
    const a = await startMock({ dynamic: true, seed: 42 });
    const b = await startMock({ dynamic: true, seed: 42 });
    running.push(a, b);
    const get = async (m: RunningMock) =>
      (await fetch(`${m.url}/clients.json?api_key=test`)).json() as Promise<{ clients: unknown[] }>;
    const [first, second] = [await get(a), await get(b)];
    expect(Array.isArray(first.clients)).toBe(true);
    expect(second).toEqual(first);
  });
});

describe("ixpress-mock CLI", () => {
  const cli = path.resolve(here, "../dist/cli.js");

  it("prints the URL and operation count, and stops on SIGINT", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [cli, "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!out.includes("listening") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(out).toMatch(
        new RegExp(`listening on http://127\\.0\\.0\\.1:${port}\\n  \\d+ operations, named examples, ready in \\d+ ms`),
      );
      expect((await fetch(`http://127.0.0.1:${port}/clients.json?api_key=x`)).status).toBe(200);
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(out).toMatch(/SIGINT: stopping the mock\.\.\.\nstopped\.\n$/);
      expect(await isListening(port)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("says how to get out of a busy port", async () => {
    const mock = await startMock();
    running.push(mock);
    const child = spawn(process.execPath, [cli, "--port", String(mock.port)], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    expect(code).toBe(1);
    expect(err).toMatch(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)[\s\S]*--port 0 for a free one/);
  });

  it("refuses a bad --port with usage", async () => {
    const child = spawn(process.execPath, [cli, "--port", "http"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    expect(code).toBe(2);
    expect(err).toMatch(/--port must be a whole number from 0 to 65535, got "http"/);
  });
});
