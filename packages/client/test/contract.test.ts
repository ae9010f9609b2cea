import { listOperations, loadSpec } from "@ixpress/openapi";
import { malformedRequests } from "@ixpress/openapi/fixtures";
import { validateResponse } from "@ixpress/openapi/validate";
import { describe, expect, inject, it } from "vitest";
import { createClient } from "../src/index.js";

const baseUrl = inject("ixpressMockUrl");
const client = createClient({ baseUrl, apiKey: "contract-test-key" });
const spec = loadSpec();

type Json = Record<string, any>;
function deref(node: Json): Json {
  let out = node;
  while (typeof out.$ref === "string") {
    out = out.$ref
      .slice(2)
      .split("/")
      .reduce((n: Json, t: string) => n[t.replace(/~1/g, "/").replace(/~0/g, "~")], spec as Json);
  }
  return out;
}

/** Every operation with its named request examples (or one call without a body). */
const cases = listOperations().flatMap((op) => {
  const params = ((op.operation.parameters ?? []) as Json[]).map(deref);
  const path: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  for (const p of params) {
    if (p.in === "path") path[p.name] = p.example ?? 1;
    if (p.in === "query" && p.example !== undefined) query[p.name] = p.example;
  }
  const success = Object.keys(op.operation.responses as Json).find((c) => c.startsWith("2"))!;
  const body = op.operation.requestBody ? deref(op.operation.requestBody as Json) : undefined;
  const examples = Object.entries((body?.content?.["application/json"]?.examples ?? {}) as Record<string, Json>).map(
    ([name, ex]) => ({ name, value: deref(ex).value }),
  );
  const variants = examples.length > 0 ? examples : [{ name: "no body", value: undefined }];
  return variants.map((ex) => ({ op, path, query, success: Number(success), example: ex }));
});

describe("every documented example reaches the mock through the client", () => {
  it("covers every operation", () => {
    expect(new Set(cases.map((c) => c.op.operationId)).size).toBe(listOperations().length);
  });

  for (const c of cases) {
    it(`${c.op.operationId} (${c.example.name}) → ${c.success}`, async () => {
      const { response, data } = await client.request(
        c.op.method as "get",
        c.op.path as never,
        {
          params: { path: c.path, query: c.query },
          ...(c.example.value !== undefined ? { body: c.example.value } : {}),
        } as never,
      );
      expect(response.status, response.headers.get("sl-violations") ?? "").toBe(c.success);
      const concrete = c.op.path.replace(/\{([^}]+)\}/g, (_, n: string) => String(c.path[n]));
      const check = validateResponse({ method: c.op.method, path: concrete, status: response.status, body: data });
      expect(check.errors).toEqual([]);
    });
  }
});

describe("typed calls", () => {
  it("lists clients with typed pagination", async () => {
    const { data, response } = await client.GET("/clients.json", { params: { query: { page: 1, per_page: 30 } } });
    expect(response.status).toBe(200);
    expect(data?.pagination?.total_pages).toBeGreaterThanOrEqual(1);
    expect(data?.clients[0]?.name).toBe("Client Name");
  });

  it("creates an invoice with proprietary_uid beside the document", async () => {
    const { data, response } = await client.POST("/invoice_receipts.json", {
      body: {
        invoice: {
          date: "3/12/2017",
          due_date: "03/12/2017",
          client: { name: "Client Name", code: "A1" },
          items: [{ name: "Item", description: "Thing", unit_price: 10, quantity: "2", discount: 0 }],
        },
        proprietary_uid: "4f5e2a10-0c8b-4a53-9d9a-6f0d3c1e2b77",
      },
    });
    expect(response.status).toBe(201);
    expect(data?.invoice_receipt?.id).toBeTypeOf("number"); // real servers answer under the type's own key
  });

  it("updates a quote by id", async () => {
    const { response } = await client.PUT("/quotes/{document-id}.json", {
      params: { path: { "document-id": 7 } },
      body: {
        quote: {
          date: "01/02/2024",
          due_date: "01/03/2024",
          client: { name: "Client Name", code: "A1" },
          items: [{ name: "Item", description: "Thing", unit_price: "1", quantity: "1" }],
        },
      },
    });
    expect(response.status).toBe(200);
    // Prism answers 401 without api_key, so the 200 proves the key was sent; response.url is
    // the URL as the middleware saw it, without the key.
    expect(response.url).toBe(`${baseUrl}/quotes/7.json`);
  });
});

describe("the mock refuses malformed requests with 422", () => {
  for (const bad of malformedRequests) {
    it(bad.name, async () => {
      const { response } = await client.request(
        bad.method.toLowerCase() as "get",
        bad.path as never,
        {
          params: { query: bad.query ?? {} },
          ...(bad.body !== undefined ? { body: bad.body } : {}),
        } as never,
      );
      expect(response.status).toBe(422);
    });
  }
});

describe("authentication", () => {
  it("answers 401 to a request without api_key", async () => {
    const response = await fetch(`${baseUrl}/clients.json`);
    expect(response.status).toBe(401);
  });

  it("sends api_key on every request, added beneath the middleware", async () => {
    const seen: string[] = [];
    const sent: string[] = [];
    const spy = createClient({
      baseUrl,
      apiKey: "k-123",
      fetch: (input, init) => {
        sent.push(new Request(input, init).url);
        return fetch(input, init);
      },
    });
    spy.use({ onRequest: ({ request }) => void seen.push(request.url) });
    await spy.GET("/clients.json");
    expect(sent).toHaveLength(1);
    expect(new URL(sent[0]!).searchParams.get("api_key")).toBe("k-123");
    expect(seen[0]).not.toContain("k-123");
  });
});

describe("createClient", () => {
  it("builds the account URL from accountName", async () => {
    const urls: string[] = [];
    const c = createClient({
      accountName: "Minha-Loja",
      apiKey: "k",
      fetch: async (input) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return new Response(JSON.stringify({ clients: [] }), {
          status: 200,
          headers: { "content-type": "application/json" },
        });
      },
    });
    await c.GET("/clients.json", { params: { query: { page: 2 } } });
    expect(urls).toEqual(["https://minha-loja.app.invoicexpress.com/clients.json?page=2&api_key=k"]);
  });

  it("refuses bad options with a message naming the option", () => {
    expect(() => createClient({ apiKey: "", accountName: "a" })).toThrow(/apiKey must be a non-empty string/);
    expect(() => createClient({ apiKey: "k" })).toThrow(/accountName \(or baseUrl\) is required/);
    expect(() => createClient({ apiKey: "k", accountName: "a.b/c" })).toThrow(
      /accountName must be the account's sub-domain/,
    );
    expect(() => createClient({ apiKey: "k", accountName: "a", baseUrl: "http://x" })).toThrow(/not both/);
    expect(() => createClient({ apiKey: "k", baseUrl: "ftp://x" })).toThrow(/http\(s\) URL/);
    expect(() => createClient({ apiKey: "k", baseUrl: "http://x/?api_key=1" })).toThrow(/query string/);
  });
});

it("the bundled spec has the expected shape", () => {
  expect(spec.openapi).toBe("3.1.0");
});
