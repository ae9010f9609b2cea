// Hostile inputs against a mock started with startMock, in this very process, as users run it:
// every enum and every format of the bundled description with an invalid value (non-ASCII
// too), unknown keys with such characters, malformed JSON, wrong and unparseable content types,
// huge and deeply nested bodies, odd bracket forms, encoded path tricks, every method on every
// path and bad Prefer values. Each must get an answer (a client-side timeout marks a hang),
// never a 5xx made by the mock, and the next request must still work.
import http from "node:http";
import { deref as derefIn, listOperations, loadSpec } from "@ixpress/openapi";
import { validateRequest } from "@ixpress/openapi/validate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.js";

type Json = Record<string, any>;
const spec = loadSpec() as Json;
const deref = (node: Json | undefined): Json | undefined => derefIn<Json>(spec, node);

/** Hostile text: non-Latin-1, a curly quote, DEL, a NUL, an emoji. */
const HOSTILE = ["Côte d’Ivoire", "pre€o", "ключ\u007f", "\u0000x", "🧾", "１２,５"];

interface Input {
  kind: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The request breaks a rule, so the answer must be a 4xx. */
  invalid: boolean;
}

const operations = listOperations();
const paramsOf = (op: (typeof operations)[number]) =>
  [...(((spec.paths[op.path] as Json).parameters ?? []) as Json[]), ...((op.operation.parameters ?? []) as Json[])].map(
    (p) => deref(p)!,
  );
const sample = (p: Json) =>
  p.example ?? p.schema?.example ?? p.schema?.examples?.[0] ?? p.schema?.enum?.[0] ?? p.schema?.default ?? 1;
function concrete(op: (typeof operations)[number]): string {
  const params = paramsOf(op);
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(String(sample(params.find((p) => p.name === name) ?? {}))),
  );
  const query = new URLSearchParams({ api_key: "fuzz" });
  for (const p of params) if (p.in === "query" && p.required) query.set(p.name, String(sample(p)));
  return `${path}?${query}`;
}
function bodyExample(op: (typeof operations)[number]): unknown {
  const media = deref(op.operation.requestBody as Json)?.content?.["application/json"];
  if (!media) return undefined;
  return media.example ?? deref(Object.values((media.examples ?? {}) as Record<string, Json>)[0])?.value;
}
function bodySchema(op: (typeof operations)[number]): Json | undefined {
  return deref(op.operation.requestBody as Json)?.content?.["application/json"]?.schema;
}

/** Every place in a schema that holds an enum or a format, as a path of keys (arrays as 0). */
function enumAndFormatPlaces(schema: Json | undefined): Array<{ at: Array<string | number>; kind: string }> {
  const out: Array<{ at: Array<string | number>; kind: string }> = [];
  const seen = new Set<string>();
  const walk = (node: Json | undefined, at: Array<string | number>, depth: number) => {
    const s = deref(node);
    if (!s || depth > 12) return;
    if (Array.isArray(s.enum)) out.push({ at, kind: "enum" });
    if (typeof s.format === "string") out.push({ at, kind: `format ${s.format}` });
    for (const [k, v] of Object.entries((s.properties ?? {}) as Json)) {
      const key = `${at.join(".")}.${k}`;
      if (seen.has(key)) continue;
      seen.add(key);
      walk(v as Json, [...at, k], depth + 1);
    }
    if (s.items) walk(s.items as Json, [...at, 0], depth + 1);
    for (const key of ["allOf", "anyOf", "oneOf"]) for (const b of (s[key] ?? []) as Json[]) walk(b, at, depth + 1);
  };
  walk(schema, [], 0);
  return out;
}

function setAt(target: unknown, at: Array<string | number>, value: unknown): unknown {
  const root = (target && typeof target === "object" ? structuredClone(target) : {}) as Json;
  let node: Json = root;
  at.forEach((key, i) => {
    if (i === at.length - 1) {
      node[key] = value;
      return;
    }
    if (node[key] === null || typeof node[key] !== "object") node[key] = typeof at[i + 1] === "number" ? [] : {};
    node = node[key];
  });
  return root;
}

