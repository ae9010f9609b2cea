// How `pnpm test` (scripts/test.mjs) turns vitest JSON reports into its closing counts.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * One report's line. A missing report (the package did not run, or died before writing it)
 * counts every test the package has as failed, and so does a test file that failed outside
 * its tests (see below).
 * @param {string} label
 * @param {string} file the vitest JSON report
 * @param {() => number} countMissing how many tests the package has, asked only when the report is missing
 */
export function summarise(label, file, countMissing) {
  if (!existsSync(file)) {
    const missing = countMissing();
    return {
      passed: 0,
      failed: missing,
      text: `${label}: DID NOT RUN (no report): ${missing} tests counted as failed`,
    };
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  // A test file can fail with no failed test in it: it failed to load (no tests at all), or a
  // hook failed and its tests were skipped. Each such skipped test counts as failed; a file
  // that failed to load counts as one.
  let broken = 0;
  let brokenFiles = 0;
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    if (file.status !== "failed" || tests.some((t) => t.status === "failed")) continue;
    brokenFiles += 1;
    broken += Math.max(1, tests.filter((t) => t.status !== "passed").length);
  }
  if (report.success === false && report.numFailedTests + broken === 0) {
    // The run failed before any test did (a global setup threw): none of its tests ran.
    const missing = countMissing();
    return {
      passed: report.numPassedTests,
      failed: missing,
      text: `${label}: FAILED OUTSIDE ITS TESTS (a global setup?): ${missing} tests counted as failed`,
    };
  }
  const failed = report.numFailedTests + broken;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const notes = [
    skipped > 0 ? `${skipped} skipped` : "",
    brokenFiles > 0 ? `${brokenFiles} test files failed outside their tests, ${broken} counted as failed` : "",
  ].filter(Boolean);
  return {
    passed: report.numPassedTests,
    failed,
    text: `${label}: ${report.numPassedTests} passed, ${failed} failed${notes.length ? ` (${notes.join(", ")})` : ""}`,
  };
}

/** How many tests a package has, without running them: vitest's own list, or one per test file. */
export function countTests(dir) {
  const vitest = path.join(dir, "node_modules", "vitest", "vitest.mjs");
  if (existsSync(vitest)) {
    const res = spawnSync(process.execPath, [vitest, "list", "--json"], { cwd: dir, encoding: "utf8" });
    try {
      const list = JSON.parse(res.stdout.slice(res.stdout.indexOf("[")));
      if (Array.isArray(list) && list.length > 0) return list.length;
    } catch {
      // fall through to counting files
    }
  }
  const files = (d) =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => {
      if (e.isDirectory()) return e.name === "node_modules" ? [] : files(path.join(d, e.name));
      return /\.test(-d)?\.ts$/.test(e.name) ? [e.name] : [];
    });
  const testDir = path.join(dir, "test");
  return Math.max(1, existsSync(testDir) ? files(testDir).length : 1);
}
