/// <reference types="@ixpress/mock/vitest" />
// What a shop back-end would write to test its InvoiceXpress integration without a live
// account: the mock from @ixpress/mock/vitest, the typed client, and the validators.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type components, createClient } from "@ixpress/client";
import { startMock } from "@ixpress/mock";
import { listOperations, specJsonPath, specYamlPath } from "@ixpress/openapi";
import { malformedRequests } from "@ixpress/openapi/fixtures";
import { validateRequest, validateResponse } from "@ixpress/openapi/validate";
import { describe, expect, expectTypeOf, inject, it } from "vitest";

const ix = createClient({ baseUrl: inject("ixpressMockUrl"), apiKey: "test-key" });

describe("a consumer's contract test", () => {
  it("lists clients, and the answer matches the spec", async () => {
    const { data, response } = await ix.GET("/clients.json", { params: { query: { page: 1 } } });
    expect(
      validateResponse({ method: "GET", path: "/clients.json", status: response.status, body: data }).errors,
    ).toEqual([]);
    const first: components["schemas"]["Client"] | undefined = data?.clients[0];
    expect(first?.name).toBe("Client Name");
  });

  it("handles an empty account (Prefer: example=emptyList)", async () => {
    const { data } = await ix.GET("/clients.json", { headers: { Prefer: "example=emptyList" } });
    expect(data?.clients).toEqual([]);
    expect(data?.pagination?.total_pages).toBe(0);
  });

  it("checks its own request, then handles a refusal (Prefer: code=422)", async () => {
    const body = { client: { name: "Client Name", code: "12345" } };
    expect(validateRequest({ method: "POST", path: "/clients.json", body }).errors).toEqual([]);
    const { error, response } = await ix.POST("/clients.json", {
      body,
      headers: { Prefer: "code=422, example=errorsArray" },
    });
    expect(response.status).toBe(422);
    expect(error).toEqual({ errors: ["Name can't be blank"] });
    expect(validateResponse({ method: "POST", path: "/clients.json", status: 422, body: error }).valid).toBe(true);
  });

  it("creates an invoice through the typed client", async () => {
    const { data, response } = await ix.POST("/invoices.json", {
      body: {
        invoice: {
          date: "03/12/2017",
          due_date: "03/12/2017",
          client: { name: "Client Name", code: "A1" },
          items: [{ name: "Item Name", description: "Item Description", unit_price: 100, quantity: "5" }],
        },
      },
    });
    expect(response.status).toBe(201);
    expect(typeof data?.invoice.id).toBe("number");
  });

  it("gets a 404 where the operation documents one (Prefer: code=404)", async () => {
    const quote = {
      quote: {
        date: "3/12/2017",
        due_date: "03/12/2017",
        client: { name: "C", code: "A1" },
        items: [{ name: "I", description: "D", unit_price: 1, quantity: 1 }],
      },
    };
    const { response } = await ix.PUT("/quotes/{document-id}.json", {
      params: { path: { "document-id": 1 } },
      body: quote,
      headers: { Prefer: "code=404" },
    });
    expect(response.status).toBe(404);
  });
});

describe("the malformed fixtures", () => {
  for (const bad of malformedRequests) {
    it(`${bad.name}: the validator names the field and the mock refuses it`, async () => {
      expect(validateRequest(bad).issues.some((i) => i.at.startsWith(bad.expectAt))).toBe(true);
      const query = new URLSearchParams({ ...bad.query, api_key: "test-key" });
      const res = await fetch(`${inject("ixpressMockUrl")}${bad.path}?${query}`, {
        method: bad.method,
        ...(bad.body !== undefined
          ? { headers: { "content-type": "application/json" }, body: JSON.stringify(bad.body) }
          : {}),
      });
      expect(res.status).toBe(422);
    });
  }
});

describe("what the packages ship", () => {
  it("has types that resolve (checked by tsc; a silent `any` would fail these)", () => {
    expectTypeOf(inject("ixpressMockUrl")).toEqualTypeOf<string>();
    expectTypeOf(validateRequest).returns.toHaveProperty("errors").toEqualTypeOf<string[]>();
    const typesOnly = () => {
      // @ts-expect-error: not a path of the API, so the typed client refuses it
      void ix.GET("/no-such-path.json");
    };
    expect(typeof typesOnly).toBe("function");
  });

  it("exports the bundled description in both formats, with a README", () => {
    const require = createRequire(import.meta.url);
    for (const name of ["@ixpress/openapi", "@ixpress/mock"]) {
      expect(existsSync(path.join(path.dirname(require.resolve(`${name}/package.json`)), "README.md")), name).toBe(
        true,
      );
    }
    expect(require.resolve("@ixpress/openapi/openapi.json")).toBe(specJsonPath);
    expect(require.resolve("@ixpress/openapi/openapi.yaml")).toBe(specYamlPath);
    expect(listOperations().length).toBeGreaterThan(10);
  });

  it("starts a second mock programmatically", async () => {
    const mock = await startMock({ dynamic: true, seed: 7 });
    try {
      expect((await fetch(`${mock.url}/clients.json?api_key=k`)).status).toBe(200);
    } finally {
      await mock.stop();
    }
  });

  it("installs a working ixpress-mock command that stops on Ctrl-C", async () => {
    const child = spawn("node_modules/.bin/ixpress-mock", ["--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
    for (let i = 0; i < 600 && !/Ctrl-C/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /listening on (http:\S+)/.exec(out)?.[1];
    expect((await fetch(`${url}/clients.json?api_key=k`)).status).toBe(200);
    child.kill("SIGINT");
    expect(await exit).toBe(0);
  });
});
