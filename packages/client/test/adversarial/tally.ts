// Counts the checks of one adversarial promise and what they found, prints the figures and
// writes them to test-results/adversarial/<promise>.json (summed by `node test/adversarial/summary.mjs`).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

export interface Tally {
  /** Records one check; `found` is a leak, a duplicate send, an unbounded wait or buffer. */
  check(found: boolean, dims?: Record<string, string>): void;
  readonly checks: number;
  readonly found: number;
}

export function tally(promise: string, dimensions: string): Tally {
  let checks = 0;
  let found = 0;
  const seen: Record<string, Set<string>> = {};
  afterAll(() => {
    const sizes = Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v.size]));
    const figures = { promise, dimensions, checks, found, sizes };
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test-results/adversarial");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${promise}.json`), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`adversarial ${promise}: ${checks} checks (${dimensions}: ${JSON.stringify(sizes)}), found ${found}`);
  });
  return {
    check(isFound, dims = {}) {
      checks++;
      if (isFound) found++;
      for (const [k, v] of Object.entries(dims)) {
        seen[k] ??= new Set();
        seen[k].add(v);
      }
    },
    get checks() {
      return checks;
    },
    get found() {
      return found;
    },
  };
}
