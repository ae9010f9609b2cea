// The wild corpus (packages/openapi/test/wild: traffic of public InvoiceXpress clients) sent
// through the mock, as a user's contract test would: every firm request the description
// accepts is answered (no refusal), and every recorded refusal is refused with a 4xx.
// Response cases are checked against the description by packages/openapi/test/wild.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWildCorpus } from "../../openapi/test/wild/corpus.js";
import { type RunningMock, startMock } from "../src/index.js";

const requests = loadWildCorpus().filter((c) => c.direction === "request" && !c.disputed);
let mock: RunningMock;

// Starting the mock is the only slow step; the timeout leaves room for a busy machine.
beforeAll(async () => {
  mock = await startMock();
}, 120_000);
afterAll(async () => {
  await mock?.stop();
});

function url(path: string, query: Record<string, unknown> | undefined): string {
  const u = new URL(path, mock.url);
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const v of [value].flat()) u.searchParams.append(key, String(v));
  }
  u.searchParams.set("api_key", "wild-corpus");
  return u.toString();
}

describe("the wild corpus through the mock", () => {
  it("has the requests of the corpus", () => {
    expect(requests.length).toBeGreaterThanOrEqual(50);
  });

  for (const c of requests) {
    it(`${c.id}: ${c.method.toUpperCase()} ${c.path} is ${c.expect === "accept" ? "answered" : "refused"} (${c.source.repo})`, async () => {
      const res = await fetch(url(c.path, c.query), {
        method: c.method.toUpperCase(),
        headers: c.body === undefined ? {} : { "content-type": "application/json" },
        body: c.body === undefined ? undefined : JSON.stringify(c.body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      if (c.expect === "accept") expect(res.status, text).toBeLessThan(400);
      else {
        expect(res.status, text).toBeGreaterThanOrEqual(400);
        expect(res.status, text).toBeLessThan(500);
      }
    });
  }
});
