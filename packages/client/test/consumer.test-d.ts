// A consumer's file, as a new TypeScript user writes it from the READMEs: read a record, change
// one field, write it back; and the enum typos that must not compile. consumer.test.ts compiles
// this file with `exactOptionalPropertyTypes` on and off, on TS 5.9 and on TS 7.
import { expectTypeOf, test } from "vitest";
import { createClient, InvoiceXpressError, poll, toWritable, unwrap } from "../src/index.js";

const ix = createClient({ accountName: "acme", apiKey: "k" });

test("read → change → write: a client", async () => {
  const path = { "client-id": 1 };
  const { client } = unwrap(await ix.GET("/clients/{client-id}.json", { params: { path } }));
  await ix.PUT("/clients/{client-id}.json", {
    params: { path },
    body: { client: { ...client, email: "new@example.com" } },
  });
});

test("read → change → write: an item", async () => {
  const path = { "item-id": 1 };
  const { item } = unwrap(await ix.GET("/items/{item-id}.json", { params: { path } }));
  await ix.PUT("/items/{item-id}.json", { params: { path }, body: { item: { ...item, unit_price: 12 } } });
});

test("read → change → write: an invoice, a quote and a shipping guide (toWritable leaves out mb_reference)", async () => {
  const path = { "document-id": 1 };
  const { invoice } = unwrap(await ix.GET("/invoices/{document-id}.json", { params: { path } }));
  await ix.PUT("/invoices/{document-id}.json", {
    params: { path },
    body: { invoice: { ...toWritable(invoice), observations: "Paid by transfer" } },
  });
  const { quote } = unwrap(await ix.GET("/quotes/{document-id}.json", { params: { path } }));
  await ix.PUT("/quotes/{document-id}.json", {
    params: { path },
    body: { quote: { ...toWritable(quote), reference: "PO-7" } },
  });
  const { shipping } = unwrap(await ix.GET("/shippings/{document-id}.json", { params: { path } }));
  await ix.PUT("/shippings/{document-id}.json", {
    params: { path },
    body: { shipping: { ...toWritable(shipping), license_plate: "11-AA-22" } },
  });
});

test("what the server always sends is not optional", async () => {
  const created = unwrap(await ix.POST("/clients.json", { body: { client: { name: "Ana", code: "A1" } } }));
  expectTypeOf(created.client.name).toEqualTypeOf<string>();
  const { item } = unwrap(await ix.GET("/items/{item-id}.json", { params: { path: { "item-id": 1 } } }));
  expectTypeOf(item.name).toEqualTypeOf<string>();
});

test("an enum typo is an error, a blank is not", () => {
  const client = { name: "Ana", code: "A1" };
  void ix.POST("/clients.json", { body: { client: { ...client, language: "", country: null } } });
  // @ts-expect-error `pr` is not a language
  void ix.POST("/clients.json", { body: { client: { ...client, language: "pr" } } });
  // @ts-expect-error `Portgual` is not a country
  void ix.POST("/clients.json", { body: { client: { ...client, country: "Portgual" } } });
  const invoice = {
    date: "01/02/2024",
    due_date: "01/03/2024",
    client,
    items: [{ name: "I", unit_price: 1, quantity: 1 }],
  };
  void ix.POST("/invoices.json", { body: { invoice: { ...invoice, tax_exemption: "M01", mb_reference: "1" } } });
  // @ts-expect-error `M1` is not an exemption code
  void ix.POST("/invoices.json", { body: { invoice: { ...invoice, tax_exemption: "M1" } } });
  // @ts-expect-error `yes` is not a flag
  void ix.POST("/invoices.json", { body: { invoice: { ...invoice, mb_reference: "yes" } } });
});

test("unwrap returns the data, never undefined, for a 2xx that has a body (poll's result too)", async () => {
  const list = unwrap(await ix.GET("/clients.json"));
  expectTypeOf(list).not.toBeNullable();
  void list.clients;
  const path = { "document-id": 1 };
  const pdf = unwrap(await poll(() => ix.GET("/api/pdf/{document-id}.json", { params: { path } })));
  expectTypeOf(pdf).not.toBeNullable();
  void pdf.output;
});

test("InvoiceXpressError.messages is an array, one entry per reason", () => {
  expectTypeOf<InvoiceXpressError["messages"]>().toEqualTypeOf<string[]>();
  const error = new InvoiceXpressError({ kind: "validation", messages: ["name is required", "code is taken"] });
  for (const reason of error.messages) expectTypeOf(reason).toEqualTypeOf<string>();
});
