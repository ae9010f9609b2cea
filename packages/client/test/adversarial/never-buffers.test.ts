// Promise: the client never buffers without bound. An error body is read up to ERROR_BODY_LIMIT
// for its messages; the rest is not read (the stream is cancelled), the status is kept. A
// successful body is never read ahead of the caller: a streamed 200 MB download gives its first
// chunk before the server has sent much of it, and the timeout still covers the rest.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient, ERROR_BODY_LIMIT, InvoiceXpressError, unwrap } from "../../src/index.js";
import { track, until, useFakeClock } from "../fake-clock.js";
import { type FaultServer, startFaultServer } from "../fault-server.js";
import { tally } from "./tally.js";

const counts = tally("never-buffers", "error bodies");
const CHUNK = 64 * 1024;

/** A response whose body is `total` bytes made on demand; `pulled()` says how many were read. */
function hugeResponse(status: number, total: number, head = '{"errors":[{"error":"Too big: ') {
  let pulled = 0;
  let cancelled = false;
  const first = new TextEncoder().encode(head);
  const filler = new Uint8Array(CHUNK).fill(0x61);
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= total) return controller.close();
        const chunk = pulled === 0 ? first : filler;
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  const response = new Response(body, { status, headers: { "content-type": "application/json" } });
  return { response, pulled: () => pulled, cancelled: () => cancelled };
}

describe("never buffers: error bodies are read up to a cap", () => {
  for (const [status, size] of [
    [500, 16 * 1024 * 1024],
    [422, 4 * 1024 * 1024],
    [429, 1024 * 1024],
    [503, ERROR_BODY_LIMIT + 1],
  ] as const)
    it(`a ${size}-byte ${status}: at most the cap is read, the status and a message are kept`, async () => {
      const huge = hugeResponse(status, size);
      const client = createClient({
        baseUrl: "http://127.0.0.1:1",
        apiKey: "buffer-key",
        rateLimit: false,
        retry: false,
        fetch: async () => huge.response,
      });
      const result = await client.GET("/clients.json");
      const bounded = huge.pulled() <= ERROR_BODY_LIMIT + CHUNK;
      counts.check(!bounded, { body: `${status} ${size}` });
      expect(huge.pulled()).toBeLessThanOrEqual(ERROR_BODY_LIMIT + CHUNK);
      expect(huge.cancelled()).toBe(true);
      expect(result.response.status).toBe(status);
      expect(String(result.error).length).toBeLessThanOrEqual(ERROR_BODY_LIMIT);
      let thrown: unknown;
      try {
        unwrap(result);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(InvoiceXpressError);
      expect((thrown as InvoiceXpressError).status).toBe(status);
      expect((thrown as Error).message).toContain(`body cut at ${ERROR_BODY_LIMIT} bytes`);
      expect((thrown as Error).message.length).toBeLessThan(1000);
    });

  it("a body under the cap is read whole, as before", async () => {
    const client = createClient({
      baseUrl: "http://127.0.0.1:1",
      apiKey: "buffer-key",
      rateLimit: false,
      retry: false,
      fetch: async () =>
        new Response('{"errors":[{"error":"Name is taken"}]}', {
          status: 422,
          headers: { "content-type": "application/json" },
        }),
    });
    const result = await client.GET("/clients.json");
    expect(result.error).toEqual({ errors: [{ error: "Name is taken" }] });
    expect(() => unwrap(result)).toThrow(/Name is taken$/);
  });
});

describe("over HTTP", () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(() => server.close());

  it("an 8 MiB 500 from a server: the status, a message from its start, a bounded error", async () => {
    server.script({
      status: 500,
      headers: { "content-type": "text/plain" },
      body: `Internal error ${"z".repeat(8 * 1024 * 1024)}`,
    });
    const client = createClient({ baseUrl: server.url, apiKey: "buffer-key", rateLimit: false, retry: false });
    const result = await client.GET("/clients.json");
    const length = String(result.error).length;
    counts.check(length > ERROR_BODY_LIMIT, { body: "HTTP 500 8 MiB" });
    expect(result.response.status).toBe(500);
    expect(length).toBeLessThanOrEqual(ERROR_BODY_LIMIT);
    expect(() => unwrap(result)).toThrow(/^500 on GET .*: Internal error z+…/);
  });
});

