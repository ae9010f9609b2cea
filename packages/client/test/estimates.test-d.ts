import { expectTypeOf, test } from "vitest";
import { type components, createClient } from "../src/index.js";

const client = createClient({ accountName: "acme", apiKey: "k" });
const path = { "document-id": 1 };

test("state changes are typed per family", () => {
  void client.PUT("/quotes/{document-id}/change-state.json", {
    params: { path },
    body: { quote: { state: "accept" } },
  });
  void client.PUT("/quotes/{document-id}/change-state.json", {
    params: { path },
    body: { quote: { state: "accepted" } },
  });
  void client.PUT("/shippings/{document-id}/change-state.json", {
    params: { path },
    body: { shipping: { state: "canceled", message: "Not shipped." } },
  });
  void client.PUT("/quotes/{document-id}/change-state.json", {
    params: { path },
    // @ts-expect-error canceling requires a message
    body: { quote: { state: "canceled" } },
  });
  void client.PUT("/shippings/{document-id}/change-state.json", {
    params: { path },
    // @ts-expect-error guides do not accept estimate events
    body: { shipping: { state: "accept" } },
  });
  void client.PUT("/fees_notes/{document-id}/change-state.json", {
    params: { path },
    // @ts-expect-error `settled` belongs to the invoice family
    body: { quote: { state: "settled" } },
  });
});

test("both request keys type-check where they differ, one key where they coincide", () => {
  type Input = components["schemas"]["EstimateRequest"]["quote"];
  const input = {} as Input;
  void client.POST("/proformas.json", { body: { quote: input } });
  void client.POST("/proformas.json", { body: { proforma: input } });
  // @ts-expect-error a quote has only the `quote` key
  void client.POST("/quotes.json", { body: { proforma: input } });
});

test("responses keep both keys readable", () => {
  type Transport = components["schemas"]["TransportResponse"];
  expectTypeOf<NonNullable<Transport["transport"]>["license_plate"]>().toEqualTypeOf<string | null | undefined>();
  expectTypeOf<Transport["shipping"]>().toEqualTypeOf<components["schemas"]["GuideDocument"] | undefined>();
  expectTypeOf<components["schemas"]["GuideRequest"]["shipping"]["loaded_at"]>().toEqualTypeOf<string>();
});

test("a create needs the whole document, an update only what changes", () => {
  void client.PUT("/proformas/{document-id}.json", { params: { path }, body: { proforma: { reference: "PO-7" } } });
  void client.PUT("/transports/{document-id}.json", { params: { path }, body: { shipping: { loaded_at: null } } });
  // @ts-expect-error a new quote needs its dates, client and items
  void client.POST("/quotes.json", { body: { quote: { reference: "PO-7" } } });
  // @ts-expect-error a new guide needs when the transport starts
  void client.POST("/shippings.json", { body: { shipping: { loaded_at: null } } });
});
