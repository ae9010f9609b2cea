import { expectTypeOf, test } from "vitest";
import { type components, createClient } from "../src/index.js";

const client = createClient({ accountName: "acme", apiKey: "k" });

test("request bodies are typed from the spec", () => {
  type Line = components["schemas"]["DocumentItemInput"];
  expectTypeOf<Line["unit_price"]>().toEqualTypeOf<number | string>();
  void client.POST("/invoices.json", {
    // @ts-expect-error items are required on an invoice
    body: { invoice: { date: "1/1/2024", due_date: "1/1/2024", client: { name: "a", code: "b" } } },
  });
  // @ts-expect-error value_type is percentage | absolute
  const bad: components["schemas"]["GlobalDiscount"] = { value_type: "fixed", value: 1 };
  void bad;
});

test("path parameters are required and typed", () => {
  // @ts-expect-error document-id is required
  void client.PUT("/quotes/{document-id}.json", { body: { quote: {} as components["schemas"]["EstimateInput"] } });
});

test("responses are typed", async () => {
  const { data } = await client.GET("/clients.json");
  expectTypeOf(data).toEqualTypeOf<components["schemas"]["ClientListResponse"] | undefined>();
});

import {
  type ErrorKind,
  InvoiceXpressError,
  type PageItem,
  type PaginatedPath,
  paginate,
  poll,
  unwrap,
} from "../src/index.js";

test("unwrap returns the success body", async () => {
  const data = unwrap(await client.GET("/clients.json"));
  expectTypeOf(data).toEqualTypeOf<components["schemas"]["ClientListResponse"]>();
  const created = unwrap(await client.POST("/invoices.json", { body: {} as components["schemas"]["InvoiceRequest"] }));
  // A creation answers a CreatedDocument (Document & its `total`): the same type, flattened by Readable<>.
  expectTypeOf(created).branded.toEqualTypeOf<components["schemas"]["InvoiceCreatedResponse"]>();
});

test("paginate is typed by path: items, query and which paths", async () => {
  // Every list with `pagination` is a PaginatedPath; unpaginated lists and creations are not.
  expectTypeOf<"/clients.json" | "/invoices.json" | "/estimates.json" | "/guides.json">().toExtend<PaginatedPath>();
  expectTypeOf<"/taxes.json">().not.toExtend<PaginatedPath>();
  expectTypeOf<"/purchase_orders/{document-id}.json">().not.toExtend<PaginatedPath>();
  expectTypeOf<PageItem<"/clients.json">>().toEqualTypeOf<components["schemas"]["Client"]>();
  for await (const c of paginate(client, "/clients.json", { per_page: 100 })) {
    expectTypeOf(c).toEqualTypeOf<components["schemas"]["Client"]>();
  }
  for await (const d of paginate(client, "/invoices.json", { "type[]": ["Invoice"], page: 2 })) {
    expectTypeOf(d).toEqualTypeOf<components["schemas"]["Document"]>();
  }
  // @ts-expect-error /taxes.json is a list without pagination
  paginate(client, "/taxes.json");
  // @ts-expect-error per_page is a query parameter of the clients list, colour is not
  paginate(client, "/clients.json", { colour: "red" });
  // @ts-expect-error type[] takes document types
  paginate(client, "/invoices.json", { "type[]": ["Nonsense"] });
});

test("per-call options, poll and errors", async () => {
  const r = await poll(() => client.GET("/clients.json", { timeoutMs: 500, retry: false }), { intervalMs: 10 });
  expectTypeOf(r.data).toEqualTypeOf<components["schemas"]["ClientListResponse"] | undefined>();
  const e = new InvoiceXpressError({ kind: "network" });
  expectTypeOf(e.kind).toEqualTypeOf<ErrorKind>();
  expectTypeOf(e.messages).toEqualTypeOf<string[]>();
  expectTypeOf(e.status).toEqualTypeOf<number | undefined>();
  // @ts-expect-error not a kind
  void new InvoiceXpressError({ kind: "teapot" });
  // @ts-expect-error rateLimit takes a number, an object or false
  createClient({ accountName: "a", apiKey: "k", rateLimit: "fast" });
});
