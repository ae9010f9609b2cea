// The closing line of `pnpm test` must never hide a package that did not run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countTests, summarise } from "../scripts/test-summary.mjs";

const dir = mkdtempSync(path.join(tmpdir(), "ixpress-summary-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const report = (name: string, body: object) => {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(body));
  return file;
};
const never = () => {
  throw new Error("counted a package that has a report");
};

describe("summarise", () => {
  it("reads passed and failed from a vitest report", () => {
    const file = report("ok.json", { numPassedTests: 7, numFailedTests: 2, numPendingTests: 0, numTodoTests: 0 });
    expect(summarise("pkg", file, never)).toEqual({ passed: 7, failed: 2, text: "pkg: 7 passed, 2 failed" });
  });

  it("counts every test of a package without a report as failed, and says it did not run", () => {
    const line = summarise("packages/mock", path.join(dir, "missing.json"), () => 41);
    expect(line.passed).toBe(0);
    expect(line.failed).toBe(41);
    expect(line.text).toBe("packages/mock: DID NOT RUN (no report): 41 tests counted as failed");
  });

  it("counts a test file that failed to load as a failed test, and reports skipped ones", () => {
    const file = report("unloaded.json", {
      numPassedTests: 3,
      numFailedTests: 0,
      numPendingTests: 1,
      numTodoTests: 1,
      testResults: [
        { status: "passed", assertionResults: [{ status: "passed" }, { status: "skipped" }, { status: "todo" }] },
        { status: "failed", assertionResults: [] },
      ],
    });
    expect(summarise("pkg", file, never)).toEqual({
      passed: 3,
      failed: 1,
      text: "pkg: 3 passed, 1 failed (2 skipped, 1 test files failed outside their tests, 1 counted as failed)",
    });
  });

  it("counts the tests a failed hook skipped as failed", () => {
    // What vitest writes when a beforeAll (a mock that did not start) fails: the file failed,
    // its tests skipped, no test failed.
    const file = report("hook.json", {
      numPassedTests: 11,
      numFailedTests: 0,
      numPendingTests: 224,
      numTodoTests: 0,
      testResults: [
        { status: "passed", assertionResults: Array.from({ length: 11 }, () => ({ status: "passed" })) },
        { status: "failed", assertionResults: Array.from({ length: 224 }, () => ({ status: "skipped" })) },
      ],
    });
    const line = summarise("docs", file, never);
    expect(line.passed).toBe(11);
    expect(line.failed).toBe(224);
  });
});

describe("summarise, a run that failed before its tests", () => {
  it("counts every test as failed when the global setup threw (vitest reports no test at all)", () => {
    const file = report("setup.json", {
      numPassedTests: 0,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      success: false,
      testResults: [],
    });
    expect(summarise("packages/client", file, () => 447)).toEqual({
      passed: 0,
      failed: 447,
      text: "packages/client: FAILED OUTSIDE ITS TESTS (a global setup?): 447 tests counted as failed",
    });
  });
});

describe("countTests", () => {
  it("counts one test per test file where vitest cannot list them", () => {
    const pkg = path.join(dir, "pkg");
    mkdirSync(path.join(pkg, "test", "deep"), { recursive: true });
    for (const f of ["a.test.ts", "b.test-d.ts", "deep/c.test.ts", "helper.ts"])
      writeFileSync(path.join(pkg, "test", f), "");
    expect(countTests(pkg)).toBe(3);
  });

  it("counts at least one for a package with no test folder", () => {
    expect(countTests(path.join(dir, "nothing"))).toBe(1);
  });

  // It starts a vitest process (`vitest list`), which takes seconds on a busy machine.
  it("asks vitest for the real number where it can", { timeout: 60_000 }, () => {
    const root = path.resolve(import.meta.dirname, "..");
    // The repository's own tests: this file among them.
    expect(countTests(root)).toBeGreaterThan(20);
  });
});
