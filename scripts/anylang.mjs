// The contract-test suites in other languages (examples/python with pytest, examples/php with
// PHPUnit, examples/ruby with minitest), each run against:
//   - the single executable (packages/mock/dist/bin/ixpress-mock, built here if it is stale),
//   - the one-file bundle (packages/mock/dist/ixpress-mock.cjs), copied alone into an empty
//     folder, under the running Node and every other Node of scripts/nodes.mjs.
// Every run has NO `node` on its PATH (checked): the interpreters are called by absolute path,
// and the bundle's Node is handed to the suite explicitly (IXPRESS_NODE).
//
//   node scripts/anylang.mjs        (after `pnpm build`; `pnpm test` runs it)
//
// Each suite writes a JUnit XML file (minitest: one line per test with -v); this script turns them into
// examples/<language>/test-results/vitest.json (one test per test case and per variant, in the
// shape of vitest's JSON report), which `pnpm test` sums. A suite that exits non-zero with no
// failed case (a failing teardown, a crash) counts one failed test more; a missing runtime
// counts as a failed test that says how to install it (pnpm run setup:machine).
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { installedNode, NODE_VERSIONS } from "./nodes.mjs";

const root = path.resolve(import.meta.dirname, "..");
const mockDir = path.join(root, "packages", "mock");
const bundle = path.join(mockDir, "dist", "ixpress-mock.cjs");
const binary = path.join(mockDir, "dist", "bin", process.platform === "win32" ? "ixpress-mock.exe" : "ixpress-mock");

/** The absolute path of a command, from the PATH this script was given. */
function which(command) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const file = path.join(dir, command);
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

const suites = [
  {
    dir: "examples/python",
    runtime: "python3 with pytest (Debian: python3-pytest)",
    command: (junit) => {
      // The interpreter itself (python3 on the PATH can be a wrapper, such as pyenv's, that needs the PATH).
      const found = which("python3");
      const real = found && spawnSync(found, ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" });
      const python = real?.status === 0 ? real.stdout.trim() : undefined;
      if (!python) return undefined;
      const check = spawnSync(python, ["-m", "pytest", "--version"], { encoding: "utf8" });
      if (check.status !== 0) return undefined;
      return [python, ["-m", "pytest", "-q", "-p", "no:cacheprovider", `--junitxml=${junit}`]];
    },
  },
  {
    dir: "examples/ruby",
    runtime: "ruby with minitest (Debian: ruby)",
    command: () => {
      const ruby = which("ruby");
      if (!ruby || spawnSync(ruby, ["-e", 'require "minitest"'], { encoding: "utf8" }).status !== 0) return undefined;
      return [ruby, ["test_contract.rb", "-v"]];
    },
    // minitest has no JUnit output; -v prints one line per test: "Class#test_name = 0.01 s = ."
    cases: (stdout) =>
      [...stdout.matchAll(/^(\w+)#(\w+) = [\d.]+ s = ([.FES])$/gm)].map((m) => ({
        name: `${m[1]} ${m[2]}`,
        status: m[3] === "." ? "passed" : m[3] === "S" ? "skipped" : "failed",
        message: m[3] === "." || m[3] === "S" ? "" : "see the suite's output above",
      })),
  },
  {
    dir: "examples/php",
    runtime: "php with PHPUnit (Debian: php-cli, phpunit)",
    command: (junit) => {
      const php = which("php");
      const phpunit = which("phpunit");
      if (!php || !phpunit) return undefined;
      return [php, [phpunit, "--log-junit", junit]];
    },
  },
];

/** The mocks each suite runs against: [label, environment]. */
function variants(emptyDir) {
  const out = [];
  const built = spawnSync("pnpm", ["--filter", "@ixpress/mock", "build:binary"], { cwd: root, stdio: "inherit" });
  if (built.status === 0 && existsSync(binary)) out.push(["single executable", { IXPRESS_MOCK: binary }]);
  else out.push(["single executable", { IXPRESS_MOCK: binary, MISSING: "build:binary failed" }]);
  const copy = path.join(emptyDir, "ixpress-mock.cjs");
  if (existsSync(bundle)) copyFileSync(bundle, copy);
  const nodes = [process.execPath, ...NODE_VERSIONS.map((v) => installedNode(v) ?? `(Node ${v} not installed)`)];
  for (const node of nodes) {
    const version = existsSync(node) ? spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim() : node;
    out.push([`one file on Node ${version}`, { IXPRESS_MOCK: copy, IXPRESS_NODE: node }]);
  }
  return out;
}