const json = { "content-type": "application/json" };
function inputs(): Input[] {
  const out: Input[] = [];
  for (const op of operations) {
    const method = op.method.toUpperCase();
    const url = concrete(op);
    const params = paramsOf(op);
    // Every enum and format of a query or path parameter, with hostile values.
    for (const p of params) {
      const schema = deref(p.schema) ?? {};
      const inner = deref(schema.items) ?? schema;
      if (p.in !== "query" || !(inner.enum || inner.format || /date/.test(p.name))) continue;
      for (const bad of HOSTILE.slice(0, 3)) {
        const u = new URL(url, "http://x");
        u.searchParams.set(p.name, bad);
        out.push({ kind: `query ${p.name}`, method, path: u.pathname + u.search, invalid: true });
      }
    }
    // Odd bracket forms.
    for (const odd of ["type[", "type]", "type[][]", "date[from][x]", "date[%E2%82%AC]", "%5B%5D", "date[", "[]"]) {
      out.push({ kind: "brackets", method, path: `${url}&${odd}=Cote%E2%80%99`, invalid: false });
    }
    const example = bodyExample(op);
    const schema = bodySchema(op);
    if (schema) {
      const base = example ?? {};
      for (const place of enumAndFormatPlaces(schema)) {
        for (const bad of [HOSTILE[0], HOSTILE[3], 12345]) {
          const body = setAt(base, place.at, bad);
          const invalid = !validateRequest({ method: op.method, path: url, body }).valid;
          out.push({
            kind: `body ${place.kind}`,
            method,
            path: url,
            headers: json,
            body: JSON.stringify(body),
            invalid,
          });
        }
      }
      const rootKey = base && typeof base === "object" ? Object.keys(base)[0] : undefined;
      for (const key of HOSTILE) {
        const body = rootKey ? setAt(base, [rootKey, key], key) : { [key]: key };
        out.push({ kind: "unknown key", method, path: url, headers: json, body: JSON.stringify(body), invalid: false });
        out.push({
          kind: "unknown key, strict",
          method,
          path: url,
          headers: { ...json, "x-ixpress-strict": "1" },
          body: JSON.stringify(body),
          invalid: true,
        });
      }
      for (const broken of ['{"a":', "[1,2", "nul", "\u00ff\u00fe", '{"a":"\\ud800"}x', "{'a':1}"]) {
        out.push({ kind: "malformed JSON", method, path: url, headers: json, body: broken, invalid: true });
      }
      for (const type of ["text/plain", "application/json;;=", "ä/ö", "application/", "multipart/form-data", "/"]) {
        out.push({
          kind: "content type",
          method,
          path: url,
          headers: { "content-type": type },
          body: "{}",
          invalid: true,
        });
      }
      out.push({
        kind: "deep body",
        method,
        path: url,
        headers: json,
        body: `${"[".repeat(50_000)}${"]".repeat(50_000)}`,
        invalid: true,
      });
      out.push({
        kind: "deep object",
        method,
        path: url,
        headers: json,
        body: `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`,
        invalid: true,
      });
    }
    for (const prefer of [
      "code=abc",
      "code=99999",
      "dynamic=maybe",
      "example=",
      "seed=x",
      "code=",
      "code=200, example=\u00e9",
    ]) {
      out.push({
        kind: "Prefer",
        method,
        path: url,
        headers: { prefer, ...(schema ? json : {}) },
        ...(schema ? { body: JSON.stringify(example ?? {}) } : {}),
        invalid: prefer !== "code=200, example=\u00e9",
      });
    }
    // Every method on every path.
    for (const m of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"]) {
      out.push({ kind: "method", method: m, path: url, invalid: false });
    }
  }
  // Huge bodies: just under and just over the limit.
  const create = "/clients.json?api_key=fuzz";
  out.push({
    kind: "huge body",
    method: "POST",
    path: create,
    headers: json,
    body: JSON.stringify({ client: { name: "x".repeat(9_000_000), code: "1" } }),
    invalid: false,
  });
  out.push({
    kind: "huge body",
    method: "POST",
    path: create,
    headers: json,
    body: Buffer.alloc(11 * 1024 * 1024, 32),
    invalid: true,
  });
  // Encoded path tricks.
  for (const path of [
    "/x/../clients.json",
    "/x/%2e%2e/clients.json?type[]=%E2%82%AC",
    "/clients%2Ejson",
    "/clients.json%00",
    "/%E2%82%AC.json",
    "/invoices/%ZZ.json",
    "//",
    "/clients.json/..;/",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/clients.json?%ZZ=1&api_key=fuzz",
    "/clients.json?api_key=fuzz&page=%E2%82%AC",
    "/invoices/1.json%2F..%2F..%2Fclients.json?api_key=fuzz",
    "*",
  ]) {
    // `/x/..` resolves to a real path and an unknown query name is ignored, as by the API.
    out.push({ kind: "path", method: "GET", path, invalid: !path.startsWith("/x/..") && !path.includes("%ZZ=") });
  }
  return out;
}

