// Estimates, guides and purchase orders: what the generic contract suite does not cover.
// - the exact query strings the client sends for each kind of list filter;
// - the mock's answers for both request root keys and both response root keys;
// - the state machines: events of another family, a cancel without a message, both
//   spellings of the estimate events;
// - guide-specific formats (`loaded_at`, addresses).
import { validateRequest } from "@ixpress/openapi/validate";
import { describe, expect, inject, it } from "vitest";
import { createClient } from "../src/index.js";
import { recorder } from "./recorder.js";

const baseUrl = inject("ixpressMockUrl");
const client = createClient({ baseUrl, apiKey: "estimates-test-key" });

function recorderFor() {
  const { client: c, urls } = recorder({}, { accountName: "acme", apiKey: "secret-key" });
  return { c, urls };
}

/** The query string without the API key (which the client always adds last). */
function queryOf(url: string): string {
  const u = new URL(url);
  expect(u.searchParams.get("api_key")).toBe("secret-key");
  expect(u.search.endsWith("&api_key=secret-key") || u.search === "?api_key=secret-key").toBe(true);
  return u.search.slice(1).replace(/&?api_key=secret-key$/, "");
}

const quote = {
  date: "22/11/2025",
  due_date: "22/12/2025",
  client: { name: "Client Name", code: "A1" },
  items: [{ name: "Consulting", description: "IT services", unit_price: 50, quantity: 2 }],
};

const guide = {
  date: "22/11/2025",
  due_date: "22/11/2025",
  loaded_at: "23/11/2025 09:00:00",
  address_from: { detail: "Rua 5", city: "Lisboa", postal_code: "1000-555", country: "Portugal" as const },
  address_to: { detail: "Avenida 10", city: "Porto", postal_code: "2000-555", country: "Portugal" as const },
  client: { name: "Client Name", code: "A1" },
  items: [{ name: "Pallet", description: "Pallet of A4 paper", unit_price: "10", quantity: "3" }],
};

describe("list filters: the exact query string the client sends", () => {
  it("estimates: type[] and status[] arrays as repeated bracket keys, date ranges, booleans, numbers, text", async () => {
    const { c, urls } = recorderFor();
    await c.GET("/estimates.json", {
      params: {
        query: {
          "type[]": ["Quote", "FeesNote"],
          "status[]": ["sent", "accepted"],
          "date[from]": "01/11/2025",
          "date[to]": "30/11/2025",
          "due_date[from]": "1/12/2025",
          "due_date[to]": "31/12/2025",
          "total_before_taxes[from]": 10,
          "total_before_taxes[to]": 1000.5,
          non_archived: true,
          archived: false,
          reference: "PO-999",
          text: "Client Name",
          page: 2,
          per_page: 30,
        },
      },
    });
    const qs = queryOf(urls[0]!);
    expect(qs).toBe(
      "type[]=Quote&type[]=FeesNote&status[]=sent&status[]=accepted" +
        "&date[from]=01%2F11%2F2025&date[to]=30%2F11%2F2025" +
        "&due_date[from]=1%2F12%2F2025&due_date[to]=31%2F12%2F2025" +
        "&total_before_taxes[from]=10&total_before_taxes[to]=1000.5" +
        "&non_archived=true&archived=false&reference=PO-999&text=Client%20Name&page=2&per_page=30",
    );
    // Decoded, these are the wire names of the docs, arrays repeated.
    const params = new URLSearchParams(qs);
    expect(params.getAll("type[]")).toEqual(["Quote", "FeesNote"]);
    expect(params.getAll("status[]")).toEqual(["sent", "accepted"]);
    expect(params.get("date[from]")).toBe("01/11/2025");
    expect(params.get("text")).toBe("Client Name");
    // And the description accepts exactly what the client sent.
    expect(validateRequest({ method: "GET", path: `/estimates.json?${qs}` }).errors).toEqual([]);
  });

  it("estimates: a single type still goes out as type[]", async () => {
    const { c, urls } = recorderFor();
    await c.GET("/estimates.json", { params: { query: { "type[]": ["Proforma"] } } });
    expect(queryOf(urls[0]!)).toBe("type[]=Proforma");
  });

  it("estimates: no filters at all sends only the key", async () => {
    const { c, urls } = recorderFor();
    await c.GET("/estimates.json");
    expect(queryOf(urls[0]!)).toBe("");
  });

  it("guides: loaded_at[from]/loaded_at[to] ranges with type[] and status[]", async () => {
    const { c, urls } = recorderFor();
    await c.GET("/guides.json", {
      params: {
        query: {
          "type[]": ["Shipping", "Devolution"],
          "status[]": ["sent", "second_copy"],
          "loaded_at[from]": "01/01/2024",
          "loaded_at[to]": "31/12/2024",
          non_archived: true,
          text: "Pallet",
        },
      },
    });
    const qs = queryOf(urls[0]!);
    expect(qs).toBe(
      "type[]=Shipping&type[]=Devolution&status[]=sent&status[]=second_copy" +
        "&loaded_at[from]=01%2F01%2F2024&loaded_at[to]=31%2F12%2F2024&non_archived=true&text=Pallet",
    );
    expect(new URLSearchParams(qs).get("loaded_at[to]")).toBe("31/12/2024");
    expect(validateRequest({ method: "GET", path: `/guides.json?${qs}` }).errors).toEqual([]);
  });

  it("purchase orders: type is a single scalar, status[] an array", async () => {
    const { c, urls } = recorderFor();
    await c.GET("/purchase_orders.json", {
      params: {
        query: {
          text: "Client Name",
          type: "PurchaseOrder",
          "status[]": ["sent"],
          "date[from]": "01/12/2017",
          archived: true,
        },
      },
    });
    const qs = queryOf(urls[0]!);
    expect(qs).toBe("text=Client%20Name&type=PurchaseOrder&status[]=sent&date[from]=01%2F12%2F2017&archived=true");
    expect(validateRequest({ method: "GET", path: `/purchase_orders.json?${qs}` }).errors).toEqual([]);
  });
});

