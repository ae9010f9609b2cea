// The project's test command (`pnpm test`). Runs every step even when an earlier one fails,
// then prints one plain "N passed, N failed" line:
//   - format and lint (biome), then turbo: lint, build, type-check and test of every package
//     (`--continue`, so one failing package does not stop the others);
//   - the drift check, the breaking-change gate and the repository checks (workflows, files);
//   - the consumer project (packed tarballs, from outside the workspace);
//   - the contract suites in other languages (examples/python, php, ruby) against the mock's
//     single executable, with no node on their PATH, and its one file on every Node we support;
//   - the consumer project and the mock's tests again on every other Node of scripts/nodes.mjs.
// Tests are summed from the vitest JSON reports. A package whose report is missing (it did not
// run, or crashed before writing it) counts every test it has as failed, and says so; each
// step that is not a vitest run counts as one check.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { installedNode, NODE_VERSIONS } from "./nodes.mjs";
import { countTests, summarise } from "./test-summary.mjs";

const root = path.resolve(import.meta.dirname, "..");
const started = Date.now();
const run = (cmd, args, cwd = root) => spawnSync(cmd, args, { cwd, stdio: "inherit", env: process.env }).status ?? 1;
const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;

/** Every workspace package with a test script, and the example consumer project. */
const testedDirs = [];
for (const base of ["packages", "examples"]) {
  for (const name of readdirSync(path.join(root, base))) testedDirs.push(path.join(base, name));
}
testedDirs.push("docs");
const testScript = (dir) => {
  const file = path.join(root, dir, "package.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).scripts?.test : undefined;
};
const packages = testedDirs.filter((dir) => testScript(dir) || dir.startsWith("examples/"));

// A stale report must never count: remove every report before anything runs. (turbo puts a
// package's report back when it replays a cached test task.)
for (const dir of [...packages, "."]) rmSync(path.join(root, dir, "test-results"), { recursive: true, force: true });

/** The expected reports: [label, directory, report file name in its test-results/]. */
const reports = packages.map((dir) => [dir, dir, "vitest.json"]);
reports.push(["repository checks", ".", "vitest.json"]);
const checks = [];
const step = (name, status) => {
  checks.push([name, status]);
  console.log(
    `\ntest: ${name}: ${status === 0 ? "ok" : `FAILED (exit ${status})`} at ${seconds(Date.now() - started)}`,
  );
};

step("format and lint (biome)", run("pnpm", ["exec", "biome", "ci", "."]));
step(
  "turbo (lint, build, typecheck, test)",
  run("pnpm", [
    "exec",
    "turbo",
    "run",
    "lint",
    "build",
    "typecheck",
    "test",
    "--continue=dependencies-successful",
    "--output-logs=full",
  ]),
);
step("drift of generated files", run("node", ["scripts/check-drift.mjs"]));
step("breaking-change gate", run("node", ["packages/openapi/scripts/breaking.mjs"]));
run("pnpm", ["exec", "vitest", "run"]); // the repository checks: counted from their report
run("node", ["examples/consumer/run.mjs"]); // counted from its report
run("node", ["scripts/anylang.mjs"]); // counted from the reports of examples/python, php and ruby

// The same consumer project and the mock's tests on the other Node versions we support.
for (const version of NODE_VERSIONS) {
  const major = version.split(".")[0];
  const file = `vitest-node${major}.json`;
  reports.push([`examples/consumer on Node ${major}`, "examples/consumer", file]);
  reports.push([`packages/mock on Node ${major}`, "packages/mock", file]);
  const bin = installedNode(version);
  if (!bin) {
    console.log(`\ntest: Node ${version} is not installed (set-up: pnpm run setup:machine); its tests count as failed`);
    continue;
  }
  for (const dir of ["examples/consumer", "packages/mock"]) {
    const vitest = path.join(root, dir, "node_modules", "vitest", "vitest.mjs");
    if (!existsSync(vitest)) continue;
    console.log(`\ntest: ${dir} on Node ${version}`);
    run(bin, [vitest, "run", `--outputFile.json=test-results/${file}`], path.join(root, dir));
  }
}

let passed = 0;
let failed = 0;
const lines = [];
for (const [label, dir, name] of reports) {
  const line = summarise(label, path.join(root, dir, "test-results", name), () => countTests(path.join(root, dir)));
  passed += line.passed;
  failed += line.failed;
  lines.push(line.text);
}
for (const [name, status] of checks) {
  if (status === 0) passed += 1;
  else failed += 1;
  lines.push(`check: ${name}: ${status === 0 ? "ok" : "FAILED"}`);
}
console.log(`\n${lines.join("\n")}\ntook ${seconds(Date.now() - started)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
