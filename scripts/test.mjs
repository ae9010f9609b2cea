// The project's test command (`pnpm test`): lint, build, type-check and test every package
// through turbo, check generated files for drift, then print one plain
// "N passed, N failed" line summed from every vitest JSON report.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: process.env }).status ?? 1;

const steps = [];
steps.push([
  "turbo",
  run("pnpm", ["exec", "turbo", "run", "lint", "build", "typecheck", "test", "--output-logs=full"]),
]);
steps.push(["drift", run("node", ["scripts/check-drift.mjs"])]);
steps.push(["breaking-change gate", run("node", ["packages/openapi/scripts/breaking.mjs"])]);
// Installs the packed packages into examples/consumer (not a workspace member) and runs its tests.
steps.push(["consumer", run("node", ["examples/consumer/run.mjs"])]);

let passed = 0;
let failed = 0;
const reports = [];
for (const dir of ["packages", "docs", "examples"]) {
  const base = path.join(root, dir);
  if (!existsSync(base)) continue;
  const candidates = dir === "docs" ? [base] : readdirSync(base).map((d) => path.join(base, d));
  for (const pkg of candidates) {
    const file = path.join(pkg, "test-results", "vitest.json");
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    reports.push(`${path.relative(root, pkg)}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  }
}
console.log(`\n${reports.join("\n")}`);
const broken = steps.filter(([, status]) => status !== 0).map(([name]) => name);
if (broken.length > 0) {
  console.log(`failed steps: ${broken.join(", ")}`);
  if (failed === 0) failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(broken.length > 0 || failed > 0 ? 1 : 0);
