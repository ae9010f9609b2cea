import { describe, expect, it } from "vitest";
import {
  CLOSEST_MAX_KEY,
  closest,
  deref,
  documentedErrorShape,
  errorBody,
  listOperations,
  loadSpec,
  operationParameters,
  parseApiDate,
  preview,
  Refusal,
  resolvePointer,
  sensitiveFields,
} from "../src/index.js";
import { cpuMs } from "./cpu.js";

const spec = loadSpec();

describe("closest", () => {
  it("finds slips: a swap, a missing letter, case, dashes", () => {
    expect(closest("nmae", ["name", "email"])).toBe("name");
    expect(closest("emial", ["name", "email"])).toBe("email");
    expect(closest("Due-Date", ["due_date", "date"])).toBe("due_date");
    expect(closest("unit_prce", ["unit_price", "quantity"])).toBe("unit_price");
  });
  it("says nothing when no key is close", () => {
    expect(closest("zzzz", ["name", "email"])).toBeUndefined();
    expect(closest("", ["name"])).toBeUndefined();
  });
  it("skips keys longer than the cap and stays fast on hostile sizes", () => {
    const long = "n".repeat(CLOSEST_MAX_KEY + 1);
    expect(closest(long, [long.slice(1)])).toBeUndefined();
    const candidates = Array.from({ length: 2000 }, (_, i) => `field_${i}_${"x".repeat(i % 60)}`);
    const ms = cpuMs(() => {
      for (let i = 0; i < 200; i++) closest(`fieId_${i}_${"x".repeat(i % 60)}`, candidates);
    });
    expect(ms).toBeLessThan(2_000);
    expect(closest("fieId_7_xxxxxxx", candidates)).toBe("field_7_xxxxxxx");
  });
});

describe("spec lookups", () => {
  it("resolves pointers and $ref chains, and refuses what does not resolve", () => {
    expect(resolvePointer(spec, "#/openapi")).toBe(spec.openapi);
    expect(resolvePointer(spec, "#/paths/~1clients.json/get/operationId")).toBe("listClients");
    expect(resolvePointer(spec, "#/nope/deeper")).toBeUndefined();
    const doc = { a: { $ref: "#/b" }, b: { $ref: "#/c" }, c: { ok: 1 }, loop: { $ref: "#/loop" } };
    expect(deref(doc, doc.a)).toEqual({ ok: 1 });
    expect(deref(doc, doc.loop)).toBeUndefined();
    expect(() => deref(doc, doc.loop, { strict: true })).toThrow(/loops/);
    expect(() => deref(doc, { $ref: "other.yaml#/x" }, { strict: true })).toThrow(/not a local/);
    expect(deref(doc, { $ref: "#/missing" })).toBeUndefined();
  });
  it("lists operations and their parameters, resolved", () => {
    const ops = listOperations(spec);
    expect(ops.length).toBeGreaterThan(100);
    const get = ops.find((o) => o.operationId === "getClient")!;
    const params = operationParameters(spec, get.path, get.method);
    expect(params.map((p) => `${p.in}.${p.name}`)).toContain("path.client-id");
    for (const p of params) expect(resolvePointer(spec, p.schemaPointer)).toEqual(p.schema);
  });
  it("names the sensitive fields, the API key among them", () => {
    expect(sensitiveFields(spec)).toEqual(expect.arrayContaining(["api_key", "password", "at_password"]));
  });
});

describe("dates and previews", () => {
  it("reads the API's dates", () => {
    expect(parseApiDate("3/12/2017")).toMatchObject({
      day: 3,
      month: 12,
      year: 2017,
      short: true,
      canonical: "03/12/2017",
    });
    expect(parseApiDate("03/12/2017")?.dayNumber).toBe(20171203);
    expect(parseApiDate("2017-12-03")).toBeUndefined();
    expect(parseApiDate(`1/1/2017${"0".repeat(100_000)}`)).toBeUndefined();
  });
  it("previews a large value without serialising it all", () => {
    const big = { a: "x".repeat(1_000_000), b: Array.from({ length: 100_000 }, (_, i) => i) };
    let text = "";
    expect(cpuMs(() => (text = preview(big)))).toBeLessThan(50);
    expect(text.length).toBe(61);
    expect(text.endsWith("…")).toBe(true);
    expect(preview({ a: [1, "b", null] })).toBe(JSON.stringify({ a: [1, "b", null] }));
  });
});

describe("error bodies", () => {
  it("writes every shape", () => {
    expect(errorBody(["a", "b"])).toEqual({ errors: { error: "a; b" } });
    expect(errorBody(["a", "b"], "errors-list")).toEqual({ errors: ["a", "b"] });
    expect(errorBody(["a"], "errors-objects")).toEqual({ errors: [{ error: "a" }] });
    expect(errorBody(["amount", "is invalid"], "list")).toEqual(["amount", "is invalid"]);
    expect(errorBody("x", { code: "005" })).toEqual({ errors: { code: "005", message: "x" } });
    expect(errorBody("x", { key: "reason" })).toEqual({ reason: "x" });
    expect(errorBody(["is not available."], { field: "name" })).toEqual({ name: ["is not available."] });
  });
  it("takes the shape an operation documents", () => {
    const op = (id: string) => listOperations(spec).find((o) => o.operationId === id)!.operation;
    expect(documentedErrorShape(spec, op("updateClient"), 422)).toBe("errors-list");
    expect(documentedErrorShape(spec, op("createInvoice"), 422)).toBe("errors");
    const refusal = new Refusal(422, ["name: is required"], { operation: op("updateClient") });
    expect(refusal.body(spec)).toEqual({ errors: ["name: is required"] });
    expect(new Refusal(400, "bad").body()).toEqual({ errors: { error: "bad" } });
    expect(new Refusal(404, "Item not found", { shape: "errors-objects" }).body()).toEqual({
      errors: [{ error: "Item not found" }],
    });
  });
});
