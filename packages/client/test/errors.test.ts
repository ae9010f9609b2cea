import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createClient, type ErrorKind, errorMessages, InvoiceXpressError, kindOfStatus, unwrap } from "../src/index.js";
import { type FaultServer, startFaultServer } from "./fault-server.js";

describe("errorMessages normalises every error body shape of the API", () => {
  const cases: Array<[string, unknown, string[]]> = [
    [
      "documents: errors.error",
      { errors: { error: "Elemento client não fornecido" } },
      ["Elemento client não fornecido"],
    ],
    [
      "clients: errors as a list of strings",
      { errors: ["Name can't be blank", "Code has already been taken"] },
      ["Name can't be blank", "Code has already been taken"],
    ],
    [
      "items, treasury: errors as a list of objects",
      { errors: [{ error: "Name is taken" }, { error: "Unit is invalid" }] },
      ["Name is taken", "Unit is invalid"],
    ],
    [
      "sequences: coded errors",
      { errors: { code: "001", message: "Sequence name not allowed." } },
      ["Sequence name not allowed."],
    ],
    ["taxes: field map", { name: ["is not available."] }, ["name is not available."]],
    ["taxes: base messages have no prefix", { base: ["Tax region is empty"] }, ["Tax region is empty"]],
    [
      "field map with several fields",
      { name: ["is taken"], value: ["is not a number", "must be < 100"] },
      ["name is taken", "value is not a number", "value must be < 100"],
    ],
    ["errors as a field map", { errors: { email: ["is invalid"] } }, ["email is invalid"]],
    [
      "accounts, partial payments: bare [field, message]",
      ["payment_mechanism", "is invalid"],
      ["payment_mechanism is invalid"],
    ],
    [
      "bare list of sentences",
      ["Name can't be blank", "Email is invalid"],
      ["Name can't be blank", "Email is invalid"],
    ],
    [
      "QR codes: error string",
      { error: "No document with ID 1 was found in this account" },
      ["No document with ID 1 was found in this account"],
    ],
    [
      "accounts: coded error object",
      { error: { code: "404", message: "The account doesn't exist." } },
      ["The account doesn't exist."],
    ],
    [
      "SAF-T: message",
      { message: "There aren't any documents to export on the selected period." },
      ["There aren't any documents to export on the selected period."],
    ],
    [
      "409: reason",
      { reason: "There's an ongoing document creation with the provided UID u" },
      ["There's an ongoing document creation with the provided UID u"],
    ],
    ["202-like envelope", { accepted: { code: "202", message: "Working on it" } }, ["Working on it"]],
    ["401 OAS", { errors: { error: "Invalid API key" } }, ["Invalid API key"]],
    ["treasury 404", { errors: [{ error: "Client not found" }] }, ["Client not found"]],
    ["errors as one string", { errors: "Something failed" }, ["Something failed"]],
    ["a JSON string", "Plain message", ["Plain message"]],
    ["empty string", "", []],
    ["undefined (empty body)", undefined, []],
    ["null", null, []],
    [
      "HTML with a title",
      "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>",
      ["502 Bad Gateway"],
    ],
    ["HTML without a title", "<html><body>oops</body></html>", []],
    [
      "a problem (application/problem+json): its detail",
      {
        type: "https://stoplight.io/prism/errors#NOT_FOUND",
        title: "Route not resolved",
        status: 404,
        detail: "No route",
      },
      ["No route"],
    ],
    ["a problem with a title only", { title: "Route not resolved", status: 404 }, ["Route not resolved"]],
    ["an unknown object", { foo: 1 }, []],
  ];
  for (const [name, body, messages] of cases) {
    it(name, () => expect(errorMessages(body)).toEqual(messages));
  }
  it("long plain text is cut", () => {
    const [m] = errorMessages("x".repeat(1000));
    expect(m!.length).toBeLessThanOrEqual(301);
  });
});

