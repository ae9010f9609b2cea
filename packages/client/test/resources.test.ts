// Resources of issue 3 (clients, items, taxes, sequences, SAF-T, treasury, accounts): what
// the generic contract suite does not cover. Async 202 answers, the exact URLs and bodies
// the client sends, the envelopes the mock answers with, and wrong requests refused with 422.
import { loadSpec } from "@ixpress/openapi";
import { validateRequest, validateResponse } from "@ixpress/openapi/validate";
import { describe, expect, inject, it } from "vitest";
import { createClient } from "../src/index.js";

const baseUrl = inject("ixpressMockUrl");
const ix = createClient({ baseUrl, apiKey: "resources-test-key" });

/** A client whose requests are recorded (URL with the key removed, method, body) and then sent to the mock. */
function recordingClient() {
  const sent: { method: string; url: URL; body: string }[] = [];
  const client = createClient({
    baseUrl,
    apiKey: "resources-test-key",
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      url.searchParams.delete("api_key");
      sent.push({ method: request.method, url, body: request.body ? await request.clone().text() : "" });
      return fetch(request);
    },
  });
  return { client, sent };
}

describe("SAF-T export answers 202 while generating, then 200", () => {
  it("answers 200 with the canonical Url key by default", async () => {
    const { data, response } = await ix.GET("/api/export_saft.json", { params: { query: { month: 10, year: 2017 } } });
    expect(response.status).toBe(200);
    expect(data).toHaveProperty("Url");
    expect((data as { Url: string }).Url).toMatch(/^https:\/\//);
  });

  it("answers 202 with a message under Prefer: code=202", async () => {
    const { data, response } = await ix.GET("/api/export_saft.json", {
      params: { query: { month: 10, year: 2017 } },
      headers: { Prefer: "code=202" },
    });
    expect(response.status).toBe(202);
    expect(data).toMatchObject({ message: expect.stringMatching(/keep requesting/) });
  });

  it("can answer the lower-case url reading too", async () => {
    const { data, response } = await ix.GET("/api/export_saft.json", {
      params: { query: { month: 1, year: 2024 } },
      headers: { Prefer: "example=readyLowercase" },
    });
    expect(response.status).toBe(200);
    expect(data).toHaveProperty("url");
    expect(data).not.toHaveProperty("Url");
  });

  it("documents 422 (nothing to export) and 500 (generation failed) with a message", async () => {
    for (const code of [422, 500]) {
      const { error, response } = await ix.GET("/api/export_saft.json", {
        params: { query: { month: 10, year: 2017 } },
        headers: { Prefer: `code=${code}` },
        retry: { baseDelayMs: 0, maxDelayMs: 0 }, // the 500 is retried, over loopback with no real wait between sends
      });
      expect(response.status).toBe(code);
      expect(error).toHaveProperty("message");
    }
  });

  it("sends month and year as plain query keys, not an object", async () => {
    const { client, sent } = recordingClient();
    await client.GET("/api/export_saft.json", { params: { query: { month: 3, year: 2024 } } });
    expect(sent[0]!.url.pathname).toBe("/api/export_saft.json");
    expect(sent[0]!.url.search).toBe("?month=3&year=2024");
  });
});

describe("requests the client builds", () => {
  it("looks a client up by exact name, encoding spaces and accents", async () => {
    const { client, sent } = recordingClient();
    const { response } = await client.GET("/clients/find-by-name.json", {
      params: { query: { client_name: "João & Filhos, Lda" } },
    });
    expect(response.status).toBe(200);
    expect(sent[0]!.url.pathname).toBe("/clients/find-by-name.json");
    expect(sent[0]!.url.searchParams.get("client_name")).toBe("João & Filhos, Lda");
    expect(sent[0]!.url.search).not.toContain(" ");
  });

  it("routes find-by-code to its own path, not to /clients/{client-id}.json", async () => {
    const { data, response } = await ix.GET("/clients/find-by-code.json", {
      params: { query: { client_code: "12345" } },
    });
    expect(response.status).toBe(200);
    expect(data?.client.code).toBe("12345");
  });

  it("lists a client's documents with a POST: filters in the body, paging in the query", async () => {
    const { client, sent } = recordingClient();
    const { data, response } = await client.POST("/clients/{client-id}/invoices.json", {
      params: { path: { "client-id": 1310176 }, query: { page: 2, per_page: 50 } },
      body: { filter: { status: ["final", "settled"], by_type: ["Invoice"], archived: ["non_archived"] } },
    });
    expect(response.status).toBe(200);
    expect(Array.isArray(data?.invoices)).toBe(true);
    expect(sent[0]!.method).toBe("POST");
    expect(sent[0]!.url.pathname).toBe("/clients/1310176/invoices.json");
    expect(sent[0]!.url.search).toBe("?page=2&per_page=50");
    expect(JSON.parse(sent[0]!.body)).toEqual({
      filter: { status: ["final", "settled"], by_type: ["Invoice"], archived: ["non_archived"] },
    });
  });

  it("lists a client's documents without any body", async () => {
    const { client, sent } = recordingClient();
    const { response } = await client.POST("/clients/{client-id}/invoices.json", {
      params: { path: { "client-id": 7 } },
    });
    expect(response.status).toBe(200);
    expect(sent[0]!.body).toBe("");
  });

  it("pages treasury regularizations under /api/v3 with the client id in the path", async () => {
    const { client, sent } = recordingClient();
    const { data, response } = await client.GET("/api/v3/clients/{client-id}/regularization.json", {
      params: { path: { "client-id": 42 }, query: { page: 1, per_page: 20 } },
    });
    expect(response.status).toBe(200);
    expect(sent[0]!.url.pathname).toBe("/api/v3/clients/42/regularization.json");
    expect(sent[0]!.url.search).toBe("?page=1&per_page=20");
    expect(data?.regularization[0]?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("sends set_current and register with no body", async () => {
    const { client, sent } = recordingClient();
    const setCurrent = await client.PUT("/sequences/{sequence-id}/set_current.json", {
      params: { path: { "sequence-id": 146090 } },
    });
    const register = await client.PUT("/sequences/{sequence-id}/register.json", {
      params: { path: { "sequence-id": 146090 } },
    });
    expect(setCurrent.response.status).toBe(200);
    expect(register.response.status).toBe(200);
    expect(register.data?.sequences[0]?.current_invoice_validation_code).toMatch(/^[A-Z0-9]{8,}$/);
    expect(sent.map((s) => [s.method, s.url.pathname, s.body])).toEqual([
      ["PUT", "/sequences/146090/set_current.json", ""],
      ["PUT", "/sequences/146090/register.json", ""],
    ]);
  });
});

describe("the mock answers with the envelopes real servers use", () => {
  it("answers a series under the singular `sequence` key first", async () => {
    const { data, response } = await ix.GET("/sequences/{sequence-id}.json", {
      params: { path: { "sequence-id": 146090 } },
    });
    expect(response.status).toBe(200);
    expect(data?.sequence?.serie).toBe("2024");
    expect(data).not.toHaveProperty("sequences");
  });

  it("also describes the documented plural `sequences` envelope", async () => {
    const { data } = await ix.GET("/sequences/{sequence-id}.json", {
      params: { path: { "sequence-id": 146090 } },
      headers: { Prefer: "example=documentedEnvelope" },
    });
    expect(data?.sequences?.serie).toBe("2024");
    expect(data).not.toHaveProperty("sequence");
  });

  it("answers a client's balance without a root key", async () => {
    const { data, response } = await ix.GET("/api/v3/clients/{client-id}/balance.json", {
      params: { path: { "client-id": 1 } },
    });
    expect(response.status).toBe(200);
    expect(data?.currency?.code).toBe("EUR");
    expect(data?.initial_balance?.created_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("answers 204 with no body when a treasury movement is deleted, 200 for a regularization", async () => {
    const movement = await ix.DELETE("/api/v3/clients/{client-id}/treasury_movements/{movement-id}.json", {
      params: { path: { "client-id": 1, "movement-id": 9 } },
    });
    expect(movement.response.status).toBe(204);
    expect(await movement.response.text()).toBe("");
    const regularization = await ix.DELETE("/api/v3/clients/{client-id}/regularization/{regularization-id}.json", {
      params: { path: { "client-id": 1, "regularization-id": 9 } },
    });
    expect(regularization.response.status).toBe(200);
  });

  it("answers a missing treasury client with a list of {error} objects", async () => {
    const { error, response } = await ix.GET("/api/v3/clients/{client-id}/balance.json", {
      params: { path: { "client-id": 1 } },
      headers: { Prefer: "code=404" },
    });
    expect(response.status).toBe(404);
    expect(error).toEqual({ errors: [{ error: "Client not found" }] });
  });

  it("answers sequence errors with a code", async () => {
    const { error, response } = await ix.PUT("/sequences/{sequence-id}/register.json", {
      params: { path: { "sequence-id": 1 } },
      headers: { Prefer: "code=409" },
    });
    expect(response.status).toBe(409);
    expect(error).toMatchObject({ errors: { code: "005" } });
  });

  it("creates an account for an existing user with 200 (not 201) and returns an api_key", async () => {
    const { data, response } = await ix.POST("/api/accounts/create_already_user.json", {
      body: { account: { organization_name: "Other Co", email: "owner@example.com", password: "pw", terms: "1" } },
    });
    expect(response.status).toBe(200);
    expect(typeof data?.account.api_key).toBe("string");
  });
});

describe("the mock refuses wrong requests with 422", () => {
  // Each case sends the same request twice: once valid (which must succeed, so the 422 is
  // due to the one broken field) and once with that field broken.
  const cases: { name: string; ok: number; call: (broken: boolean) => Promise<{ response: Response }> }[] = [
    {
      name: "a treasury movement dated dd/mm/yyyy instead of ISO",
      ok: 201,
      call: (broken) =>
        ix.POST("/api/v3/clients/{client-id}/treasury_movements.json", {
          params: { path: { "client-id": 1 } },
          body: {
            treasury_movement: { value: 10, movement_type: "Payment", date: broken ? "28/04/2023" : "2023-04-28" },
          },
        }),
    },
    {
      name: "a treasury movement with an unknown payment method",
      ok: 201,
      call: (broken) =>
        ix.POST("/api/v3/clients/{client-id}/treasury_movements.json", {
          params: { path: { "client-id": 1 } },
          body: {
            treasury_movement: {
              value: 10,
              movement_type: "Payment",
              payment_method: broken ? ("BTC" as never) : "CI",
              date: "2023-04-28",
            },
          },
        }),
    },
    {
      name: "a treasury movement with an unknown movement type",
      ok: 201,
      call: (broken) =>
        ix.POST("/api/v3/clients/{client-id}/treasury_movements.json", {
          params: { path: { "client-id": 1 } },
          body: {
            treasury_movement: {
              value: "10.5",
              movement_type: broken ? ("Refund" as never) : "Reimbursement",
              date: "2023-04-28",
            },
          },
        }),
    },
    {
      name: "a tax with an unknown region",
      ok: 201,
      call: (broken) =>
        ix.POST("/taxes.json", {
          body: { tax: { name: "IVA23", value: "23", region: broken ? ("PT-LX" as never) : "PT-AC" } },
        }),
    },
    {
      name: "a tax rate of 100",
      ok: 201,
      call: (broken) => ix.POST("/taxes.json", { body: { tax: { name: "IVA", value: broken ? 100 : 99.99 } } }),
    },
    {
      name: "an item with a unit not on the list",
      ok: 201,
      call: (broken) =>
        ix.POST("/items.json", {
          body: { item: { name: "Rice", description: "1 kg", unit_price: 2, unit: broken ? ("kg" as never) : "unit" } },
        }),
    },
    {
      name: "a client-documents filter with an unknown archived value",
      ok: 200,
      call: (broken) =>
        ix.POST("/clients/{client-id}/invoices.json", {
          params: { path: { "client-id": 1 } },
          body: { filter: { archived: [broken ? ("all" as never) : "archived"] } },
        }),
    },
    {
      name: "AT settings with an unknown communication type",
      ok: 200,
      call: (broken) =>
        ix.POST("/api/v3/accounts/at_communication.json", {
          body: {
            at_communication: {
              at_subuser: "500100200/1",
              at_password: "cGFzc3dvcmQ=",
              communication_type: broken ? ("email" as never) : "portal_at",
            },
          },
        }),
    },
    {
      name: "an account update with a postal code not written DDDD-DDD",
      ok: 200,
      call: (broken) =>
        ix.PUT("/api/accounts/{account-id}/update.json", {
          params: { path: { "account-id": 1 } },
          body: {
            account: {
              organization_name: "Co",
              email: "a@b.pt",
              password: "pw",
              terms: "1",
              postal_code: broken ? "1250146" : "1250-146",
            },
          },
        }),
    },
    {
      name: "an account created with an invalid e-mail",
      ok: 201,
      call: (broken) =>
        ix.POST("/api/accounts/create.json", {
          body: {
            account: { organization_name: "Co", email: broken ? "not-an-email" : "a@b.pt", password: "pw", terms: "1" },
          },
        }),
    },
    {
      name: "a SAF-T export for month 13",
      ok: 200,
      call: (broken) => ix.GET("/api/export_saft.json", { params: { query: { month: broken ? 13 : 12, year: 2017 } } }),
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const good = await c.call(false);
      expect(good.response.status, good.response.headers.get("sl-violations") ?? "").toBe(c.ok);
      const bad = await c.call(true);
      expect(bad.response.status, bad.response.headers.get("sl-violations") ?? "").toBe(422);
    });
  }

  it("a series with a misspelt field: ignored like the server does, refused in strict mode", async () => {
    // `default` for `default_sequence`: the live server ignores unknown keys, so the lenient
    // mock accepts it; strict mode (here per request) refuses it and names it.
    const body = { sequence: { serie: "2025", default: "1" } as never };
    const lenient = await ix.POST("/sequences.json", { body });
    expect(lenient.response.status).toBe(201);
    const strict = await ix.POST("/sequences.json", { body, headers: { "x-ixpress-strict": "1" } });
    expect(strict.response.status).toBe(422);
    expect(JSON.stringify(strict.error)).toMatch(/sequence\.default: is not a field the API knows/);
  });
});

describe("the validators agree with the mock", () => {
  it("names the field of a non-ISO treasury date", () => {
    const result = validateRequest({
      method: "PUT",
      path: "/api/v3/clients/7/initial_balance.json",
      body: { initial_balance: { value: 10, date: "19/05/2023" } },
    });
    expect(result.operationId).toBe("setClientInitialBalance");
    expect(result.issues.some((i) => i.at === "body.initial_balance.date")).toBe(true);
  });

  it("resolves /clients/find-by-name.json to the lookup, not to getClient", () => {
    const result = validateRequest({ method: "GET", path: "/clients/find-by-name.json?client_name=A" });
    expect(result.operationId).toBe("findClientByName");
    expect(result.valid).toBe(true);
    expect(validateRequest({ method: "GET", path: "/clients/find-by-name.json" }).valid).toBe(false);
  });

  it("accepts either sequence envelope but not neither", () => {
    const check = (body: unknown) =>
      validateResponse({ method: "GET", path: "/sequences/1.json", status: 200, body }).valid;
    expect(check({ sequence: { id: 1, serie: "A" } })).toBe(true);
    expect(check({ sequences: { id: 1, serie: "A" } })).toBe(true);
    expect(check({ sequence_list: { id: 1, serie: "A" } })).toBe(false);
  });

  it("accepts the SAF-T URL as Url or url, and nothing else", () => {
    const check = (body: unknown) =>
      validateResponse({ method: "GET", path: "/api/export_saft.json", status: 200, body }).valid;
    expect(check({ Url: "https://x.example/saft.xml" })).toBe(true);
    expect(check({ url: "https://x.example/saft.xml" })).toBe(true);
    expect(check({ URL: "https://x.example/saft.xml" })).toBe(false);
  });

  it("requires both month and year for the SAF-T export", () => {
    expect(validateRequest({ method: "GET", path: "/api/export_saft.json?month=10" }).errors.join()).toMatch(/year/);
  });
});

describe("secrets in the spec", () => {
  /** Every property (at any depth) named like a secret, with its x-sensitive flag. */
  function secretProperties(node: unknown, at: string, out: { at: string; sensitive: unknown }[]) {
    if (Array.isArray(node)) node.forEach((n, i) => secretProperties(n, `${at}[${i}]`, out));
    else if (node && typeof node === "object") {
      const obj = node as Record<string, unknown>;
      const props = obj.properties as Record<string, Record<string, unknown>> | undefined;
      if (props) {
        for (const [name, schema] of Object.entries(props)) {
          if (/^(api_key|password|at_password)$/.test(name))
            out.push({ at: `${at}.${name}`, sensitive: schema["x-sensitive"] });
        }
      }
      for (const [k, v] of Object.entries(obj)) secretProperties(v, `${at}.${k}`, out);
    }
    return out;
  }

  it("marks the account's api_key and every password with x-sensitive: true", () => {
    const found = secretProperties(loadSpec().components, "components", []);
    expect(found.map((f) => f.at)).toEqual(
      expect.arrayContaining([
        "components.schemas.Account.api_key",
        "components.schemas.AtCommunicationInput.at_password",
      ]),
    );
    expect(found.filter((f) => f.sensitive !== true)).toEqual([]);
  });
});
