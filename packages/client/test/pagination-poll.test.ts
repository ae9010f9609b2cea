import { validateResponse } from "@ixpress/openapi/validate";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createClient, InvoiceXpressError, paginate, poll } from "../src/index.js";
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
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
  });

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
    const result = await poll(() => ix.GET("/clients.json"), { intervalMs: 5 });
    expect(result.response.status).toBe(200);
    expect(result.data).toEqual({ clients: [] });
    expect(server.requests).toHaveLength(3);
  });

  it("returns an error result unchanged", async () => {
    server.script({ status: 202, body: "" }, { status: 404, body: "" });
    const ix = make();
    const result = await poll(() => ix.GET("/clients.json"), { intervalMs: 5 });
    expect(result.response.status).toBe(404);
  });

  it("honours Retry-After on a 202", async () => {
    server.script({ status: 202, headers: { "retry-after": "1" }, body: "" }, { status: 200, json: {} });
    const ix = make();
    await poll(() => ix.GET("/clients.json"), { intervalMs: 5 });
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("throws a timeout error when still 202 after maxAttempts", async () => {
    server.script({ status: 202, json: { qr_code: { status: "In progress" } } });
    const ix = make();
    const err = await poll(() => ix.GET("/clients.json"), { intervalMs: 5, maxAttempts: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvoiceXpressError);
    expect(err).toMatchObject({ kind: "timeout", status: 202 });
    expect(server.requests).toHaveLength(3);
  });

  it("is abortable between attempts", async () => {
    const c = new AbortController();
    // The abort comes once the first attempt has reached the server, during the 1 s wait that
    // follows it (not at a fixed time from the start, which a busy machine may not have reached).
    server.script(() => {
      setTimeout(() => c.abort(), 50);
      return { status: 202, body: "" };
    });
    const ix = make();
    const err = await poll(() => ix.GET("/clients.json", { signal: c.signal }), {
      intervalMs: 1000,
      signal: c.signal,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "aborted" });
    expect(server.requests).toHaveLength(1);
  });
});