describe("kindOfStatus", () => {
  it.each([
    [401, "unauthorized"],
    [403, "unauthorized"],
    [404, "not_found"],
    [409, "conflict"],
    [422, "validation"],
    [406, "validation"],
    [400, "validation"],
    [429, "rate_limited"],
    [500, "server"],
    [503, "server"],
    [418, "http"],
  ] as const)("%i is %s", (status, kind) => expect(kindOfStatus(status)).toBe(kind));
});

describe("unwrap", () => {
  const response = (status: number) => new Response(null, { status });
  it("returns data on success", () => {
    expect(unwrap({ data: { a: 1 }, response: response(200) })).toEqual({ a: 1 });
  });
  it("throws an InvoiceXpressError with status, kind, messages, code and body", () => {
    const body = { errors: { code: "005", message: "Serie already exists" } };
    let err: InvoiceXpressError | undefined;
    try {
      unwrap({ error: body, response: response(409) });
    } catch (e) {
      err = e as InvoiceXpressError;
    }
    expect(err).toBeInstanceOf(InvoiceXpressError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: "InvoiceXpressError",
      status: 409,
      kind: "conflict",
      messages: ["Serie already exists"],
      code: "005",
      body,
    });
    expect(String(err)).toBe("InvoiceXpressError [conflict]: 409: Serie already exists");
    expect(err!.stack).toMatch(/^InvoiceXpressError: 409/);
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({
      name: "InvoiceXpressError",
      kind: "conflict",
      status: 409,
      messages: ["Serie already exists"],
    });
  });
});

describe("toString() is one readable line", () => {
  it("kind, status and reasons, on one line, whatever the messages hold", () => {
    const err = new InvoiceXpressError({
      kind: "validation",
      status: 422,
      messages: ["name can't be blank\r\nreally", "code\u2028is taken\u001b[31m"],
      request: { method: "POST", url: "https://acme.app.invoicexpress.com/clients.json" },
    });
    expect(err.messages).toEqual(["name can't be blank\r\nreally", "code\u2028is taken\u001b[31m"]);
    expect(String(err)).toBe(
      "InvoiceXpressError [validation]: 422 on POST https://acme.app.invoicexpress.com/clients.json: name can't be blank really; code is taken [31m",
    );
    for (const c of ["\r", "\n", "\u2028", "\u001b"]) expect(err.message).not.toContain(c);
    expect(err.stack!.split("\n")[0]).toBe(`InvoiceXpressError: ${err.message}`);
  });
  it("a failure without a response says its kind", () => {
    const kind: ErrorKind = "timeout";
    const err = new InvoiceXpressError({
      kind,
      request: { method: "GET", url: "/x" },
      detail: "no complete\nresponse",
    });
    expect(err.toString()).toBe("InvoiceXpressError [timeout]: timeout on GET /x: no complete response");
  });
  it("a very long line is cut", () => {
    const err = new InvoiceXpressError({ kind: "validation", status: 422, messages: ["x".repeat(5000)] });
    expect(err.toString().length).toBe(1000);
    expect(err.toString().endsWith("…")).toBe(true);
  });
});