describe("filter values outside each list's vocabulary", () => {
  // Bracketed names as the client sends them (`type[]=Invoice`).
  const bracketed: Array<[string, string, string]> = [
    ["/estimates.json", "type[]=Invoice", "query.type[]"],
    ["/estimates.json", "status[]=settled", "query.status[]"],
    ["/guides.json", "type[]=Quote", "query.type[]"],
    ["/guides.json", "loaded_at[from]=2024-01-01", "query.loaded_at[from]"],
    ["/estimates.json", "total_before_taxes[to]=lots", "query.total_before_taxes[to]"],
    ["/purchase_orders.json", "status[]=paid", "query.status[]"],
  ];
  for (const [path, query, at] of bracketed) {
    it(`the validators refuse ${path}?${query}, naming ${at}`, () => {
      const encoded = query.replaceAll("[", "%5B").replaceAll("]", "%5D"); // as a browser form would send it
      const result = validateRequest({ method: "GET", path: `${path}?${encoded}` });
      expect(
        result.issues.some((i) => i.at.startsWith(at)),
        result.errors.join("\n"),
      ).toBe(true);
    });
  }
  // Prism 5.14 alone never checks bracketed names (stoplightio/prism#2017, #2443); the mock's
  // front checks them with the validators, so the mock refuses both kinds.
  for (const [path, query] of [
    ...bracketed.map(([p, q]) => [p, q] as const),
    ["/purchase_orders.json", "type=Invoice"],
    ["/estimates.json", "page=0"],
    ["/guides.json", "non_archived=maybe"],
  ] as const) {
    it(`the mock refuses ${path}?${query} with 422`, async () => {
      const response = await fetch(`${baseUrl}${path}?${query}&api_key=k`);
      expect(response.status).toBe(422);
      await response.body?.cancel();
    });
  }

  it("while the same lists answer 200 with valid filters", async () => {
    const response = await fetch(`${baseUrl}/guides.json?type[]=Transport&loaded_at[from]=01%2F01%2F2024&api_key=k`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { guides: unknown[] };
    expect(Array.isArray(body.guides)).toBe(true);
  });
});

describe("request and response root keys", () => {
  it("a quote is created under `quote` and answered under `quote`", async () => {
    const { data, response } = await client.POST("/quotes.json", { body: { quote } });
    expect(response.status).toBe(201);
    expect(data?.quote.type).toBe("Quote");
    expect(data?.quote.status).toBe("draft");
  });

  it("a proforma sent under the family key `quote` is answered under `proforma`, like the real server", async () => {
    const { data, response } = await client.POST("/proformas.json", { body: { quote } });
    expect(response.status).toBe(201);
    expect(data?.proforma.type).toBe("Proforma");
    // The mock answers under `proforma` alone; the client puts the same document under `quote` too.
    expect(data?.quote).toBe(data?.proforma);
    const wire = await fetch(`${baseUrl}/proformas.json?api_key=k`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ quote }),
    });
    expect(wire.status).toBe(201);
    expect(Object.keys((await wire.json()) as object)).toEqual(["proforma"]);
  });

  it("the singular request key is accepted too (fees_note, transport, devolution)", async () => {
    const fees = await client.POST("/fees_notes.json", { body: { fees_note: quote } });
    expect(fees.response.status).toBe(201);
    const transport = await client.POST("/transports.json", { body: { transport: guide } });
    expect(transport.response.status).toBe(201);
    const devolution = await client.PUT("/devolutions/{document-id}.json", {
      params: { path: { "document-id": 2140013 } },
      body: { devolution: guide },
    });
    expect(devolution.response.status).toBe(200);
  });

  it("the mock can also answer with the family key, as the official examples show", async () => {
    const response = await fetch(`${baseUrl}/transports/2140012.json?api_key=k`, {
      headers: { Prefer: "example=finalFamilyKey" },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, { type?: string }>;
    expect(Object.keys(body)).toEqual(["shipping"]);
    expect(body.shipping?.type).toBe("Transport");
  });

  it("refuses a body that carries both keys, or another family's key", async () => {
    const both = await client.request(
      "post",
      "/proformas.json" as never,
      { body: { quote, proforma: quote } } as never,
    );
    expect(both.response.status).toBe(422);
    const wrong = await client.request("post", "/shippings.json" as never, { body: { transport: guide } } as never);
    expect(wrong.response.status).toBe(422);
    const invoiceKey = await client.request("post", "/fees_notes.json" as never, { body: { invoice: quote } } as never);
    expect(invoiceKey.response.status).toBe(422);
  });
});