describe("successful bodies are streamed, never read ahead", () => {
  const MB = 1024 * 1024;
  for (const parseAs of ["stream", "blob", "arrayBuffer"] as const)
    it(`parseAs: ${parseAs}: the transport reads nothing of a 200 MB body; only the caller does`, async () => {
      const huge = hugeResponse(200, 200 * MB, "{");
      let pulledWhenReturned = -1;
      const client = createClient({
        baseUrl: "http://127.0.0.1:1",
        apiKey: "buffer-key",
        rateLimit: false,
        fetch: async () => huge.response,
      });
      // A middleware sees the response the transport handed back, before openapi-fetch reads it.
      client.use({
        onResponse: () => {
          pulledWhenReturned = huge.pulled();
        },
      });
      if (parseAs === "stream") {
        const { data } = await client.GET("/clients.json", { parseAs });
        const reader = (data as ReadableStream<Uint8Array>).getReader();
        const first = await reader.read();
        expect(first.value?.byteLength).toBeGreaterThan(0);
        counts.check(huge.pulled() > 2 * CHUNK, { body: `200 MB ${parseAs}` });
        expect(huge.pulled()).toBeLessThanOrEqual(2 * CHUNK);
        await reader.cancel();
        expect(huge.cancelled()).toBe(true);
      } else {
        // The caller asked for the whole body: it is read once, by openapi-fetch, not first by the client.
        const small = hugeResponse(200, 8 * MB, "{");
        const c = createClient({
          baseUrl: "http://127.0.0.1:1",
          apiKey: "k",
          rateLimit: false,
          fetch: async () => small.response,
        });
        c.use({
          onResponse: () => {
            pulledWhenReturned = small.pulled();
          },
        });
        const { data } = await c.GET("/clients.json", { parseAs });
        const size = data instanceof Blob ? data.size : (data as ArrayBuffer).byteLength;
        expect(size).toBe(small.pulled());
        counts.check(pulledWhenReturned > CHUNK, { body: `8 MB ${parseAs}` });
      }
      expect(pulledWhenReturned).toBeLessThanOrEqual(CHUNK);
    });

  it("over HTTP: a 200 MB download's first chunk arrives long before the server has sent it all", async () => {
    const total = 200 * MB;
    let written = 0;
    let closed = false;
    const chunk = Buffer.alloc(CHUNK, 0x61);
    // The body is made as the socket drains: never 200 MB in memory, on either side.
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/pdf", "content-length": String(total) });
      res.on("close", () => {
        closed = true;
      });
      const pump = () => {
        while (written < total) {
          written += CHUNK;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: "buffer-key", rateLimit: false });
      const rss = process.memoryUsage().rss;
      const { data, response } = await client.GET("/clients.json", { parseAs: "stream" });
      expect(response.status).toBe(200);
      const reader = (data as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      const sentByThen = written;
      const grown = process.memoryUsage().rss - rss;
      expect(first.value?.byteLength).toBeGreaterThan(0);
      counts.check(sentByThen > 32 * MB || grown > 64 * MB, { body: "HTTP 200 MB stream" });
      expect(sentByThen).toBeLessThan(32 * MB); // backpressure: the socket's buffers, not the body
      expect(grown).toBeLessThan(64 * MB);
      await reader.cancel();
      await expect.poll(() => closed).toBe(true); // the download stops: the socket is closed
      expect(written).toBeLessThan(total);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("the timeout still covers a streamed body the caller is reading (fake clock: at 150 ms)", async () => {
    const server = await startFaultServer();
    try {
      useFakeClock();
      server.script({ stallBody: true });
      const client = createClient({ baseUrl: server.url, apiKey: "buffer-key", rateLimit: false, timeoutMs: 150 });
      const { data } = await client.GET("/clients.json", { parseAs: "stream" });
      const reader = (data as ReadableStream<Uint8Array>).getReader();
      expect((await reader.read()).value?.byteLength).toBeGreaterThan(0);
      const rest = track(reader.read());
      await vi.advanceTimersByTimeAsync(149);
      expect(rest.done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await until(() => rest.done, "the end of the read");
      expect((rest.error as Error | undefined)?.name).toBe("TimeoutError");
    } finally {
      vi.useRealTimers();
      await server.close();
    }
  });
});

it("every body was counted, and none was buffered past the cap or read ahead", () => {
  expect(counts.checks).toBe(9);
  expect(counts.found).toBe(0);
});
