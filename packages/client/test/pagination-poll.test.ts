import { validateResponse } from "@ixpress/openapi/validate";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createClient, InvoiceXpressError, MAX_PAGES, paginate, poll } from "../src/index.js";
import { useFakeClock as fake } from "./fake-clock.js";
import { type FaultServer, startFaultServer } from "./fault-server.js";

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());
const make = () =>
  createClient({
    baseUrl: server.url,
    apiKey: "k",
    rateLimit: false,
    retry: { attempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
  });

afterEach(() => {
  vi.useRealTimers();
});

/** A client whose fetch answers at once (no network): `answer` is called with each URL sent. */
const stub = (answer: (url: URL, n: number) => Response) => {
  const sent: URL[] = [];
  const client = createClient({
    baseUrl: "http://127.0.0.1:1",
    apiKey: "k",
    rateLimit: false,
    retry: false,
    fetch: async (input) => {
      sent.push(new URL(String(input)));
      return answer(sent.at(-1)!, sent.length);
    },
  });
  return { client, sent };
};
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const pages = (total: number, perPage: number) => (req: { url: string }) => {
  const page = Number(new URL(req.url, "http://x").searchParams.get("page"));
  const clients = Array.from({ length: perPage }, (_, i) => ({
    id: String((page - 1) * perPage + i + 1),
    name: `c${page}-${i}`,
  }));
  return {
    status: 200,
    json: {
      clients,
      pagination: { total_entries: total * perPage, current_page: page, total_pages: total, per_page: perPage },
    },
  };
};

describe("paginate", () => {
  it("follows pagination.total_pages and yields every item in order", async () => {
    server.script(pages(3, 2));
    const names: string[] = [];
    for await (const client of paginate(make(), "/clients.json", { per_page: 2 })) names.push(String(client.name));
    expect(names).toEqual(["c1-0", "c1-1", "c2-0", "c2-1", "c3-0", "c3-1"]);
    expect(server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("page"))).toEqual(["1", "2", "3"]);
    expect(server.requests.every((r) => r.url.includes("per_page=2"))).toBe(true);
  });

  it("starts at query.page and honours maxPages", async () => {
    server.script(pages(5, 1));
    const ids: string[] = [];
    for await (const c of paginate(make(), "/clients.json", { page: 2 }, { maxPages: 2 })) ids.push(String(c.id));
    expect(ids).toEqual(["2", "3"]);
  });

  it("stops on an empty page and on a missing pagination object", async () => {
    server.script({ status: 200, json: { clients: [], pagination: { total_pages: 9 } } });
    let n = 0;
    for await (const _ of paginate(make(), "/clients.json")) n++;
    expect(n).toBe(0);
    expect(server.requests).toHaveLength(1);
    server.script({ status: 200, json: { clients: [{ name: "x" }] } });
    for await (const _ of paginate(make(), "/clients.json")) n++;
    expect(n).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it("works for other lists (invoices)", async () => {
    server.script({ status: 200, json: { invoices: [{ id: 1 }, { id: 2 }], pagination: { total_pages: 1 } } });
    const ids: number[] = [];
    for await (const inv of paginate(make(), "/invoices.json", { "type[]": ["Invoice"] })) ids.push(inv.id);
    expect(ids).toEqual([1, 2]);
    expect(decodeURIComponent(server.requests[0]!.url)).toContain("type[]=Invoice");
  });

  it("throws an InvoiceXpressError for a failed page", async () => {
    server.script(pages(3, 1), { status: 401, body: "" });
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const c of paginate(make(), "/clients.json")) got.push(String(c.name));
      })(),
    ).rejects.toMatchObject({ kind: "unauthorized", status: 401 });
    expect(got).toEqual(["c1-0"]);
  });

  it("a server that ignores `page` (the same current_page): a clear error at page 2, not 5000 requests", async () => {
    const { client, sent } = stub(() =>
      json(200, { clients: [{ id: 1 }], pagination: { current_page: 1, total_pages: 5000 } }),
    );
    const ids: number[] = [];
    const err = await (async () => {
      for await (const c of paginate(client, "/clients.json")) ids.push(Number(c.id));
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvoiceXpressError);
    expect(String(err)).toMatch(/page 2 repeats page 1 \(the server ignored `page`\)/);
    expect(sent).toHaveLength(2);
    expect(ids).toEqual([1]);
  });

  it("a page with the same ids as the one before, whatever current_page says: a clear error", async () => {
    const { client, sent } = stub((url) =>
      json(200, {
        clients: [{ id: 7 }, { id: 8 }],
        pagination: { current_page: Number(url.searchParams.get("page")), total_pages: 99 },
      }),
    );
    const err = await (async () => {
      for await (const _ of paginate(client, "/clients.json")) void _;
    })().catch((e: unknown) => e);
    expect(String(err)).toMatch(/repeats/);
    expect(sent).toHaveLength(2);
  });

  it(`an absurd total_pages: stops with an error after the default maxPages (${MAX_PAGES}), or quietly at a given one`, async () => {
    const answer = (url: URL) => {
      const page = Number(url.searchParams.get("page"));
      return json(200, { clients: [{ id: page }], pagination: { current_page: page, total_pages: 1e9 } });
    };
    const a = stub(answer);
    let n = 0;
    const err = await (async () => {
      for await (const _ of paginate(a.client, "/clients.json")) n++;
    })().catch((e: unknown) => e);
    expect(a.sent).toHaveLength(MAX_PAGES);
    expect(n).toBe(MAX_PAGES);
    expect(String(err)).toMatch(/stopped after 1000 pages \(maxPages, default 1000\), total_pages says 1000000000/);
    const b = stub(answer);
    let m = 0;
    for await (const _ of paginate(b.client, "/clients.json", {}, { maxPages: 3 })) m++;
    expect([m, b.sent.length]).toEqual([3, 3]);
  });

  it("walks the mock's clients list, every page valid against the spec", async () => {
    const ix = createClient({ baseUrl: inject("ixpressMockUrl"), apiKey: "k" });
    const seen: unknown[] = [];
    ix.use({
      onResponse: async ({ response, request }) => {
        const body = await response.clone().json();
        const check = validateResponse({
          method: "get",
          path: new URL(request.url).pathname,
          status: response.status,
          body,
        });
        expect(check.errors).toEqual([]);
        seen.push(body);
      },
    });
    const names: string[] = [];
    for await (const c of paginate(ix, "/clients.json", { per_page: 30 })) names.push(String(c.name));
    expect(names.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThanOrEqual(1);
  });
});

