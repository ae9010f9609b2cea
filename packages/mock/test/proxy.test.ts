// The validating proxy, against a fake upstream on 127.0.0.1: it forwards, validates both
// sides, reports each violation as a log line and in a JSON report, and redacts secrets.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadSpec, sensitiveFields } from "@ixpress/openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.js";
import { redactPath } from "../src/proxy.js";

const KEY = "secret-key-1234";
let upstream: http.Server;
let mock: RunningMock;
const seen: Array<{ method: string; url: string; body: string }> = [];
const logs: string[] = [];
const dir = mkdtempSync(path.join(tmpdir(), "ixpress-proxy-"));
const report = path.join(dir, "report.json");

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", body });
      res.setHeader("content-type", "application/json; charset=utf-8");
      if (req.url?.startsWith("/clients.json") && req.method === "GET") {
        // Breaks the spec: a client name that is not text.
        res.end(JSON.stringify({ clients: [{ id: 1, name: 5 }] }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ errors: { error: "Document not found" } }));
      }
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", () => r()));
  const { port } = upstream.address() as AddressInfo;
  mock = await startMock({ proxy: `http://127.0.0.1:${port}`, reportFile: report, onLog: (l) => logs.push(l) });
});
afterAll(async () => {
  await mock?.stop();
  await new Promise<void>((r) => (upstream ? upstream.close(() => r()) : r()));
  rmSync(dir, { recursive: true, force: true });
});

describe("validating proxy", () => {
  it("forwards the request and the upstream's answer unchanged", async () => {
    const res = await fetch(`${mock.url}/clients.json?api_key=${KEY}&page=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ clients: [{ id: 1, name: 5 }] });
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: `/clients.json?api_key=${KEY}&page=1` });
  });

  it("reports response violations in the log and the report, with the key redacted", async () => {
    await fetch(`${mock.url}/clients.json?api_key=${KEY}`);
    const fromReport = JSON.parse(readFileSync(report, "utf8")) as {
      violations: Array<{ side: string; where: string; path: string; message: string }>;
    };
    const response = fromReport.violations.filter((v) => v.side === "response");
    expect(response.map((v) => v.where)).toContain("body.clients[0].name");
    expect(
      logs.some((l) => /response GET \/clients\.json\?api_key=\[REDACTED\].*body\.clients\[0\]\.name/.test(l)),
    ).toBe(true);
    expect(readFileSync(report, "utf8")).not.toContain(KEY);
    expect(logs.join("\n")).not.toContain(KEY);
  });

  it("reports request violations and still forwards, redacting x-sensitive fields", async () => {
    const res = await fetch(`${mock.url}/clients.json?api_key=${KEY}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client: { code: "1", email: "nope" } }),
    });
    expect(res.status).toBe(404); // what the fake upstream says
    const text = readFileSync(report, "utf8");
    expect(text).toContain("body.client.email");
    expect(text).not.toContain(KEY);
  });

  it("knows the x-sensitive fields of the description and redacts them in paths", () => {
    const names = new Set(sensitiveFields(loadSpec()));
    expect(names.has("api_key")).toBe(true);
    expect(names.has("name")).toBe(false);
    expect(redactPath(`/accounts.json?api_key=${KEY}&x=1`, names)).toBe("/accounts.json?api_key=[REDACTED]&x=1");
  });

  it("refuses an upstream that is neither https nor loopback", async () => {
    await expect(startMock({ proxy: "http://example.com" })).rejects.toThrow(/https:\/\//);
  });
});
