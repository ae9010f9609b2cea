// When the engine itself fails, the mock says so loudly and keeps serving: a 500 in the API's
// error shape, a failure recorded for the test run, and never the API key in any of them.
import http from "node:http";
import type net from "node:net";
import { loadSpec, sensitiveFields } from "@ixpress/openapi";
import { SpecValidator } from "@ixpress/openapi/validate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/engine.js";
import { redactPath } from "../src/proxy.js";
import { createFront } from "../src/server.js";

const KEY = "sEcReT-key-4711";
const spec = loadSpec();
const failures: { error: unknown; where: string }[] = [];
let mode: "throw" | "reject" | "left" | "ok" = "throw";
let calls = 0;

/** An engine that fails in the way the current test asks for, naming the URL it was given. */
const engine: Engine = {
  prismLoaded: true,
  async respond(input) {
    calls++;
    const named = `${input.url.path}?api_key=${KEY}`;
    if (mode === "throw") throw new Error(`engine exploded on ${named}`);
    if (mode === "reject") return Promise.reject(new TypeError(`engine rejected ${named}`));
    if (mode === "left") return { ok: false, error: { name: "BOOM", message: `no answer for ${named}`, status: 500 } };
    return { ok: true, output: { statusCode: 200, headers: { "content-type": "application/json" }, body: { ok: 1 } } };
  },
};

let server: http.Server;
let port: number;
beforeAll(async () => {
  server = createFront({
    engine,
    validator: new SpecValidator(spec),
    spec,
    strict: false,
    dynamic: true, // no answer cache: every request reaches the engine
    host: "127.0.0.1",
    onInternalError(error, where) {
      failures.push({ error, where });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
});

function get(path: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${path}`)));
    req.on("error", reject);
    req.end();
  });
}

describe("an engine failure", () => {
  for (const m of ["throw", "reject"] as const) {
    it(`(${m}) answers 500 in the error shape, records the failure and leaks no key`, async () => {
      mode = m;
      const before = failures.length;
      const res = await get(`/clients.json?api_key=${KEY}&page=1`);
      expect(res.status).toBe(500);
      const body = JSON.parse(res.body) as { errors: { error: string } };
      expect(body.errors.error).toMatch(/^ixpress mock internal error: engine/);
      expect(body.errors.error).toContain("api_key=[REDACTED]");
      expect(res.body).not.toContain(KEY);
      expect(failures.length).toBe(before + 1);
      const { where } = failures.at(-1)!;
      expect(where).toBe("GET /clients.json?api_key=[REDACTED]&page=1");
    });
  }

  it("does not stop the server: the next request is answered", async () => {
    mode = "throw";
    expect((await get(`/clients.json?api_key=${KEY}`)).status).toBe(500);
    mode = "ok";
    const res = await get(`/clients.json?api_key=${KEY}`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: 1 });
  });

  it("an engine that answers with an error is reported, not crashed on", async () => {
    mode = "left";
    const before = calls;
    const res = await get(`/clients.json?api_key=${KEY}`);
    expect(calls).toBe(before + 1);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body).not.toContain(KEY);
  });
});

describe("redactPath on text that is not a clean path", () => {
  const names = new Set(sensitiveFields(spec));
  it("never throws on a malformed escape and still redacts the key", () => {
    expect(redactPath(`/x.json?%ZZ=1&api_key=${KEY}`, names)).toBe("/x.json?%ZZ=1&api_key=[REDACTED]");
  });
  it("stops the value at whitespace, so a stack trace after it survives", () => {
    const text = `GET /x.json?api_key=${KEY} (while answering)\n    at f (file.js:1:1)`;
    expect(redactPath(text, names)).toBe("GET /x.json?api_key=[REDACTED] (while answering)\n    at f (file.js:1:1)");
  });
  it("redacts every occurrence, encoded keys included", () => {
    expect(redactPath(`a?api_key=${KEY} b?api%5Fkey=${KEY}&api_key=${KEY}`, names)).not.toContain(KEY);
  });
});
