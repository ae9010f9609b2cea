// The rules of the mock's own front: who may talk to it, how paths, methods, content types,
// numbers and Prefer values are read, and strict mode.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.js";

let mock: RunningMock;
let strictMock: RunningMock;
beforeAll(async () => {
  [mock, strictMock] = await Promise.all([startMock(), startMock({ strict: true })]);
});
afterAll(async () => {
  await Promise.all([mock?.stop(), strictMock?.stop()]);
});

/** A raw request, so that Host and odd paths reach the mock exactly as written. */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: mock.port, path, method: options.method ?? "GET", headers: options.headers ?? {} },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${path}`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

const errorText = (body: string) => JSON.stringify(JSON.parse(body));

describe("who may talk to the mock", () => {
  it("serves loopback Host names and refuses others (DNS rebinding)", async () => {
    for (const host of ["127.0.0.1", `127.0.0.1:${1}`, "localhost:4010", "[::1]:4010"]) {
      expect((await raw("/clients.json?api_key=k", { headers: { host } })).status, host).toBe(200);
    }
    const foreign = await raw("/clients.json?api_key=k", { headers: { host: "attacker.example" } });
    expect(foreign.status).toBe(403);
    expect(errorText(foreign.body)).toContain("loopback names only");
  });

  it("answers CORS for pages of this machine only, never echoing a foreign Origin", async () => {
    const local = await raw("/clients.json?api_key=k", { headers: { origin: "http://localhost:3000" } });
    expect(local.status).toBe(200);
    expect(local.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
    const preflight = await raw("/clients.json", {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1:8080", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-methods"]).toContain("POST");
    const foreign = await raw("/clients.json?api_key=k", { headers: { origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();
    expect(foreign.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  it("promises no longer a keep-alive than it keeps", async () => {
    const res = await raw("/clients.json?api_key=k");
    expect(res.headers["keep-alive"]).toBe("timeout=5");
  });
});

describe("how requests are read", () => {
  it("answers HEAD like GET, without a body", async () => {
    const res = await raw("/clients.json?api_key=k", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    expect(Number(res.headers["content-length"])).toBeGreaterThan(0);
  });

  it("resolves dot segments, %2e%2e and double slashes before any check", async () => {
    const bad = "type[]=Bogus";
    for (const path of [
      "/x/../invoices.json",
      "/x/%2e%2e/invoices.json",
      "//invoices.json",
      "/x/%2E%2E//invoices.json",
    ]) {
      const res = await raw(`${path}?api_key=k&${bad}`);
      expect(res.status, path).toBe(422);
      expect(errorText(res.body), path).toContain("type[][0]: must be one of");
    }
  });

  it("refuses numbers that are not plain integers: 1e309, 0x10, 1.5, a full-width digit", async () => {
    for (const value of ["1e309", "0x10", "1.5", "１"]) {
      const res = await raw(`/invoices.json?api_key=k&per_page=${encodeURIComponent(value)}`);
      expect(res.status, value).toBe(422);
      expect(errorText(res.body), value).toContain("per_page: must be a whole number");
    }
    expect((await raw("/invoices.json?api_key=k&per_page=10")).status).toBe(200);
  });

  it("gives 400 for an unparseable Content-Type or JSON, 415 for another media type", async () => {
    const post = (type: string, body: string) =>
      raw("/clients.json?api_key=k", { method: "POST", headers: { "content-type": type }, body });
    const valid = JSON.stringify({ client: { name: "A", code: "1" } });
    expect((await post("application/json", valid)).status).toBe(201);
    expect((await post("application/json; charset=utf-8", valid)).status).toBe(201);
    expect((await post("application/json;;=", valid)).status).toBe(400);
    expect((await post("json", valid)).status).toBe(400);
    expect((await post("text/plain", valid)).status).toBe(415);
    const broken = await post("application/json", '{"client": {');
    expect(broken.status).toBe(400);
    expect(errorText(broken.body)).toContain("not valid JSON");
  });

  it("names an unknown path, and the methods of a known one", async () => {
    const none = await raw("/clients?api_key=k");
    expect(none.status).toBe(404);
    expect(errorText(none.body)).toContain("did you mean /clients.json?");
    const wrong = await raw("/clients.json?api_key=k", { method: "PATCH" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toContain("GET");
  });

  it("refuses bad Prefer values with 400 and ignores preferences it does not know", async () => {
    for (const prefer of ["code=abc", "code=99999", "dynamic=maybe", "example=", "seed=x"]) {
      expect((await raw("/clients.json?api_key=k", { headers: { prefer } })).status, prefer).toBe(400);
    }
    expect((await raw("/clients.json?api_key=k", { headers: { prefer: "return=minimal" } })).status).toBe(200);
  });
});

describe("generated bodies", () => {
  it("Prefer: dynamic=true generates a body even on a mock started for examples (faker loaded on first use)", async () => {
    const res = await fetch(`${mock.url}/clients.json?api_key=k`, { headers: { prefer: "dynamic=true" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { clients: unknown[] };
    expect(Array.isArray(body.clients)).toBe(true);
  });
});

describe("strict mode", () => {
  const client = { client: { name: "A", code: "1", emial: "a@b.pt" } };
  const post = (m: RunningMock, headers: Record<string, string> = {}) =>
    fetch(`${m.url}/clients.json?api_key=k`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(client),
    });

  it("is off by default: unknown keys the schema leaves open are accepted and ignored, as by the API", async () => {
    const res = await fetch(`${mock.url}/invoices.json?api_key=k&pre%C3%A7o=1`);
    expect(res.status).toBe(200);
  });

  it("refuses unknown keys with a did-you-mean, by option and by header", async () => {
    for (const res of [await post(strictMock), await post(mock, { "x-ixpress-strict": "1" })]) {
      expect(res.status).toBe(422);
      expect(JSON.stringify(await res.json())).toContain(
        'client.emial: is not a field the API knows; the server ignores it (did you mean \\"email\\"?)',
      );
    }
    const query = await fetch(`${strictMock.url}/invoices.json?api_key=k&per_pag=5`);
    expect((await fetch(`${mock.url}/invoices.json?api_key=k&per_pag=5`)).status).toBe(200);
    expect(query.status).toBe(422);
    expect(JSON.stringify(await query.json())).toContain(
      'per_pag: is not a parameter the API knows (did you mean \\"per_page\\"?)',
    );
  });

  it("reads query flags and blank values as the server does, and refuses their non-canonical forms in strict mode", async () => {
    const cases: Array<[string, string | undefined]> = [
      ["archived=1", "archived: is a flag written 1 or 0; the documented form is true or false"],
      ["non_archived=0", "non_archived: is a flag written 1 or 0; the documented form is true or false"],
      ["archived=true&non_archived=false", undefined],
      ["page=&per_page=", "page: is blank; the server treats it as absent (leave it out)"],
    ];
    for (const [query, strictMessage] of cases) {
      const lenient = await fetch(`${mock.url}/invoices.json?api_key=k&${query}`);
      expect(lenient.status, query).toBe(200);
      const strict = await fetch(`${strictMock.url}/invoices.json?api_key=k&${query}`);
      expect(strict.status, query).toBe(strictMessage ? 422 : 200);
      if (strictMessage) expect(JSON.stringify(await strict.json()), query).toContain(strictMessage);
    }
    const pdf = await fetch(`${mock.url}/api/pdf/1.json?api_key=k&second_copy=1`);
    expect(pdf.status).toBe(200);
    // Not a flag in any form: refused, naming the forms it takes.
    const yes = await fetch(`${mock.url}/invoices.json?api_key=k&archived=yes`);
    expect(yes.status).toBe(422);
    expect(JSON.stringify(await yes.json())).toContain('archived: must be one of: true, false, 1, 0, got \\"yes\\"');
  });
});
