// Promise: the client never buffers without bound. An error body is read up to ERROR_BODY_LIMIT
// for its messages; the rest is not read (the stream is cancelled), the status is kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, ERROR_BODY_LIMIT, InvoiceXpressError, unwrap } from "../../src/index.js";
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

it("every error body was counted, and none was buffered past the cap", () => {
  expect(counts.checks).toBe(5);
  expect(counts.found).toBe(0);
});
