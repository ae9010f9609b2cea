// Every named request example of the spec, sent to the sandbox: each gets an answer that is not
// a 5xx and validates against the operation's response schema. Then the same again, with the
// path ids pointing at documents, clients, items, taxes and series that exist, so the examples
// reach the sandbox's rules and not only its 404s.
import { listOperations, loadSpec } from "@ixpress/openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.js";
import { type Checked, checked, raw } from "./sandbox-helpers.js";

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

const operations = listOperations();
const sample = (p: Json) =>
  p.example ?? p.schema?.example ?? p.schema?.examples?.[0] ?? p.schema?.enum?.[0] ?? p.schema?.default ?? 1;

interface Sent {
  op: string;
  method: string;
  template: string;
  query: string;
  body: unknown;
}

const requests: Sent[] = [];
for (const op of operations) {
  const pathItem = spec.paths[op.path] as Json;
  const params = [...((pathItem.parameters ?? []) as Json[]), ...((op.operation.parameters ?? []) as Json[])].map(
    (p) => deref(p)!,
  );
  const query = new URLSearchParams();
  for (const p of params) if (p.in === "query" && p.required) query.set(p.name, String(sample(p)));
  const media = deref(op.operation.requestBody as Json)?.content?.["application/json"];
  const examples = media
    ? Object.values((media.examples ?? {}) as Record<string, Json>).map((e) => deref(e)?.value)
    : [];
  for (const body of examples.length > 0 ? examples : [undefined]) {
    requests.push({
      op: op.operationId,
      method: op.method.toUpperCase(),
      template: op.path,
      query: query.toString(),
      body,
    });
  }
}

let mock: RunningMock;
let check: Checked;
beforeAll(async () => {
  mock = await startMock({ stateful: true, polls: 0 });
  check = checked();
});
afterAll(() => mock?.stop());

async function sendAll(ids: (name: string) => string): Promise<string[]> {
  const problems: string[] = [];
  for (const r of requests) {
    const concrete = r.template.replace(/\{([^}]+)\}/g, (_, name: string) => ids(name));
    const res = await raw(mock, check, r.method, `${concrete}${r.query ? `?${r.query}` : ""}`, r.body);
    if (res.status >= 500) problems.push(`${r.op}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return problems;
}

describe("the spec's request examples through the sandbox", () => {
  it("answer on a new account without a 5xx, every answer valid", async () => {
    expect(requests.length).toBeGreaterThan(100);
    expect(await sendAll(() => "999999")).toEqual([]);
    expect(check.invalid).toEqual([]);
    expect(mock.failures).toEqual([]);
  });

  it("answer with ids that exist without a 5xx, every answer valid", async () => {
    // The examples above created clients, items, taxes, series and documents; point at them.
    const state = mock.sandbox!.dump();
    const last = <T extends { id: number }>(list: T[]) => String(list.at(-1)?.id ?? 1);
    const ids = (name: string) =>
      ({
        "document-id": last(state.documents.filter((d) => d.type === "Invoice")),
        "receipt-id": last(state.documents.filter((d) => d.type === "Receipt")),
        "client-id": last(state.clients),
        "item-id": last(state.items),
        "tax-id": last(state.taxes),
        "sequence-id": last(state.sequences),
      })[name] ?? "1";
    expect(state.documents.length).toBeGreaterThan(10);
    expect(await sendAll(ids)).toEqual([]);
    expect(check.invalid).toEqual([]);
    expect(mock.failures).toEqual([]);
    // The sandbox itself answered most of them.
    expect(check.sources.get("stateful")!).toBeGreaterThan(check.sources.get("stateless-fallback") ?? 0);
  });
});
