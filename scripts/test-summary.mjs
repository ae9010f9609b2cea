// How `pnpm test` (scripts/test.mjs) turns vitest JSON reports into its closing counts.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * One report's line. A missing report (the package did not run, or died before writing it)
 * counts every test the package has as failed; a test file that failed to load (no test
 * results in it) counts as one failed test.
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
  const unloaded = (report.testResults ?? []).filter(
    (r) => r.status === "failed" && (r.assertionResults ?? []).length === 0,
  ).length;
  const failed = report.numFailedTests + unloaded;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const notes = [
    skipped > 0 ? `${skipped} skipped` : "",
    unloaded > 0 ? `${unloaded} test files failed to load` : "",
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
