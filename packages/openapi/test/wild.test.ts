import { describe, expect, it } from "vitest";
import { type ValidationResult, validateRequest, validateResponse } from "../src/validate.js";
import { loadWildCorpus, type WildCase } from "./wild/corpus.js";

const corpus = loadWildCorpus();
const firm = corpus.filter((c) => !c.disputed);
const disputed = corpus.filter((c) => c.disputed);

function run(c: WildCase): ValidationResult {
  if (c.direction === "request")
    return validateRequest({ method: c.method, path: c.path, query: c.query, body: c.body });
  return validateResponse({ method: c.method, path: c.path, status: c.status ?? 200, body: c.body });
}

describe("the wild corpus", () => {
  it("has at least 250 cases from at least 16 public clients, each with a source and a note", () => {
    const sources = new Map<string, { requests: number; responses: number; disputed: number }>();
    for (const c of corpus) {
      expect(c.source.repo, c.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(c.source.file.length, c.id).toBeGreaterThan(0);
      expect(c.note.length, c.id).toBeGreaterThan(0);
      const s = sources.get(c.source.repo) ?? { requests: 0, responses: 0, disputed: 0 };
      if (c.direction === "request") s.requests++;
      else s.responses++;
      if (c.disputed) s.disputed++;
      sources.set(c.source.repo, s);
    }
    console.table(Object.fromEntries([...sources].map(([repo, s]) => [repo, s])));
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
    expect(corpus.length).toBeGreaterThanOrEqual(250);
    expect(sources.size).toBeGreaterThanOrEqual(16);
  });

  for (const c of firm) {
    it(`${c.id}: ${c.expect}s ${c.direction} ${c.method} ${c.path} (${c.note})`, () => {
      const result = run(c);
      expect(result.valid, `${c.source.repo}/${c.source.file}\n${result.errors.join("\n")}`).toBe(
        c.expect === "accept",
      );
    });
  }

  it("reports the disputed cases with the decision taken on each", () => {
    const rows = disputed.map((c) => {
      const result = run(c);
      return { id: c.id, expect: c.expect, got: result.valid ? "accept" : "reject", decision: c.disputed!.decision };
    });
    console.table(rows);
    // A disputed case is a decision, recorded; the report must carry one for each.
    for (const c of disputed) expect(c.disputed!.decision.length, c.id).toBeGreaterThan(0);
  });
});
