// Exact bodies and parameters: a key the operation does not declare is a compile error, at every
// depth and on every method. Each `@ts-expect-error` sits on the line of the misspelt key, where
// TypeScript reports it (openapi-fetch alone accepts every one of these calls).
import { expectTypeOf, test } from "vitest";
import { type components, createClient } from "../src/index.js";

const ix = createClient({ accountName: "acme", apiKey: "k" });
const client = { name: "Ana", code: "A1" };
const item = { name: "Item", description: "Thing", unit_price: "10", quantity: 1 };
const invoice = { date: "01/02/2024", due_date: "01/03/2024", client, items: [item] };

test("POST: envelope, document, nested client and line items", () => {
  void ix.POST("/clients.json", { body: { client: { name: "Ana", code: "A1", email: "a@b.pt" } } });
  void ix.POST("/clients.json", {
    // @ts-expect-error `emial` is not a field of a client
    body: { client: { name: "Ana", code: "A1", emial: "a@b.pt" } },
  });
  void ix.POST("/invoices.json", {
    // @ts-expect-error `invoce` is not the envelope's key
    body: { invoce: invoice },
  });
  void ix.POST("/invoices.json", {
    // @ts-expect-error `proprietary_id` is not a key of the envelope (proprietary_uid is)
    body: { invoice, proprietary_id: "x" },
  });
  void ix.POST("/invoices.json", {
    body: {
      invoice: {
        ...invoice,
        // @ts-expect-error `observation` is not a field of an invoice
        observation: "x",
      },
    },
  });
  void ix.POST("/invoices.json", {
    body: {
      invoice: {
        ...invoice,
        // @ts-expect-error `emial` on the document's client
        client: { name: "Ana", code: "A1", emial: "a@b.pt" },
      },
    },
  });
  void ix.POST("/invoices.json", {
    body: {
      invoice: {
        ...invoice,
        items: [
          item,
          // @ts-expect-error `unitprice` on the second line item
          { name: "Item", description: "Thing", unitprice: "10", quantity: 1 },
        ],
      },
    },
  });
  void ix.POST("/invoices.json", {
    body: { invoice },
    // @ts-expect-error `bodyy` is not an option of a call
    bodyy: {},
  });
});

test("GET: query and path parameters", () => {
  void ix.GET("/clients.json", { params: { query: { page: 1, per_page: 50 } } });
  // @ts-expect-error `perpage` is not a query parameter of the list
  void ix.GET("/clients.json", { params: { query: { page: 1, perpage: 50 } } });
  // @ts-expect-error the list has no path parameters
  void ix.GET("/clients.json", { params: { path: { "client-id": 1 } } });
  void ix.GET("/clients/{client-id}.json", { params: { path: { "client-id": 1 } } });
  // @ts-expect-error `client_id` is not the path parameter (`client-id` is)
  void ix.GET("/clients/{client-id}.json", { params: { path: { "client-id": 1, client_id: 1 } } });
  // @ts-expect-error `param` is not a key of init (`params` is)
  void ix.GET("/clients.json", { param: {} });
  // @ts-expect-error `querry` is not a key of params
  void ix.GET("/clients.json", { params: { querry: { page: 1 } } });
});

test("PUT and DELETE", () => {
  const path = { "document-id": 1 };
  void ix.PUT("/invoices/{document-id}/email-document.json", {
    params: { path },
    body: { message: { client: { email: "a@b.pt", save: "0" }, subject: "s", body: "b" } },
  });
  void ix.PUT("/invoices/{document-id}/email-document.json", {
    params: { path },
    // @ts-expect-error `subjet` is not a field of the message
    body: { message: { client: { email: "a@b.pt", save: "0" }, subjet: "s", body: "b" } },
  });
  void ix.PUT("/clients/{client-id}.json", {
    params: { path: { "client-id": 1 } },
    // @ts-expect-error `fiscalid` is not a field of a client
    body: { client: { name: "Ana", code: "A1", fiscalid: "1" } },
  });
  void ix.DELETE("/clients/{client-id}.json", { params: { path: { "client-id": 1 } } });
  // @ts-expect-error `clientid` is not a path parameter of the deletion
  void ix.DELETE("/clients/{client-id}.json", { params: { path: { "client-id": 1, clientid: 1 } } });
});

test("request(method, path, init) is exact too", () => {
  void ix.request("post", "/clients.json", { body: { client } });
  // @ts-expect-error `emial` through request()
  void ix.request("post", "/clients.json", { body: { client: { ...client, emial: "x" } } });
  // @ts-expect-error `perpage` through request()
  void ix.request("get", "/clients.json", { params: { query: { perpage: 1 } } });
});

test("per-call options, openapi-fetch options and inference stay", async () => {
  const r = await ix.GET("/clients.json", { timeoutMs: 500, retry: false, headers: { "X-A": "1" } });
  expectTypeOf(r.data).toEqualTypeOf<components["schemas"]["ClientListResponse"] | undefined>();
  // @ts-expect-error `timeout` is not a call option (`timeoutMs` is)
  void ix.GET("/clients.json", { timeout: 500 });
  const text = await ix.GET("/clients.json", { parseAs: "text" });
  expectTypeOf(text.data).toEqualTypeOf<string | undefined>();
  const created = await ix.POST("/clients.json", { body: { client } });
  // `.branded`: the client's `id` is required through an intersection (WithRequired), which
  // openapi-fetch's Readable<> flattens; the two are the same type, not the same spelling.
  expectTypeOf(created.data).branded.toEqualTypeOf<components["schemas"]["ClientResponse"] | undefined>();
  // init may be left out only where nothing in it is required
  void ix.GET("/clients.json");
  // @ts-expect-error the path parameter is required
  void ix.GET("/clients/{client-id}.json");
  // @ts-expect-error not a path of the API
  void ix.GET("/client.json");
});
