// Rewrites the coverage table of the root README (between the coverage markers) from the
// bundled spec: every operation with its method, path, operationId and summary, by tag.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const pkg = path.resolve(import.meta.dirname, "..");
const readme = path.resolve(pkg, "../../README.md");
const spec = JSON.parse(readFileSync(path.join(pkg, "openapi.json"), "utf8"));
const METHODS = ["get", "put", "post", "delete", "patch"];

const ops = [];
for (const [p, item] of Object.entries(spec.paths)) {
  for (const m of METHODS) if (item[m]) ops.push({ method: m.toUpperCase(), path: p, ...item[m] });
}
const tags = (spec.tags ?? []).map((t) => t.name);
const cell = (s) => String(s ?? "").replace(/\|/g, "\\|");
const lines = [`${ops.length} operations in ${Object.keys(spec.paths).length} paths.`, ""];
lines.push("| tag | operations |", "|---|---|");
for (const tag of tags) {
  const n = ops.filter((o) => o.tags?.[0] === tag).length;
  if (n) lines.push(`| ${tag} | ${n} |`);
}
lines.push("", "| method | path | operationId | summary |", "|---|---|---|---|");
for (const tag of tags) {
  for (const o of ops.filter((op) => op.tags?.[0] === tag)) {
    lines.push(`| ${o.method} | \`${cell(o.path)}\` | \`${o.operationId}\` | ${cell(o.summary)} |`);
  }
}
const START = "<!-- coverage:start (generated from the spec by packages/openapi/scripts/coverage.mjs; do not edit) -->";
const END = "<!-- coverage:end -->";
const text = readFileSync(readme, "utf8");
const a = text.indexOf(START);
const b = text.indexOf(END);
if (a < 0 || b < a) throw new Error(`README.md has no coverage markers (${START} … ${END})`);
const next = `${text.slice(0, a + START.length)}\n${lines.join("\n")}\n${text.slice(b)}`;
if (next !== text) writeFileSync(readme, next);
console.log(`coverage: ${ops.length} operations written to README.md`);
