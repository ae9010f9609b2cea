// The reference, the console and the search index speak to users: none of them carries the
// spec's `x-evidence` (repositories and files, for maintainers), which stays in openapi.json.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { specJsonPath } from "@ixpress/openapi";
import { describe, expect, it } from "vitest";

const docs = path.resolve(import.meta.dirname, "..");
const dist = path.join(docs, "dist");
const spec = JSON.parse(readFileSync(specJsonPath, "utf8"));

const evidence: string[] = [];
(function collect(node: unknown) {
  if (Array.isArray(node)) node.forEach(collect);
  else if (node && typeof node === "object")
    for (const [key, value] of Object.entries(node)) {
      if (key === "x-evidence") evidence.push(String(value));
      else collect(value);
    }
})(spec);
const repositories = new Set(
  evidence.flatMap((text) =>
    [...text.matchAll(/\b([A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][\w.-]*invoice[\w.-]*)/gi)].map((m) => m[1]!),
  ),
);

function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === "vendor" ? [] : pages(file);
    return /\.(html|js)$/.test(name) ? [file] : [];
  });
}

describe("x-evidence stays out of the site", () => {
  it("the spec has evidence naming repositories", () => {
    expect(repositories.size).toBeGreaterThanOrEqual(5);
  });

  it("no page, script or search index of dist/ names one (openapi.json/yaml keep it)", () => {
    const files = pages(dist);
    expect(files.some((f) => f.endsWith("reference.html"))).toBe(true);
    const found = files.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return [...repositories].filter((r) => text.includes(r)).map((r) => `${path.relative(dist, file)}: ${r}`);
    });
    expect(found).toEqual([]);
  });
});
