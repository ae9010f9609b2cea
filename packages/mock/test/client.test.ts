// A refused request, seen through @ixpress/client as users see it: InvoiceXpressError.messages
// names the real violation, in plain words.
// @ixpress/client has this package as a dev dependency (its contract suite runs on the mock), so
// it is read from its source here: a dependency back would be a cycle in the workspace.

import { minimalInvoice } from "@ixpress/openapi/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, InvoiceXpressError, unwrap } from "../../client/src/index.js";
import { type RunningMock, startMock } from "../src/index.js";

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock?.stop());

const client = () => createClient({ baseUrl: mock.url, apiKey: "test-key", retry: false });

async function refusal(promise: Promise<unknown>): Promise<InvoiceXpressError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof InvoiceXpressError) return err;
    throw err;
  }
  throw new Error("the request was accepted");
}

describe("refusals through @ixpress/client", () => {
  it("names an invalid e-mail and a comma decimal of an invoice", async () => {
    const invoice = structuredClone(minimalInvoice) as { invoice: Record<string, any> };
    invoice.invoice.client.email = "foo";
    invoice.invoice.items[0].unit_price = "12,5";
    const err = await refusal(
      client()
        .POST("/invoices.json", { body: invoice as never })
        .then(unwrap),
    );
    expect(err.status).toBe(422);
    expect(err.kind).toBe("validation");
    const text = err.messages.join("\n");
    expect(text).toContain('invoice.client.email: must be an e-mail address, got "foo"');
    expect(text).toContain('invoice.items[0].unit_price: use a dot as the decimal separator, got "12,5"');
    expect(text).not.toContain("Elemento client");
  });

  it("names every violation of a client, in the shape its 422 documents", async () => {
    const err = await refusal(
      client()
        .POST("/clients.json", { body: { client: { code: "1", email: "x" } } as never })
        .then(unwrap),
    );
    expect(err.status).toBe(422);
    expect(err.messages.join("\n")).toContain("client.name: is required");
    expect(err.messages.join("\n")).toContain('client.email: must be an e-mail address, got "x"');
  });

  it("says a missing API key is an invalid key, with 401", async () => {
    const res = await fetch(`${mock.url}/clients.json`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: { error: "Invalid API key" } });
  });
});
