// How the sandbox is switched on and controlled: startMock's options, the CLI's --stateful,
// the vitest global setup (environment and createGlobalSetup), and what stays the same (the
// spec's validation, strict mode, Prefer scenarios).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.js";
import setup, { createGlobalSetup } from "../src/vitest.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "ixpress-sandbox-"));
const running: RunningMock[] = [];
afterAll(async () => {
  await Promise.all(running.map((m) => m.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startMock>[0]): Promise<RunningMock> {
  const m = await startMock(options);
  running.push(m);
  return m;
}

const seedFile = path.join(dir, "account.json");
writeFileSync(seedFile, JSON.stringify({ clients: [{ name: "Seeded Lda", code: "S1" }] }));

describe("startMock({ stateful })", () => {
  it("starts from a JSON file and resets back to it", async () => {
    const m = await start({ stateful: true, state: seedFile });
    const names = async () =>
      (
        (await (await fetch(`${m.url}/clients.json?api_key=k`)).json()) as { clients: Array<{ name: string }> }
      ).clients.map((c) => c.name);
    expect(await names()).toEqual(["Seeded Lda"]);
    await fetch(`${m.url}/clients.json?api_key=k`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client: { name: "New", code: "N" } }),
    });
    expect(await names()).toEqual(["New", "Seeded Lda"]);
    m.sandbox!.reset();
    expect(await names()).toEqual(["Seeded Lda"]);
  });

  it("refuses options that do not fit, naming them", async () => {
    await expect(startMock({ state: seedFile })).rejects.toThrow(/state and polls only apply with stateful: true/);
    await expect(startMock({ stateful: true, polls: -1 })).rejects.toThrow(/polls must be a whole number/);
    await expect(startMock({ stateful: true, state: path.join(dir, "missing.json") })).rejects.toThrow(
      /state file not found/,
    );
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ clients: [{ id: "x", name: 3 }] }));
    await expect(startMock({ stateful: true, state: bad })).rejects.toThrow(
      /clients\[0\]\.id: must be a positive whole number.*clients\[0\]\.name: must be text/,
    );
    await expect(startMock({ stateful: true, proxy: "https://acme.app.invoicexpress.com" })).rejects.toThrow(
      /stateful and proxy cannot be combined/,
    );
  });

  it("keeps the spec's validation and strict mode, and lets Prefer ask for a stateless scenario", async () => {
    const m = await start({ stateful: true, strict: true });
    const res = await fetch(`${m.url}/clients.json?api_key=k`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client: { name: "A", code: "1", nmae: "typo" } }),
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("nmae");
    expect(m.sandbox!.dump().clients).toEqual([]);
    const asked = await fetch(`${m.url}/clients/1.json?api_key=k`, { headers: { prefer: "code=404" } });
    expect(asked.status).toBe(404);
    expect(asked.headers.get("x-ixpress-sandbox")).toBe("stateless-prefer");
    const head = await fetch(`${m.url}/taxes.json?api_key=k`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("x-ixpress-sandbox")).toBe("stateful");
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(0);
  });

  it("without stateful, the control endpoints say how to switch the sandbox on", async () => {
    const m = await start({});
    expect(m.sandbox).toBeUndefined();
    const res = await fetch(`${m.url}/__sandbox/state`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("start the mock with --stateful");
  });
});

describe("the vitest global setup", () => {
  it("serves the sandbox with IXPRESS_MOCK_STATEFUL=1 and IXPRESS_MOCK_STATE", async () => {
    process.env.IXPRESS_MOCK_STATEFUL = "1";
    process.env.IXPRESS_MOCK_STATE = seedFile;
    let url = "";
    try {
      const teardown = await setup({ provide: (_k, v) => (url = v) });
      try {
        const state = (await (await fetch(`${url}/__sandbox/state`)).json()) as { clients: Array<{ name: string }> };
        expect(state.clients.map((c) => c.name)).toEqual(["Seeded Lda"]);
      } finally {
        await teardown();
      }
    } finally {
      delete process.env.IXPRESS_MOCK_STATEFUL;
      delete process.env.IXPRESS_MOCK_STATE;
    }
  });

  it("takes options in code with createGlobalSetup, and refuses a bad IXPRESS_MOCK_POLLS", async () => {
    let url = "";
    const teardown = await createGlobalSetup({ stateful: true, polls: 0 })({ provide: (_k, v) => (url = v) });
    try {
      const res = await fetch(`${url}/invoices.json?api_key=k`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          invoice: {
            date: "01/12/2026",
            due_date: "01/12/2026",
            client: { name: "C" },
            items: [{ name: "I", unit_price: 1, quantity: 1 }],
          },
        }),
      });
      const id = ((await res.json()) as { invoice: { id: number } }).invoice.id;
      // polls: 0, so the PDF is ready at once.
      expect((await fetch(`${url}/api/pdf/${id}.json?api_key=k`)).status).toBe(200);
    } finally {
      await teardown();
    }
    process.env.IXPRESS_MOCK_STATEFUL = "1";
    process.env.IXPRESS_MOCK_POLLS = "many";
    try {
      await expect(setup({ provide: () => {} })).rejects.toThrow(
        /IXPRESS_MOCK_POLLS must be a whole number, got "many"/,
      );
    } finally {
      delete process.env.IXPRESS_MOCK_STATEFUL;
      delete process.env.IXPRESS_MOCK_POLLS;
    }
  });
});

describe("ixpress-mock --stateful", () => {
  const cli = path.resolve(here, "../dist/cli.js");

  it("serves the sandbox from a state file, and stops on SIGINT", async () => {
    const child = spawn(process.execPath, [cli, "--port", "0", "--stateful", "--state", seedFile, "--polls", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!out.includes("Ctrl-C") && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(out).toMatch(/\d+ operations, stateful sandbox from .*account\.json, ready in \d+ ms/);
      expect(out).toContain("/__sandbox/reset");
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const client = await fetch(`${url}/clients/find-by-code.json?api_key=k&client_code=S1`);
      expect(client.status).toBe(200);
      child.kill("SIGINT");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("refuses --polls without --stateful, with usage", async () => {
    const child = spawn(process.execPath, [cli, "--polls", "2"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    expect(code).toBe(2);
    expect(err).toMatch(/--state and --polls only make sense with --stateful/);
  });
});