/** The test cases of a JUnit XML file: [{ name, failed, message }]. */
function junitCases(xml) {
  const cases = [];
  const decode = (s) =>
    s
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&quot;", '"')
      .replaceAll("&apos;", "'")
      .replaceAll("&#10;", "\n")
      .replaceAll("&amp;", "&");
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attr = (name) => decode(new RegExp(`\\b${name}="([^"]*)"`).exec(match[1])?.[1] ?? "");
    const inner = match[3] ?? "";
    const problem = /<(failure|error)\b([^>]*)>([\s\S]*?)<\/\1>|<(failure|error)\b([^>]*)\/>/.exec(inner);
    const skipped = /<skipped\b/.test(inner);
    cases.push({
      name: `${attr("classname")} ${attr("name")}`.trim(),
      status: problem ? "failed" : skipped ? "skipped" : "passed",
      message: problem
        ? decode(problem[3] ?? problem[2] ?? problem[5] ?? "")
            .trim()
            .slice(0, 2000)
        : "",
    });
  }
  return cases;
}

const work = mkdtempSync(path.join(os.tmpdir(), "ixpress-anylang-"));
const emptyDir = path.join(work, "empty");
mkdirSync(emptyDir);
const bin = path.join(work, "bin"); // the PATH of every run: an empty folder, so no `node`
mkdirSync(bin);
let exitCode = 0;
try {
  const mocks = variants(emptyDir);
  for (const suite of suites) {
    const dir = path.join(root, suite.dir);
    const results = path.join(dir, "test-results");
    rmSync(results, { recursive: true, force: true });
    mkdirSync(results, { recursive: true });
    const files = [];
    for (const [label, env] of mocks) {
      const started = Date.now();
      const junit = path.join(work, `${path.basename(suite.dir)}-${files.length}.xml`);
      const command = suite.command(junit);
      let cases;
      if (!command) {
        cases = [{ name: `${suite.runtime} is installed`, status: "failed", message: "run: pnpm run setup:machine" }];
      } else if (env.MISSING || !existsSync(env.IXPRESS_MOCK) || (env.IXPRESS_NODE && !existsSync(env.IXPRESS_NODE))) {
        const what = env.MISSING ?? (existsSync(env.IXPRESS_MOCK) ? env.IXPRESS_NODE : env.IXPRESS_MOCK);
        cases = [{ name: "the mock to test is there", status: "failed", message: `missing: ${what}` }];
      } else {
        const runEnv = { PATH: bin, HOME: process.env.HOME ?? work, LANG: "C.UTF-8", TMPDIR: os.tmpdir(), ...env };
        if (runEnv.PATH.split(path.delimiter).some((d) => existsSync(path.join(d, "node")))) {
          throw new Error("anylang: node is on the PATH of the suites");
        }
        console.log(`\nanylang: ${suite.dir} against the ${label}`);
        const res = spawnSync(command[0], command[1], {
          cwd: dir,
          env: runEnv,
          stdio: ["ignore", "pipe", "inherit"],
          encoding: "utf8",
          timeout: 300_000,
        });
        process.stdout.write(res.stdout ?? "");
        if (suite.cases) cases = suite.cases(res.stdout ?? "");
        else cases = existsSync(junit) ? junitCases(readFileSync(junit, "utf8")) : [];
        if (res.status !== 0 && !cases.some((c) => c.status === "failed")) {
          cases.push({
            name: "the suite exits with 0",
            status: "failed",
            message: `exit ${res.status ?? res.signal}${res.error ? ` (${res.error.message})` : ""}`,
          });
        }
        if (cases.length === 0) cases.push({ name: "the suite ran tests", status: "failed", message: "no test cases" });
      }
      for (const c of cases)
        if (c.status === "failed") console.log(`anylang: FAILED ${label}: ${c.name}\n${c.message}`);
      files.push({
        name: `${suite.dir} against the ${label}`,
        status: cases.some((c) => c.status === "failed") ? "failed" : "passed",
        startTime: started,
        endTime: Date.now(),
        assertionResults: cases.map((c) => ({
          title: c.name,
          fullName: `${label}: ${c.name}`,
          status: c.status === "skipped" ? "pending" : c.status,
          failureMessages: c.message ? [c.message] : [],
        })),
      });
    }
    const all = files.flatMap((f) => f.assertionResults);
    const count = (status) => all.filter((t) => t.status === status).length;
    const report = {
      numTotalTests: all.length,
      numPassedTests: count("passed"),
      numFailedTests: count("failed"),
      numPendingTests: count("pending"),
      numTodoTests: 0,
      success: count("failed") === 0,
      testResults: files,
    };
    writeFileSync(path.join(results, "vitest.json"), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`anylang: ${suite.dir}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
    if (!report.success) exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
