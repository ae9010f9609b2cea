import { describe, expect, it } from "vitest";
import { createClient, InvoiceXpressError } from "../src/index.js";

const KEY = "k3y-0paque";

// What a browser's fetch answers to `redirect: "manual"`: an opaque redirect, status 0, no headers, no body, its URL
// the request's (Node's fetch gives the 3xx itself, so this stands in for it).
const opaque = (url: string) =>
  ({
    type: "opaqueredirect",
    status: 0,
    ok: false,
    statusText: "",
    headers: new Headers(),
    body: null,
    url,
  }) as unknown as Response;

describe("a browser's opaque redirect", () => {
  for (const redirect of [undefined, "manual"] as const) {
    it(`is a redirect error, sent once, with redirect ${redirect ?? "left to openapi-fetch"}`, async () => {
      const sent: string[] = [];
      const ix = createClient({
        baseUrl: "https://acme.test",
        apiKey: KEY,
        fetch: async (input) => {
          sent.push(String(input));
          return opaque(String(input));
        },
      });
      const error = await ix.GET("/clients.json", redirect ? { redirect } : {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvoiceXpressError);
      expect((error as InvoiceXpressError).kind).toBe("redirect");
      expect((error as InvoiceXpressError).message).toContain("Location: hidden by the runtime");
      expect(JSON.stringify(error)).not.toContain(KEY);
      expect(sent).toHaveLength(1);
    });
  }
});
