// Descriptions speak to users: the repositories and files that back a modelling choice live in
// `x-evidence` (for maintainers; the docs leave it out of the reference), never in the prose.
import { describe, expect, it } from "vitest";
import { loadSpec } from "../src/index.js";
import { loadWildCorpus } from "./wild/corpus.js";

const spec = loadSpec() as unknown;

/** Every string of the description with its JSON pointer, `x-evidence` apart. */
function strings(node: unknown, at: string, out: { prose: [string, string][]; evidence: string[] }) {
  if (typeof node === "string") out.prose.push([at, node]);
  else if (Array.isArray(node)) node.forEach((v, i) => strings(v, `${at}/${i}`, out));
  else if (node && typeof node === "object")
    for (const [key, value] of Object.entries(node)) {
      if (key === "x-evidence") out.evidence.push(String(value));
      else strings(value, `${at}/${key}`, out);
    }
  return out;
}

const { prose, evidence } = strings(spec, "", { prose: [], evidence: [] });
const OWNER_REPO = /\b([A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*)\b/g;
// Every repository the evidence or the wild corpus names.
const repositories = new Set([
  ...evidence.flatMap((text) => [...text.matchAll(OWNER_REPO)].map((m) => m[1]!)),
  ...loadWildCorpus().map((c) => c.source.repo),
]);

describe("evidence is kept apart from the prose", () => {
  it("x-evidence names the repositories behind the modelling choices", () => {
    expect(evidence.length).toBeGreaterThanOrEqual(20);
    for (const repo of ["square-bit/invoicexpress_for_laravel", "zoran759/invoicexpress_rest-rb"])
      expect(repositories.has(repo), repo).toBe(true);
  });

  it("no description, summary or example names a repository", () => {
    const cited = prose.filter(
      ([at, text]) => at !== "/info/contact/url" && [...repositories].some((repo) => text.includes(repo)),
    );
    expect(cited.map(([at]) => at)).toEqual([]);
  });

  it("would catch one (the check can fail)", () => {
    const planted = strings({ description: "as square-bit/invoicexpress_for_laravel sends it" }, "", {
      prose: [],
      evidence: [],
    });
    expect(planted.prose.some(([, text]) => [...repositories].some((repo) => text.includes(repo)))).toBe(true);
  });
});