describe("poll", () => {
  it("repeats while 202 and returns the first other result", async () => {
    server.script(
      { status: 202, body: "" },
      { status: 202, json: { message: "keep requesting" } },
      { status: 200, json: { clients: [] } },
    );
    const ix = make();
    const result = await poll(() => ix.GET("/clients.json"), { intervalMs: 0 });
    expect(result.response.status).toBe(200);
    expect(result.data).toEqual({ clients: [] });
    expect(server.requests).toHaveLength(3);
  });

  it("returns an error result unchanged", async () => {
    server.script({ status: 202, body: "" }, { status: 404, body: "" });
    const ix = make();
    const result = await poll(() => ix.GET("/clients.json"), { intervalMs: 0 });
    expect(result.response.status).toBe(404);
  });

  it("honours Retry-After on a 202 (fake timers: no real wait)", async () => {
    fake();
    const { client, sent } = stub((_u, n) => (n === 1 ? json(202, {}, { "retry-after": "1" }) : json(200, {})));
    const done = poll(() => client.GET("/clients.json"), { intervalMs: 5 });
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2);
    expect((await done).response.status).toBe(200);
  });

  it("has an overall deadline by default (10 minutes), and its error names the request", async () => {
    fake();
    const { client, sent } = stub(() => json(202, { message: "keep requesting" }));
    const done = poll(() => client.GET("/api/pdf/{document-id}.json", { params: { path: { "document-id": 1 } } }), {
      maxAttempts: 1e6,
    }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(600_000);
    const err = await done;
    expect(err).toMatchObject({ kind: "timeout", status: 202 });
    expect(String(err)).toMatch(
      /202 on GET http:\/\/127\.0\.0\.1:1\/api\/pdf\/1\.json: still 202 Accepted after 301 attempt\(s\) in 600000 ms; waiting 2000 ms more would pass deadlineMs \(600000 ms\)/,
    );
    expect(sent).toHaveLength(301);
  });

  it("a shorter deadlineMs ends sooner", async () => {
    fake();
    const { client, sent } = stub(() => json(202, {}));
    const done = poll(() => client.GET("/clients.json"), { intervalMs: 1000, deadlineMs: 2500 }).catch(
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(3000);
    expect(await done).toMatchObject({ kind: "timeout" });
    expect(sent).toHaveLength(3);
  });

  it("throws a timeout error when still 202 after maxAttempts", async () => {
    server.script({ status: 202, json: { qr_code: { status: "In progress" } } });
    const ix = make();
    const err = await poll(() => ix.GET("/clients.json"), { intervalMs: 0, maxAttempts: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvoiceXpressError);
    expect(err).toMatchObject({ kind: "timeout", status: 202 });
    expect(server.requests).toHaveLength(3);
  });

  it("is abortable between attempts, and the error says what it was waiting for", async () => {
    fake();
    const c = new AbortController();
    const { client, sent } = stub(() => json(202, {}));
    const done = poll(() => client.GET("/clients.json", { signal: c.signal }), {
      intervalMs: 1000,
      signal: c.signal,
    }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    c.abort();
    const err = await done;
    expect(err).toMatchObject({ kind: "aborted" });
    expect(String(err)).toBe(
      "InvoiceXpressError [aborted]: aborted on GET http://127.0.0.1:1/clients.json: aborted while waiting for a 202 to finish (1 attempt(s))",
    );
    expect(sent).toHaveLength(1);
  });
});