function send(port: number, input: Input): Promise<{ status: number } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: "127.0.0.1", port, method: input.method, path: input.path, headers: input.headers ?? {} },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
        res.on("error", (e) => resolve({ error: e.message }));
      },
    );
    // A client-side timeout: no answer in time counts as a hang.
    req.setTimeout(15_000, () => req.destroy(new Error("hang")));
    req.on("error", (e) => resolve({ error: e.message }));
    req.end(input.body);
  });
}

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock?.stop());

describe("fuzz: the mock never dies, never hangs, never answers 5xx of its own", () => {
  it("answers every hostile input, and the next request still works", { timeout: 600_000 }, async () => {
    const all = inputs();
    const tally = { inputs: 0, deaths: 0, hangs: 0, fiveXX: 0, wrongStatus: 0 };
    const problems: string[] = [];
    for (const input of all) {
      tally.inputs++;
      const result = await send(mock.port, input);
      const label = `${input.kind}: ${input.method} ${input.path.slice(0, 120)}`;
      if ("error" in result) {
        if (result.error === "hang") tally.hangs++;
        else if (!(input.kind === "huge body" && /EPIPE|ECONNRESET/.test(result.error))) tally.deaths++;
        if (tally.hangs + tally.deaths > 0) problems.push(`${label} -> ${result.error}`);
      } else if (result.status >= 500) {
        tally.fiveXX++;
        problems.push(`${label} -> ${result.status}`);
      } else if (input.invalid && !(result.status >= 400 && result.status < 500)) {
        tally.wrongStatus++;
        problems.push(`${label} -> ${result.status}, expected a 4xx`);
      }
      const next = await send(mock.port, {
        kind: "health",
        method: "GET",
        path: "/clients.json?api_key=fuzz",
        invalid: false,
      });
      if (!("status" in next) || next.status !== 200) {
        tally.deaths++;
        problems.push(`after ${label}: the next request got ${JSON.stringify(next)}`);
      }
    }
    console.log(`fuzz: ${JSON.stringify(tally)}`);
    expect(problems.slice(0, 30)).toEqual([]);
    expect(tally.inputs).toBeGreaterThan(1000);
    expect(mock.failures.map((f) => f.message)).toEqual([]);
  });

  it("hostile sizes: each is answered within 2 s while concurrent requests wait at most 500 ms, with no reset", {
    timeout: 300_000,
  }, async () => {
    const invoice = (edit: (doc: Json) => void = () => {}) => {
      const doc: Json = {
        date: "03/12/2017",
        due_date: "03/12/2017",
        client: { name: "Client", code: "A1" },
        items: [{ name: "Item", unit_price: "1", quantity: "1" }],
      };
      edit(doc);
      return JSON.stringify({ invoice: doc });
    };
    const manyKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`unknown_${i}`, i]));
    const strict = { ...json, "x-ixpress-strict": "1" };
    const post = "/invoices.json?api_key=fuzz";
    const vectors: Array<{
      kind: string;
      path?: string;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
    }> = [
      {
        kind: "backtracking discount, 50,000 characters",
        body: invoice((d) => (d.global_discount = { value_type: "percentage", value: `0.${"1".repeat(50_000)}x` })),
      },
      {
        kind: "backtracking discount, strict",
        headers: strict,
        body: invoice((d) => (d.global_discount = { value_type: "percentage", value: `.${"1".repeat(50_000)}x` })),
      },
      { kind: "strict, a 1 MB unknown key", headers: strict, body: invoice((d) => (d["k".repeat(1_000_000)] = 1)) },
      {
        kind: "strict, a 1 MB key close to a known one",
        headers: strict,
        body: invoice((d) => (d[`due_dat${"e".repeat(1_000_000)}`] = 1)),
      },
      {
        kind: "strict, 20,000 unknown keys",
        headers: strict,
        body: invoice((d) => Object.assign(d, manyKeys(20_000))),
      },
      {
        kind: "strict, 20,000 unknown keys in 1 item",
        headers: strict,
        body: invoice((d) => Object.assign(d.items[0], manyKeys(20_000))),
      },
      {
        kind: "20,000 invalid items",
        body: invoice(
          (d) => (d.items = Array.from({ length: 20_000 }, () => ({ name: 1, unit_price: "x", quantity: -1 }))),
        ),
      },
      {
        kind: "strict, 20,000 items with string numbers and a typo",
        headers: strict,
        body: invoice(
          (d) =>
            (d.items = Array.from({ length: 20_000 }, () => ({
              name: "I",
              unit_price: "1",
              quantity: "2",
              quantit: 1,
            }))),
        ),
      },
      {
        kind: "5 MB dates and NIF",
        body: invoice((d) => {
          d.date = "1".repeat(2_500_000);
          d.client.fiscal_id = "9".repeat(2_500_000);
        }),
      },
      {
        kind: "strict, 1,000 unknown query parameters",
        method: "GET",
        headers: { "x-ixpress-strict": "1" },
        path: `/clients.json?api_key=fuzz&${Array.from({ length: 1_000 }, (_, i) => `p${i}=1`).join("&")}`,
      },
      { kind: "an 8 KB path segment", method: "GET", path: `/clients/${"x".repeat(8_000)}.json?api_key=fuzz` },
      {
        kind: "a 100,000-element list where an object goes",
        body: JSON.stringify({ invoice: Array.from({ length: 100_000 }, (_, i) => i) }),
      },
    ];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    // The mock runs in this process, so what holds a request back is the CPU time this process
    // spends meanwhile: measured as such, the bounds hold on a loaded machine as on a quiet one,
    // where the two are the same. The wall-clock wait is bounded too (a hang spends no CPU).
    const cpuMsSince = (start: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    };
    const probe = () =>
      new Promise<{ ms: number; cpuMs: number; status?: number; error?: string }>((resolve) => {
        const t = performance.now();
        const cpu = process.cpuUsage();
        const done = (r: { status?: number; error?: string }) =>
          resolve({ ms: performance.now() - t, cpuMs: cpuMsSince(cpu), ...r });
        const req = http.request(
          { host: "127.0.0.1", port: mock.port, path: "/clients.json?api_key=fuzz", agent },
          (res) => {
            res.resume();
            res.on("end", () => done({ status: res.statusCode ?? 0 }));
          },
        );
        req.on("error", (e) => done({ error: e.message }));
        req.end();
      });
    const problems: string[] = [];
    for (const v of vectors) {
      // Two probes always in flight on kept-alive connections while the hostile request is answered.
      let running = true;
      const waits: number[] = [];
      const cpuWaits: number[] = [];
      const probing = [0, 1].map(async () => {
        while (running) {
          const r = await probe();
          waits.push(r.ms);
          cpuWaits.push(r.cpuMs);
          if (r.error || r.status !== 200) problems.push(`${v.kind}: a concurrent request got ${r.error ?? r.status}`);
        }
      });
      await new Promise((r) => setTimeout(r, 20));
      const t = performance.now();
      const cpu = process.cpuUsage();
      const result = await send(mock.port, {
        kind: v.kind,
        method: v.method ?? "POST",
        path: v.path ?? post,
        headers: v.headers ?? json,
        ...(v.body !== undefined ? { body: v.body } : {}),
        invalid: true,
      });
      const took = performance.now() - t;
      const tookCpu = cpuMsSince(cpu);
      running = false;
      await Promise.all(probing);
      const worst = Math.max(...waits);
      const worstCpu = Math.max(...cpuWaits);
      const status = "status" in result ? result.status : result.error;
      console.log(
        `hostile size: ${v.kind}: ${status} in ${Math.round(took)} ms (${Math.round(tookCpu)} ms of CPU); concurrent requests waited ${Math.round(worst)} ms at most (${Math.round(worstCpu)} ms of CPU; ${waits.length})`,
      );
      if (!("status" in result) || result.status < 400 || result.status >= 500)
        problems.push(`${v.kind}: answered ${status}, expected a 4xx`);
      if (tookCpu > 2_000) problems.push(`${v.kind}: answered after ${Math.round(tookCpu)} ms of CPU (more than 2 s)`);
      if (worstCpu > 500)
        problems.push(`${v.kind}: a concurrent request waited ${Math.round(worstCpu)} ms of CPU (more than 500 ms)`);
      if (took > 20_000 || worst > 10_000)
        problems.push(`${v.kind}: ${Math.round(took)} ms to answer, ${Math.round(worst)} ms of waiting (a hang)`);
    }
    agent.destroy();
    expect(problems).toEqual([]);
    expect(mock.failures.map((f) => f.message)).toEqual([]);
  });
});
