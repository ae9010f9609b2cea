// Nothing a request sends may cost more than linear time: every `pattern` of the description is
// checked by recheck (a ReDoS checker that finds polynomial backtracking as well as exponential),
// and a rewritten pattern keeps accepting exactly what it accepted.
import { checkSync } from "recheck";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../src/index.js";
import { cpuMs } from "./cpu.js";

function patterns(node: unknown, at: string, out: Map<string, string[]>): Map<string, string[]> {
  if (node && typeof node === "object") {
    const n = node as Record<string, unknown>;
    if (typeof n.pattern === "string") out.set(n.pattern, [...(out.get(n.pattern) ?? []), at]);
    for (const [k, v] of Object.entries(n)) patterns(v, `${at}/${k}`, out);
  }
  return out;
}

const all = patterns(loadSpec(), "#", new Map());

describe("the description's patterns", () => {
  it("are found (the walk reads the bundled description)", () => {
    expect(all.size).toBeGreaterThan(5);
  });

  for (const [pattern, places] of all) {
    it(`${pattern} runs in linear time or better (${places[0]})`, () => {
      const result = checkSync(pattern, "u") as { status: string; complexity?: { type?: string } };
      expect(result.status, `${pattern} at ${places.join(", ")}`).toBe("safe");
      expect(["safe", "linear"], `${pattern}: ${JSON.stringify(result.complexity)}`).toContain(result.complexity?.type);
    });
  }

  it("the global discount's rewrite accepts exactly what the old pattern accepted", () => {
    // The pattern before the rewrite (it backtracked: 50,000 characters took seconds).
    const before = /^(0*[1-9][0-9]*(\.[0-9]+)?|0*\.[0-9]*[1-9][0-9]*|0+\.[0-9]*[1-9][0-9]*)$/u;
    const schemas = loadSpec().components?.schemas as Record<string, any> | undefined;
    const schema = schemas?.GlobalDiscount;
    const now = new RegExp(schema.properties.value.pattern, "u");
    expect(now.source).not.toBe(before.source);
    let differ = 0;
    let tried = 0;
    const alphabet = ["0", "1", "9", ".", "x"];
    const walk = (text: string, depth: number) => {
      tried++;
      if (before.test(text) !== now.test(text)) differ++;
      if (depth < 7) for (const c of alphabet) walk(text + c, depth + 1);
    };
    walk("", 0);
    expect(tried).toBeGreaterThan(90_000);
    expect(differ).toBe(0);
    for (const ok of ["1", "0.5", "00.010", ".5", "10", "3.14"]) expect(now.test(ok), ok).toBe(true);
    for (const no of ["0", "0.0", ".", "", "-1", "1.", "1e3", "0.000"]) expect(now.test(no), no).toBe(false);
    const hostile = `0.${"1".repeat(50_000)}x`;
    let matched: boolean | undefined;
    expect(cpuMs(() => (matched = now.test(hostile)))).toBeLessThan(100);
    expect(matched).toBe(false);
  });
});
