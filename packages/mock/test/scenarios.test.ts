// The Prefer scenarios the README documents, checked for every operation of the bundled
// description: each documented status can be asked for with `Prefer: code=N`, each named
// response example with `Prefer: code=N, example=<name>`, and what comes back matches the spec.
import { listOperations, loadSpec } from "@ixpress/openapi";
import { validateResponse } from "@ixpress/openapi/validate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.js";

type Json = Record<string, any>;
const spec = loadSpec() as Json;
const deref = (node: Json | undefined): Json | undefined => {
  let out = node;
  while (out && typeof out.$ref === "string") {
    out = out.$ref
      .slice(2)
      .split("/")
      .reduce((n: Json, t: string) => n[t.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
  }
  return out;
};

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock?.stop());

/** A request the mock accepts for an operation: path parameters and the first named body example. */
function validRequest(op: ReturnType<typeof listOperations>[number]) {
  const pathItem = spec.paths[op.path] as Json;
  const params = [...((pathItem.parameters ?? []) as Json[]), ...((op.operation.parameters ?? []) as Json[])].map(
    (p) => deref(p)!,
  );
  const sample = (p: Json) =>
    p.example ?? p.schema?.example ?? p.schema?.examples?.[0] ?? p.schema?.enum?.[0] ?? p.schema?.default ?? 1;
  const concrete = op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    String(sample(params.find((p) => p.name === name) ?? {})),
  );
  const query = new URLSearchParams({ api_key: "test" });
  for (const p of params) if (p.in === "query" && p.required) query.set(p.name, String(sample(p)));
  const body = deref(op.operation.requestBody as Json)?.content?.["application/json"];
  const example = body ? deref(Object.values((body.examples ?? {}) as Record<string, Json>)[0])?.value : undefined;
  return { concrete, url: `${concrete}?${query}`, body: example };
}

async function call(op: ReturnType<typeof listOperations>[number], prefer?: string) {
  const { concrete, url, body } = validRequest(op);
  const headers: Record<string, string> = prefer ? { Prefer: prefer } : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${mock.url}${url}`, {
    method: op.method.toUpperCase(),
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  // Only JSON is compared; a PDF or other binary answer counts as "no JSON body".
  const json = /json/.test(res.headers.get("content-type") ?? "") && text !== "";
  return { res, concrete, body: json ? (JSON.parse(text) as unknown) : undefined };
}

const scenarios = listOperations().flatMap((op) =>
  Object.entries(op.operation.responses as Json)
    .filter(([code]) => /^\d{3}$/.test(code))
    .map(([code, response]) => ({
      op,
      code: Number(code),
      examples: Object.entries(
        (deref(response as Json)?.content?.["application/json"]?.examples ?? {}) as Record<string, Json>,
      ),
    })),
);

// Each scenario is one request to the same mock: run them a few at a time.
describe.concurrent("Prefer: code=N answers each documented status, with a body that matches the spec", () => {
  it("has 404 and 422 scenarios to check", () => {
    expect(scenarios.filter((s) => s.code === 404).length).toBeGreaterThan(0);
    expect(scenarios.filter((s) => s.code === 422).length).toBeGreaterThan(0);
  });

  for (const s of scenarios) {
    it(`${s.op.operationId}: code=${s.code}`, async ({ expect }) => {
      const { res, concrete, body } = await call(s.op, `code=${s.code}`);
      expect(res.status, res.headers.get("sl-violations") ?? "").toBe(s.code);
      expect(validateResponse({ method: s.op.method, path: concrete, status: res.status, body }).errors).toEqual([]);
    });
  }
});

describe.concurrent("Prefer: example=<name> serves that named example", () => {
  for (const s of scenarios) {
    for (const [name, example] of s.examples) {
      it(`${s.op.operationId}: code=${s.code}, example=${name}`, async ({ expect }) => {
        const { res, body } = await call(s.op, `code=${s.code}, example=${name}`);
        expect(res.status).toBe(s.code);
        expect(body).toEqual(deref(example)!.value);
      });
    }
  }
});

describe("the scenarios the README shows", () => {
  it("example=emptyList gives an empty client list that still validates", async () => {
    const res = await fetch(`${mock.url}/clients.json?api_key=test`, { headers: { Prefer: "example=emptyList" } });
    const body = (await res.json()) as Json;
    expect(res.status).toBe(200);
    expect(body.clients).toEqual([]);
    expect(body.pagination.total_entries).toBe(0);
    expect(validateResponse({ method: "GET", path: "/clients.json", status: 200, body }).valid).toBe(true);
  });

  it("code=422 on a valid request gives the first documented error shape; example= picks another", async () => {
    const create = { client: { name: "Client Name", code: "12345" } };
    const ask = (prefer: string) =>
      fetch(`${mock.url}/clients.json?api_key=test`, {
        method: "POST",
        headers: { Prefer: prefer, "content-type": "application/json" },
        body: JSON.stringify(create),
      });
    const plain = await ask("code=422");
    expect(plain.status).toBe(422);
    expect(await plain.json()).toEqual({ errors: { error: "Elemento client não fornecido" } });
    const shaped = await ask("code=422, example=fieldErrors");
    expect(await shaped.json()).toEqual({ name: ["is not available."] });
  });

  it("an invalid request gets 422 by itself, with the reasons in the body and in sl-violations", async () => {
    const res = await fetch(`${mock.url}/clients.json?api_key=test`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client: { nme: "x" } }),
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("sl-violations")).toMatch(/must have the property \\"name\\"/);
    const body = (await res.json()) as Json;
    expect(JSON.stringify(body)).toContain("client.name: is required");
    expect(validateResponse({ method: "POST", path: "/clients.json", status: 422, body }).errors).toEqual([]);
  });

  it("a status the operation does not document is Prism's own 404, saying so", async () => {
    const res = await fetch(`${mock.url}/clients.json?api_key=test`, { headers: { Prefer: "code=202" } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as Json).detail).toBe("Requested status code 202 is not defined in the document.");
  });
});
