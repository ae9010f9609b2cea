// Promise: the API key is in nothing the server writes: not on stdout (every protocol message:
// results, tool errors, prompts, resources), not on stderr (start-up lines, start-up errors,
// internal failures). A hostile server echoes the key back in every way it can, an agent even
// pastes it into an argument, and the keys have every class of character of the client's own
// leak suite (the same shapes, marker and forms searched: packages/client/test/adversarial/key-shapes.ts).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forms, html, KEY_SHAPES, MARKER, railsJson } from "../../client/test/adversarial/key-shapes.js";
import { connect, runToExit, textOf } from "./harness.js";

const KEYS: Record<string, string> = {
  ...KEY_SHAPES,
  // Ours: longer than the 60 characters the validators quote of a bad value.
  "long, cut short in a quote": `${MARKER}${"0123456789".repeat(10)}`,
};

/** A server that echoes the key it receives: in data, in error bodies, in headers, or hangs up. */
function hostile(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://x");
  const key = url.searchParams.get("api_key") ?? "";
  const json = (status: number, body: unknown, encode = JSON.stringify) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-echo": encodeURIComponent(key) });
    res.end(encode(body));
  };
  const route = `${req.method} ${url.pathname}`;
  if (route === "GET /clients.json")
    json(200, { clients: [{ id: 1, name: key, email: `${encodeURIComponent(key)}@x.pt` }], api_key: key });
  else if (route === "GET /taxes.json") json(200, { taxes: [{ id: 1, name: key, value: 23 }] });
  else if (route === "GET /clients/1.json") json(401, { errors: [{ error: `bad key ${key} in ${req.url}` }] });
  else if (route === "PUT /invoices/5/change-state.json")
    json(422, { errors: { error: `Invalid state for ${key}` } }, railsJson);
  else if (route === "PUT /clients/2.json") {
    res.writeHead(500, { "content-type": "text/html" });
    res.end(`<h1>Error</h1><p>${html(req.url ?? "")}</p><pre>${key}</pre>`);
  } else if (route === "GET /clients/3.json") {
    res.writeHead(302, { location: `http://127.0.0.2:9/steal?api_key=${encodeURIComponent(key)}` });
    res.end();
  } else if (route === "POST /clients.json")
    req.socket.destroy(); // no response at all
  else json(404, { errors: [{ error: `no route ${route} for ${key}` }] });
}

let server: http.Server;
let baseUrl: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => hostile(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const expectNoKey = (key: string, where: string, text: string) => {
  for (const form of forms(key)) expect(text.includes(form), `${where} holds ${JSON.stringify(form)}`).toBe(false);
};

describe("the key is absent from everything ixpress-mcp writes", () => {
  for (const [shape, key] of Object.entries(KEYS)) {
    it(`key shape: ${shape}`, async () => {
      const session = await connect({ IXPRESS_BASE_URL: baseUrl, IXPRESS_API_KEY: key, IXPRESS_RETRY_ATTEMPTS: "1" });
      const results: unknown[] = [];
      try {
        const call = async (name: string, args: Record<string, unknown>, error: boolean) => {
          const result = await session.client.callTool({ name, arguments: args });
          expect(Boolean(result.isError), `${name}: ${textOf(result)}`).toBe(error);
          results.push(result);
          return result;
        };
        const listed = await call("listClients", {}, false); // the key echoed in data
        expect(JSON.stringify(listed.structuredContent)).toContain("[REDACTED]");
        await call("getClient", { path: { "client-id": 1 } }, true); // 401 echoing key and URL
        await call("updateClient", { path: { "client-id": 2 }, body: { client: { name: "A", code: "A" } } }, true); // 500 HTML
        await call("getClient", { path: { "client-id": 3 } }, true); // a redirect carrying the key elsewhere
        await call("createClient", { body: { client: { name: "A", code: "A" } } }, true); // no response
        await call(
          "changeInvoiceState",
          { path: { "document-id": 5 }, body: { invoice: { state: "finalized" } } },
          true,
        );
        // The agent pastes the key where a date goes: the validators quote the value.
        const pasted = await call(
          "createInvoice",
          {
            body: {
              invoice: {
                date: key,
                due_date: "31/12/2026",
                client: { name: "A" },
                items: [{ name: "X", unit_price: 1, quantity: 1 }],
              },
            },
          },
          true,
        );
        expect(textOf(pasted)).toContain("body.invoice.date: must be a date written dd/mm/yyyy");
        results.push(await session.client.readResource({ uri: "ixpress://taxes" }));
        results.push(
          await session.client.getPrompt({ name: "credit-invoice", arguments: { invoice_id: "1", reason: key } }),
        );
      } finally {
        await session.close();
      }
      expect(results).toHaveLength(9);
      for (const r of results) expectNoKey(key, `result ${JSON.stringify(r).slice(0, 400)}`, JSON.stringify(r));
      expect(session.stdout.length).toBeGreaterThan(9);
      expectNoKey(key, "stdout", session.stdout.join("\n"));
      expect(session.stderr()).toContain("calls go to");
      expectNoKey(key, "stderr", session.stderr());
    });
  }

  it("start-up errors never repeat the key, even one written into IXPRESS_BASE_URL", async () => {
    for (const key of Object.values(KEYS)) {
      const inUrl = await runToExit({
        IXPRESS_BASE_URL: `${baseUrl}/?api_key=${encodeURIComponent(key)}`,
        IXPRESS_API_KEY: key,
      });
      expect(inUrl.code).toBe(2);
      expect(inUrl.stderr).toContain("IXPRESS_BASE_URL: baseUrl must be an http(s) URL without query string");
      const contradictory = await runToExit({ IXPRESS_SANDBOX: "1", IXPRESS_ACCOUNT: "acme", IXPRESS_API_KEY: key });
      expect(contradictory.stderr).toContain("IXPRESS_SANDBOX=1 and IXPRESS_ACCOUNT contradict each other");
      for (const run of [inUrl, contradictory]) {
        expect(run.stdout).toBe("");
        expectNoKey(key, "stderr", run.stderr);
      }
    }
  });
});