describe("errors from a server: the server's reasons, one line, never the key", () => {
  const KEY = "s3cret-KEY-0042";
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(() => server.close());

  it("a 422 whose messages hold line breaks and echo the key", async () => {
    server.script({
      status: 422,
      json: { errors: [`Name can't be blank\nfor key ${KEY}`, "Code has already\r\nbeen taken\u2029(C1)"] },
    });
    const ix = createClient({ baseUrl: server.url, apiKey: KEY, retry: false });
    const err = await ix
      .POST("/clients.json", { body: { client: { name: "", code: "C1" } } })
      .then(unwrap)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvoiceXpressError);
    const e = err as InvoiceXpressError;
    expect(e.kind).toBe("validation");
    expect(e.messages).toEqual(["Name can't be blank\nfor key [REDACTED]", "Code has already\r\nbeen taken\u2029(C1)"]);
    const line = String(e);
    expect(line).toBe(
      `InvoiceXpressError [validation]: 422 on POST ${server.url}/clients.json: Name can't be blank for key [REDACTED]; Code has already been taken (C1)`,
    );
    expect(line).not.toMatch(/[\r\n\u2028\u2029]/);
    for (const text of [line, e.message, e.stack ?? "", JSON.stringify(e)]) expect(text).not.toContain(KEY);
    // The key went to the server: the request carried it.
    expect(server.requests.at(-1)!.url).toContain(`api_key=${KEY}`);
  });

  it("a network failure is one line too, without the key", async () => {
    server.script({ reset: true });
    const ix = createClient({ baseUrl: server.url, apiKey: KEY, retry: false });
    const err = (await ix.GET("/clients.json").catch((e: unknown) => e)) as InvoiceXpressError;
    expect(err).toBeInstanceOf(InvoiceXpressError);
    expect(err.kind).toBe("network");
    expect(String(err)).toMatch(
      new RegExp(`^InvoiceXpressError \\[network\\]: network on GET ${server.url}/clients\\.json: \\S`),
    );
    expect(String(err)).not.toMatch(/[\r\n]/);
    expect(String(err)).not.toContain(KEY);
  });
});

describe("errors from the mock carry the mock's reasons", () => {
  const ix = createClient({ baseUrl: inject("ixpressMockUrl"), apiKey: "mock-key-7", retry: false });

  it("a client without its required code: the messages name the field", async () => {
    const err = await ix
      .POST("/clients.json", { body: { client: { name: "No code" } as never } })
      .then(unwrap)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvoiceXpressError);
    const e = err as InvoiceXpressError;
    expect(e.status).toBe(422);
    expect(e.kind).toBe("validation");
    expect(e.messages.length).toBeGreaterThan(0);
    expect(e.messages).toContain("client.code: is required");
    expect(String(e)).toContain(e.messages[0]!);
    expect(String(e)).not.toContain("mock-key-7");
  });

  it("a misspelt key in strict mode: the messages name the key", async () => {
    const err = await ix
      .POST("/sequences.json", {
        body: { sequence: { serie: "2031", default: "1" } as never },
        headers: { "x-ixpress-strict": "1" },
      })
      .then(unwrap)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvoiceXpressError);
    const e = err as InvoiceXpressError;
    expect(e.status).toBe(422);
    expect(e.messages.join(" | ")).toMatch(/sequence\.default: is not a field the API knows/);
    expect(String(e)).toMatch(/^InvoiceXpressError \[validation\]: 422 on POST .*sequence\.default: is not a field/);
  });
});

describe("unwrap and messages (issue 25)", () => {
  const result = (status: number, data?: unknown, error?: unknown) => ({
    data,
    error,
    response: new Response(null, { status }),
  });
  it("returns the data of a 2xx, undefined for a bodyless 204, and throws for a bodyless 202 (not ready)", () => {
    expect(unwrap(result(200, { clients: [] }))).toEqual({ clients: [] });
    expect(unwrap(result(204))).toBeUndefined();
    expect(unwrap(result(202, { message: "accepted" }))).toEqual({ message: "accepted" });
    expect(() => unwrap(result(202))).toThrow(/202 Accepted without a body: not ready yet \(poll\(\) sends it again\)/);
  });
  it("messages holds one entry per violation, never joined", () => {
    const err = (() => {
      try {
        unwrap(result(422, undefined, { errors: [{ error: "name is required" }, { error: "code is taken" }] }));
      } catch (e) {
        return e as InvoiceXpressError;
      }
    })();
    expect(err?.messages).toEqual(["name is required", "code is taken"]);
    expect(errorMessages({ name: ["is required"], code: ["is taken", "is too long"] })).toEqual([
      "name is required",
      "code is taken",
      "code is too long",
    ]);
  });
});
