import { expectTypeOf, test } from "vitest";
import { createClient, type components } from "../src/index.js";

const client = createClient({ accountName: "acme", apiKey: "k" });

test("request bodies are typed from the spec", () => {
  type Line = components["schemas"]["DocumentItemInput"];
  expectTypeOf<Line["unit_price"]>().toEqualTypeOf<number | string>();
  // @ts-expect-error items are required on an invoice
  void client.POST("/invoices.json", { body: { invoice: { date: "1/1/2024", due_date: "1/1/2024", client: { name: "a", code: "b" } } } });
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