describe("state machines", () => {
  const id = { "document-id": 2140001 };

  it("estimates accept both spellings of accept/refuse", async () => {
    for (const state of ["accept", "accepted", "refuse", "refused", "finalized", "deleted"] as const) {
      const { response } = await client.PUT("/quotes/{document-id}/change-state.json", {
        params: { path: id },
        body: { quote: { state } },
      });
      expect(response.status, state).toBe(200);
    }
  });

  it("a proforma's state change may use the singular key and is answered under `proforma`", async () => {
    const { data, response } = await client.PUT("/proformas/{document-id}/change-state.json", {
      params: { path: id },
      body: { proforma: { state: "accept" } },
    });
    expect(response.status).toBe(200);
    expect(data?.proforma?.id).toBeTypeOf("number");
  });

  const refused: Array<[string, string, unknown]> = [
    ["an invoice event on a quote", "/quotes/1/change-state.json", { quote: { state: "settled" } }],
    ["an estimate event on a guide", "/shippings/1/change-state.json", { shipping: { state: "accept" } }],
    ["a made-up event on a fees note", "/fees_notes/1/change-state.json", { quote: { state: "approved" } }],
    ["a quote canceled without a message", "/quotes/1/change-state.json", { quote: { state: "canceled" } }],
    [
      "a transport canceled with an empty message",
      "/transports/1/change-state.json",
      { shipping: { state: "canceled", message: "" } },
    ],
    [
      "v1's `rejected` on a purchase order",
      "/purchase_orders/1/change-state.json",
      { purchase_order: { state: "rejected" } },
    ],
    [
      "a purchase-order event on a devolution",
      "/devolutions/1/change-state.json",
      { devolution: { state: "completed" } },
    ],
  ];
  for (const [name, path, body] of refused) {
    it(`refuses ${name} with 422`, async () => {
      const { response } = await client.request("put", path as never, { body } as never);
      expect(response.status).toBe(422);
    });
  }

  it("accepts a cancel with its message", async () => {
    const { response } = await client.PUT("/shippings/{document-id}/change-state.json", {
      params: { path: { "document-id": 2140011 } },
      body: { shipping: { state: "canceled", message: "The goods were not shipped." } },
    });
    expect(response.status).toBe(200);
  });
});

