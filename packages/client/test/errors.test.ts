import { describe, expect, it } from "vitest";
import { errorMessages, InvoiceXpressError, kindOfStatus, unwrap } from "../src/index.js";

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
    expect(String(err)).toBe("InvoiceXpressError: 409: Serie already exists");
    expect(err!.stack).toMatch(/^InvoiceXpressError: 409/);
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({
      name: "InvoiceXpressError",
      kind: "conflict",
      status: 409,
      messages: ["Serie already exists"],
    });
  });
});
