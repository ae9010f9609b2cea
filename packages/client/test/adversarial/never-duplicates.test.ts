// Promise: a document is never created twice. For every fault and every body shape, the exact
// number of sends: a POST is retried only when its operation de-duplicates (PROPRIETARY_UID_PATHS,
// from the spec) and the body's top-level `proprietary_uid` is a non-empty string. A PUT the spec
// marks `x-idempotent: false` (it e-mails a document or changes a state: NOT_IDEMPOTENT) is sent
// once whatever the fault, 429 included; another PUT is retried on 429 only.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient, NOT_IDEMPOTENT, PROPRIETARY_UID_PATHS } from "../../src/index.js";
import { timeOutEach, until, useFakeClock } from "../fake-clock.js";
import { type Fault, type FaultServer, startFaultServer } from "../fault-server.js";
import { tally } from "./tally.js";

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());
afterEach(() => {
  vi.useRealTimers();
});

const ATTEMPTS = 3;
const counts = tally("never-duplicates", "faults x bodies x targets");

// Every fault the client may see; `retried` says whether a request that may be retried is.
const faults: Array<{ name: string; fault: Fault; retried: boolean }> = [
  { name: "409", fault: { status: 409, json: { errors: [{ error: "ongoing" }] } }, retried: true },
  { name: "429", fault: { status: 429, headers: { "retry-after": "0" }, json: { error: "slow down" } }, retried: true },
  { name: "500", fault: { status: 500, body: "oops" }, retried: true },
  { name: "502", fault: { status: 502, body: "<html><title>Bad Gateway</title></html>" }, retried: true },
  { name: "503", fault: { status: 503, headers: { "retry-after": "0" }, body: "" }, retried: true },
  { name: "504", fault: { status: 504, body: "" }, retried: true },
  { name: "connection reset", fault: { reset: true }, retried: true },
  { name: "timeout", fault: { stall: true }, retried: true },
  {
    name: "malformed 201 body",
    fault: { status: 201, headers: { "content-type": "application/json" }, body: '{"invoice": {' },
    retried: false,
  },
];

const invoice = { date: "01/01/2024", due_date: "01/01/2024", client: { name: "C", code: "1" }, items: [] };
type Shape = { name: string; body: unknown; serializer?: (b: unknown) => unknown; retryable: boolean };
const bodies: Shape[] = [
  { name: "top-level uid", body: { invoice, proprietary_uid: "uid-7f3a" }, retryable: true },
  { name: "nested-only uid", body: { invoice: { ...invoice, proprietary_uid: "uid-7f3a" } }, retryable: false },
  { name: "empty uid", body: { invoice, proprietary_uid: "" }, retryable: false },
  { name: "blank uid", body: { invoice, proprietary_uid: "   " }, retryable: false },
  { name: "numeric uid", body: { invoice, proprietary_uid: 12345 }, retryable: false },
  { name: "null uid", body: { invoice, proprietary_uid: null }, retryable: false },
  { name: "no uid", body: { invoice }, retryable: false },
  { name: "array body", body: [{ proprietary_uid: "uid-7f3a" }], retryable: false },
  {
    name: "non-JSON text naming a uid",
    body: 'invoice "proprietary_uid": "uid-7f3a"',
    serializer: (b) => b,
    retryable: false,
  },
  {
    name: "FormData with a uid field",
    body: null,
    serializer: () => {
      const f = new FormData();
      f.set("proprietary_uid", "uid-7f3a");
      return f;
    },
    retryable: false,
  },
  {
    name: "URLSearchParams with a uid",
    body: null,
    serializer: () => new URLSearchParams({ proprietary_uid: "uid-7f3a" }),
    retryable: false,
  },
];

// Where the body goes: a de-duplicating path (plain, and through a middleware, which makes real
// Requests), and a POST path that does not de-duplicate.
const targets = [
  { name: "POST /invoices.json", path: "/invoices.json", middleware: false, dedupes: true },
  { name: "POST /invoices.json via middleware", path: "/invoices.json", middleware: true, dedupes: true },
  { name: "POST /clients.json", path: "/clients.json", middleware: false, dedupes: false },
];

/**
 * The sends of the call just made, once they have reached the server: the client's `fetch` counts each send as it is
 * made (`fetched`), and the server runs on the test's own event loop, so this lets it read them all (no fixed delay).
 * A send made after the call has ended lands in the next call's count, and in the test's total (`fetched` at the end).
 */
async function sendsSeen(fetched: number): Promise<number> {
  await until(() => server.requests.length >= fetched, `${fetched} sends at the server`);
  return server.requests.length;
}