describe("guides", () => {
  it("refuses loaded_at without its time, or in ISO form", async () => {
    for (const loaded_at of ["23/11/2025", "2025-11-23T09:00:00", "23/11/2025 9:00"]) {
      const { response } = await client.request(
        "post",
        "/shippings.json" as never,
        { body: { shipping: { ...guide, loaded_at } } } as never,
      );
      expect(response.status, loaded_at).toBe(422);
    }
  });

  it("refuses an address without a postal code, and a guide without address_to", async () => {
    const { postal_code: _omit, ...noPostal } = guide.address_from;
    const a = await client.request(
      "post",
      "/shippings.json" as never,
      { body: { shipping: { ...guide, address_from: noPostal } } } as never,
    );
    expect(a.response.status).toBe(422);
    const { address_to: _gone, ...noTo } = guide;
    const b = await client.request("post", "/shippings.json" as never, { body: { shipping: noTo } } as never);
    expect(b.response.status).toBe(422);
  });

  it("accepts guide line numbers as numbers and as numeric strings", async () => {
    const numbers = { ...guide, items: [{ name: "Pallet", description: "Pallet", unit_price: 10, quantity: 3 }] };
    const { response } = await client.POST("/shippings.json", { body: { shipping: numbers } });
    expect(response.status).toBe(201);
    const bad = { ...guide, items: [{ name: "Pallet", description: "Pallet", unit_price: "ten", quantity: "3" }] };
    const refused = await client.request("post", "/shippings.json" as never, { body: { shipping: bad } } as never);
    expect(refused.response.status).toBe(422);
  });

  it("returns the guide's addresses and transport data", async () => {
    const { data, response } = await client.GET("/shippings/{document-id}.json", {
      params: { path: { "document-id": 2140011 } },
    });
    expect(response.status).toBe(200);
    expect(data?.shipping.address_to?.city).toBe("Porto");
    expect(data?.shipping.loaded_at).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
  });
});

describe("e-mail and purchase orders", () => {
  it("e-mails answer 200 with an empty body", async () => {
    const message = { client: { email: "foo@bar.com", save: "0" as const } };
    for (const path of [
      "/quotes/{document-id}/email-document.json",
      "/transports/{document-id}/email-document.json",
      "/purchase_orders/{document-id}/email-document.json",
    ] as const) {
      const { response } = await client.PUT(path, { params: { path: { "document-id": 7 } }, body: { message } });
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toBe("");
    }
  });

  it("refuses an e-mail without the recipient", async () => {
    const { response } = await client.request(
      "put",
      "/fees_notes/7/email-document.json" as never,
      { body: { message: { subject: "Hi" } } } as never,
    );
    expect(response.status).toBe(422);
  });

  it("updates a purchase order (empty answer) and reads one back", async () => {
    const po = {
      date: "03/12/2017",
      due_date: "03/12/2017",
      loaded_at: "03/12/2017",
      client: { name: "Client Name" },
      items: [{ name: "Item Name", description: "Item Description", unit_price: "100", quantity: "5" }],
    };
    const updated = await client.PUT("/purchase_orders/{document-id}.json", {
      params: { path: { "document-id": 541790 } },
      body: { purchase_order: po },
    });
    expect(updated.response.status).toBe(200);
    const { data, response } = await client.GET("/purchase_orders/{document-id}.json", {
      params: { path: { "document-id": 541790 } },
    });
    expect(response.status).toBe(200);
    expect(data?.purchase_order.type).toBe("PurchaseOrder");
  });
});
