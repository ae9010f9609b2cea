// Responses as they arrive, at run time: what a creation answers goes back into the next call
// unchanged. Against the mock's stateful sandbox (127.0.0.1, a free port, stopped after).
import { type RunningMock, startMock } from "@ixpress/mock";
import { validateResponse } from "@ixpress/openapi/validate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type InvoiceXpressClient, unwrap } from "../src/index.js";

let mock: RunningMock;
let ix: InvoiceXpressClient;
const paths: string[] = [];

beforeAll(async () => {
  mock = await startMock({ stateful: true });
  ix = createClient({
    baseUrl: mock.url,
    apiKey: "responses-test-key",
    retry: false,
    fetch: (input, init) => {
      paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fetch(input, init);
    },
  });
});
afterAll(() => mock?.stop());

describe("a created client's id goes into the next call unchanged", () => {
  it("takes the string of digits the client endpoints answer, as it is", async () => {
    const { client } = unwrap(await ix.POST("/clients.json", { body: { client: { name: "Ana Lopes", code: "AL1" } } }));
    // The client endpoints answer the id as a string of digits (as the live API does).
    expect(client.id).toMatch(/^[1-9][0-9]*$/);
    paths.length = 0;
    const read = await ix.GET("/clients/{client-id}.json", { params: { path: { "client-id": client.id } } });
    expect(read.response.status).toBe(200);
    expect(paths).toEqual([`/clients/${client.id}.json`]);
    expect(unwrap(read).client).toMatchObject({ id: client.id, name: "Ana Lopes", code: "AL1" });
    const answer = validateResponse({
      method: "GET",
      path: `/clients/${client.id}.json`,
      status: 200,
      body: read.data,
    });
    expect(answer.errors).toEqual([]);
  });

  it("writes a numeric id and its string the same way in the URL", async () => {
    const { client } = unwrap(await ix.POST("/clients.json", { body: { client: { name: "Rui Matos", code: "RM1" } } }));
    paths.length = 0;
    const asNumber = unwrap(
      await ix.GET("/clients/{client-id}.json", { params: { path: { "client-id": Number(client.id) } } }),
    );
    const asString = unwrap(
      await ix.GET("/clients/{client-id}.json", { params: { path: { "client-id": String(client.id) } } }),
    );
    expect(paths).toEqual([`/clients/${client.id}.json`, `/clients/${client.id}.json`]);
    expect(asNumber).toEqual(asString);
  });

  it("refuses an id that is not digits, before the sandbox sees it", async () => {
    const { error, response } = await ix.GET("/clients/{client-id}.json", { params: { path: { "client-id": "abc" } } });
    expect(response.status).toBe(422);
    expect(JSON.stringify(error)).toMatch(/client-id/);
  });
});
