// Promises of the front that a hostile caller tries to break: a control body never makes the
// mock read or probe a file; a request already sent on an idle keep-alive connection is answered,
// also after the event loop was busy for longer than the keep-alive timeout; an upstream that
// cannot be reached, resets or stays silent gets a 502 or 504, recorded, without a mock failure.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadSpec } from "@ixpress/openapi";
import { SpecValidator } from "@ixpress/openapi/validate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../src/engine.js";
import { type RunningMock, startMock } from "../src/index.js";
import { freePort } from "../src/ports.js";
import { createFront } from "../src/server.js";

const dir = mkdtempSync(path.join(tmpdir(), "ixpress-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the control endpoints take JSON objects only", () => {
  let mock: RunningMock;
  let seedFile: string;
  beforeAll(async () => {
    mock = await startMock({ stateful: true });
    // A valid account in a file: if any body could name it, the canary client would appear.
    const dump = mock.sandbox!.dump() as unknown as { clients: Array<Record<string, unknown>> };
    dump.clients.push({ ...(dump.clients[0] ?? {}), id: 999_999, name: "LEAK-CANARY", code: "LEAK" });
    seedFile = path.join(dir, "account.json");
    writeFileSync(seedFile, JSON.stringify(dump));
  });
  afterAll(() => mock?.stop());

  const send = async (method: string, body: string) => {
    const res = await fetch(`${mock.url}/__sandbox/state`, {
      method,
      headers: { "content-type": "application/json" },
      body,
    });
    return { status: res.status, text: await res.text() };
  };

  it("refuses every path-like string the same way, revealing nothing of the disk", async () => {
    const strings = [
      "/etc/passwd",
      "../../../../../../etc/passwd",
      "../package.json",
      "package.json",
      dir, // a directory
      "/nonexistent/account.json",
      "",
      "\u0000",
      "file:///etc/passwd",
    ];
    const answers = new Set<string>();
    for (const method of ["PUT", "POST"]) {
      for (const s of [...strings, () => seedFile]) {
        const value = typeof s === "function" ? s() : s;
        const { status, text } = await send(method, JSON.stringify(value));
        expect(status, value).toBe(400);
        expect(text).not.toMatch(
          /root:|ENOENT|EISDIR|EACCES|no such file|directory|passwd|package\.json|account\.json/i,
        );
        if (value !== "") expect(text).not.toContain(value);
        answers.add(text);
      }
    }
    // One answer for all of them: whether a path exists, is a directory or a file cannot be told apart.
    expect([...answers]).toHaveLength(1);
    expect([...answers][0]).toMatch(/takes the account as a JSON object.*got a string/);
    const state = await (await fetch(`${mock.url}/__sandbox/state`)).text();
    expect(state).not.toContain("LEAK-CANARY");
  });

  it("names what was expected for every other kind of body", async () => {
    for (const [body, kind] of [
      ["42", "a number"],
      ["true", "a boolean"],
      ["null", "null"],
      ['["/etc/passwd"]', "an array"],
    ] as const) {
      const { status, text } = await send("PUT", body);
      expect(status, body).toBe(400);
      expect(text).toContain(`got ${kind}`);
      expect(text).not.toContain("passwd");
    }
    const empty = await send("PUT", "");
    expect(empty.status).toBe(400);
    expect(empty.text).toMatch(/JSON object.*empty/);
  });

  it("still takes a state object, and a seed file from the option of whoever starts the mock", async () => {
    const dump = await (await fetch(`${mock.url}/__sandbox/state`)).json();
    expect((await send("PUT", JSON.stringify(dump))).status).toBe(200);
    const seeded = await startMock({ stateful: true, state: seedFile });
    try {
      expect(JSON.stringify(seeded.sandbox!.dump())).toContain("LEAK-CANARY");
    } finally {
      await seeded.stop();
    }
  });
});

describe("keep-alive: a request sent on an idle connection is always answered", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    const spec = loadSpec();
    server = createFront({
      engine: await createEngine({}),
      validator: new SpecValidator(spec),
      spec,
      strict: false,
      dynamic: false,
      host: "127.0.0.1",
      keepAliveMs: 100,
      onInternalError(error) {
        throw error;
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

  const get = (agent: http.Agent) =>
    new Promise<number | string>((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, path: "/clients.json?api_key=k", agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
      req.end();
    });

  it("when its idle timer fires before the loop has read it (after a busy loop)", async () => {
    // After the event loop was busy for longer than the keep-alive timeout, Node runs the
    // connection's idle timer before it reads the request that arrived meanwhile: here the
    // timer's event is raised right after the request is written, before any turn of the loop.
    const serverSockets: net.Socket[] = [];
    const onConnection = (s: net.Socket) => serverSockets.push(s);
    server.on("connection", onConnection);
    const { connect } = await import("node:net");
    const client = connect(port, "127.0.0.1");
    let received = "";
    client.setEncoding("latin1");
    client.on("data", (d: string) => (received += d));
    const closed = new Promise<string>((resolve) => {
      client.on("error", (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
      client.on("close", () => resolve("closed"));
    });
    const request = "GET /clients.json?api_key=k HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n";
    const answers = () => received.split("HTTP/1.1 200").length - 1;
    try {
      await new Promise<void>((resolve) => client.once("connect", () => resolve()));
      client.write(request);
      while (answers() < 1) await new Promise((r) => setTimeout(r, 5));
      client.write(request);
      serverSockets[0]!.emit("timeout");
      const outcome = await Promise.race([
        closed,
        (async () => {
          while (answers() < 2) await new Promise((r) => setTimeout(r, 5));
          return "answered";
        })(),
      ]);
      expect(outcome).toBe("answered");
      expect(serverSockets[0]!.destroyed).toBe(false);
    } finally {
      server.off("connection", onConnection);
      client.destroy();
    }
  });

  it("still closes connections that stay idle, when their idle timer fires", async () => {
    const serverSockets: net.Socket[] = [];
    const onConnection = (s: net.Socket) => serverSockets.push(s);
    server.on("connection", onConnection);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(agent)).toBe(200);
      const socket = serverSockets[0]!;
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      socket.emit("timeout");
      await closed;
      expect(socket.destroyed).toBe(true);
    } finally {
      server.off("connection", onConnection);
      agent.destroy();
    }
  });
});

describe("proxy: an upstream that fails gets a 502 or 504, recorded, not a mock failure", () => {
  const upstreams: http.Server[] = [];
  afterAll(() => Promise.all(upstreams.map((u) => new Promise((r) => u.close(r)))));
  const serve = async (handler: http.RequestListener) => {
    const u = http.createServer(handler);
    upstreams.push(u);
    await new Promise<void>((resolve) => u.listen(0, "127.0.0.1", resolve));
    u.on("connection", (s) => s.unref());
    return `http://127.0.0.1:${(u.address() as net.AddressInfo).port}`;
  };

  it("502 when nothing listens, 502 on a reset, 504 on silence; each in violations", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const reset = await serve((req) => req.socket.destroy());
    const silent = await serve(() => {});
    for (const [upstream, status, words] of [
      [closed, 502, /could not be reached \(ECONNREFUSED\)/],
      [reset, 502, /could not be reached/],
      [silent, 504, /did not answer in time/],
    ] as const) {
      const mock = await startMock({ proxy: upstream, proxyTimeoutMs: 200, onLog: () => {} });
      try {
        const res = await fetch(`${mock.url}/clients.json?api_key=secret-key-4711`);
        const text = await res.text();
        expect(res.status, text).toBe(status);
        expect(text).toMatch(words);
        expect(text).not.toContain("secret-key-4711");
        expect(mock.violations.map((v) => v.side)).toEqual(["upstream"]);
        expect(mock.violations[0]!.path).toContain("api_key=[REDACTED]");
        expect(mock.failures).toEqual([]);
      } finally {
        await mock.stop();
      }
    }
  });

  it("counts as a failure (for the vitest teardown) when asked", async () => {
    const mock = await startMock({
      proxy: `http://127.0.0.1:${await freePort()}`,
      failOnUpstreamError: true,
      onLog: () => {},
    });
    try {
      expect((await fetch(`${mock.url}/clients.json?api_key=k`)).status).toBe(502);
      expect(mock.failures.map((f) => f.message)).toEqual([expect.stringMatching(/could not be reached/)]);
    } finally {
      await mock.stop();
    }
  });
});