/**
 * A client whose `fetch` counts its sends. "timeout" (a server that never answers) runs on the fake clock: each send
 * times out 80 ms after it is at the server (see fake-clock.ts); no test waits real time for it.
 */
function make(middleware: boolean, fault: Fault) {
  const stalls = "stall" in fault;
  if (stalls) useFakeClock();
  const sent = { count: 0 };
  const client = createClient({
    baseUrl: server.url,
    apiKey: "dup-key",
    retry: { attempts: ATTEMPTS, baseDelayMs: 0, maxDelayMs: 0 },
    rateLimit: false,
    timeoutMs: stalls ? 80 : 5000,
    fetch: (input, init) => {
      sent.count++;
      return globalThis.fetch(input, init);
    },
  });
  if (middleware) client.use({ onRequest: ({ request }) => request });
  const run = (call: Promise<unknown>) => (stalls ? timeOutEach(call, server, ATTEMPTS + 1, 80) : call);
  return { client, sent, run };
}

describe("never duplicates: exact sends for every fault x body x target", () => {
  it("the targets are what the spec says", () => {
    expect(PROPRIETARY_UID_PATHS).toContain("/invoices.json");
    expect(PROPRIETARY_UID_PATHS).not.toContain("/clients.json");
  });

  for (const target of targets)
    for (const { name: faultName, fault, retried } of faults)
      it(`${target.name}, ${faultName}`, async () => {
        const { client, sent, run } = make(target.middleware, fault);
        const post = client.POST as unknown as (p: string, init: Record<string, unknown>) => Promise<unknown>;
        const wrong: string[] = [];
        let total = 0;
        for (const shape of bodies) {
          server.script(fault);
          const before = sent.count;
          await run(
            post(target.path, {
              body: shape.body ?? {},
              ...(shape.serializer ? { bodySerializer: shape.serializer } : {}),
            }),
          ).catch(() => undefined);
          const expected = retried && target.dedupes && shape.retryable ? ATTEMPTS : 1;
          const sends = await sendsSeen(sent.count - before);
          total += sends;
          counts.check(sends !== expected, { fault: faultName, body: shape.name, target: target.name });
          if (sends !== expected) wrong.push(`${shape.name}: ${sends} sends, expected ${expected}`);
        }
        expect(wrong).toEqual([]);
        expect(sent.count).toBe(total);
      });

  it("autoProprietaryUid gives a body a top-level uid, which makes it retryable", async () => {
    const client = createClient({
      baseUrl: server.url,
      apiKey: "dup-key",
      retry: { attempts: ATTEMPTS, baseDelayMs: 0, maxDelayMs: 0 },
      rateLimit: false,
      autoProprietaryUid: () => "auto-uid-1",
    });
    server.script({ status: 500, body: "" });
    await client.POST("/invoices.json", { body: { invoice } as never });
    expect(server.requests).toHaveLength(ATTEMPTS);
    for (const r of server.requests) expect(JSON.parse(r.body).proprietary_uid).toBe("auto-uid-1");
  });

  const puts = [
    { path: "/invoices/{document-id}/email-document.json", marked: true, params: { "document-id": 1 } },
    { path: "/receipts/{receipt-id}/change-state.json", marked: true, params: { "receipt-id": 1 } },
    { path: "/invoices/{document-id}.json", marked: false, params: { "document-id": 1 } },
  ];
  for (const { path, marked, params } of puts)
    for (const { name: faultName, fault } of faults)
      it(`PUT ${path} (${marked ? "x-idempotent: false" : "an update"}), ${faultName}`, async () => {
        expect(NOT_IDEMPOTENT.PUT?.includes(path)).toBe(marked);
        const { client, sent, run } = make(false, fault);
        const put = client.PUT as unknown as (p: string, init: Record<string, unknown>) => Promise<unknown>;
        server.script(fault);
        const body = { message: { client: { email: "a@b.pt" }, subject: "s", body: "b" } };
        await run(put(path, { params: { path: params }, body })).catch(() => undefined);
        const expected = !marked && faultName === "429" ? ATTEMPTS : 1;
        const sends = await sendsSeen(sent.count);
        counts.check(sends !== expected, { fault: faultName, body: "PUT", target: path });
        expect(sends).toBe(expected);
      });

  it("every scenario was counted, and none sent a document more often than allowed", () => {
    expect(counts.checks).toBe(faults.length * bodies.length * targets.length + faults.length * puts.length);
    expect(counts.found).toBe(0);
  });
});
