// Repository checks: the workflows parse and run commands that exist, every published
// package carries its licence and README, and the contributor files say what they must.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { NODE_VERSIONS } from "../scripts/nodes.mjs";

const root = path.resolve(import.meta.dirname, "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const json = (file: string) => JSON.parse(read(file));
const rootScripts: Record<string, string> = json("package.json").scripts;

type Step = { run?: string; uses?: string; with?: Record<string, unknown> };
type Job = {
  "runs-on"?: string;
  steps?: Step[];
  needs?: string | string[];
  strategy?: { matrix?: { node?: number[]; include?: Record<string, unknown>[] } };
};
type Workflow = { name?: string; on?: unknown; jobs?: Record<string, Job> };

const workflowDir = path.join(root, ".github", "workflows");
const workflowFiles = readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));
const workflows = Object.fromEntries(
  workflowFiles.map((f) => [f, parse(readFileSync(path.join(workflowDir, f), "utf8")) as Workflow]),
);

// pnpm's own commands, which need no script in package.json.
const PNPM_BUILTINS = new Set(["install", "exec", "dlx", "add", "changeset"]);

/** Every `pnpm <x>` / `pnpm run <x>` in a shell line: the script (or builtin) it calls. */
function pnpmCommands(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/(?:^|&&|;|\|\|)\s*pnpm\s+(?:run\s+)?([a-z][\w:-]*)/g)) out.push(m[1]!);
  return out;
}

describe("GitHub workflows", () => {
  it("are the three we promise: CI, release, docs", () => {
    expect(workflowFiles.sort()).toEqual(["ci.yml", "docs.yml", "release.yml"]);
  });

  for (const [file, wf] of Object.entries(workflows)) {
    describe(file, () => {
      it("parses into a named workflow with triggers and jobs whose steps run or use something", () => {
        expect(typeof wf.name).toBe("string");
        expect(wf.on).toBeTruthy();
        const jobs = Object.entries(wf.jobs ?? {});
        expect(jobs.length).toBeGreaterThan(0);
        for (const [name, job] of jobs) {
          // A job on several systems (the mock's executables) names each in its matrix.
          const systems = /^\$\{\{\s*matrix\.os\s*\}\}$/.test(job["runs-on"] ?? "")
            ? (job.strategy?.matrix?.include ?? []).map((m) => String(m.os))
            : [job["runs-on"]];
          expect(systems.length, `${file}: job ${name}`).toBeGreaterThan(0);
          for (const os of systems) expect(os, `${file}: job ${name}`).toMatch(/^(ubuntu|macos|windows)-/);
          for (const needed of [job.needs ?? []].flat()) expect(wf.jobs).toHaveProperty(needed);
          for (const s of job.steps ?? []) expect(Boolean(s.run) !== Boolean(s.uses), `${file}: ${name}`).toBe(true);
        }
      });

      it("runs only pnpm scripts that exist in package.json, and files that exist", () => {
        const lines = Object.values(wf.jobs ?? {}).flatMap((j) =>
          (j.steps ?? []).flatMap((s) => s.run?.split("\n") ?? []),
        );
        const withArgs = Object.values(wf.jobs ?? {}).flatMap((j) =>
          (j.steps ?? []).flatMap((s) => Object.values(s.with ?? {}).map(String)),
        );
        for (const line of [...lines, ...withArgs]) {
          for (const command of pnpmCommands(line)) {
            expect(PNPM_BUILTINS.has(command) || command in rootScripts, `${file}: "pnpm ${command}"`).toBe(true);
          }
          for (const m of line.matchAll(/\bbash\s+(\S+)/g)) expect(existsSync(path.join(root, m[1]!)), line).toBe(true);
        }
      });
    });
  }

  it("CI runs the README's set-up and test commands on Node 20, 22 and 24", () => {
    const job = workflows["ci.yml"]!.jobs!.test!;
    expect(job.strategy?.matrix?.node).toEqual([20, ...NODE_VERSIONS.map((v) => Number(v.split(".")[0]))]);
    const runs = (job.steps ?? []).map((s) => s.run).filter(Boolean);
    expect(runs).toEqual(
      expect.arrayContaining(["npm i -g pnpm@10.34.9", "pnpm install --frozen-lockfile", "pnpm test"]),
    );
    expect(read("README.md")).toContain("pnpm test");
    expect(read(".ci/run")).toMatch(/^pnpm test\b|node scripts\/test\.mjs/m);
  });

  it("releases with changesets and npm provenance, and deploys docs/dist", () => {
    const release = JSON.stringify(workflows["release.yml"]);
    expect(release).toContain("changesets/action");
    expect(release).toContain('"NPM_CONFIG_PROVENANCE":"true"');
    expect(workflows["release.yml"]!.jobs!.release).toBeDefined();
    expect(JSON.stringify(workflows["docs.yml"])).toContain('"path":"docs/dist"');
  });
});

describe("published packages", () => {
  const published = readdirSync(path.join(root, "packages"))
    .map((d) => path.join("packages", d))
    .filter((d) => existsSync(path.join(root, d, "package.json")) && !json(path.join(d, "package.json")).private);

  it("are the four we publish", () => {
    expect(published.map((d) => json(path.join(d, "package.json")).name).sort()).toEqual([
      "@ixpress/client",
      "@ixpress/mcp",
      "@ixpress/mock",
      "@ixpress/openapi",
    ]);
  });

  for (const dir of published) {
    it(`${dir} ships a LICENSE (the root's), a README, exports with types, and lists its files`, () => {
      const pkg = json(path.join(dir, "package.json"));
      expect(read(path.join(dir, "LICENSE"))).toBe(read("LICENSE"));
      expect(pkg.license).toBe("MIT");
      expect(pkg.files).toEqual(expect.arrayContaining(["LICENSE", "README.md"]));
      expect(read(path.join(dir, "README.md")).length).toBeGreaterThan(500);
      expect(JSON.stringify(pkg.exports)).toContain('"types"');
      for (const bin of Object.values<string>(pkg.bin ?? {})) {
        // A bin must exist before the build, or pnpm warns at install time.
        expect(existsSync(path.join(root, dir, bin)), bin).toBe(true);
        expect(pkg.files.some((f: string) => bin.replace(/^\.\//, "").startsWith(f))).toBe(true);
      }
    });
  }
});

describe("contributor files", () => {
  it("LICENSE is MIT", () => {
    expect(read("LICENSE")).toMatch(/^MIT License/);
  });

  it("CONTRIBUTING.md covers set-up, the test command, endpoints, changesets and the breaking-change gate", () => {
    const text = read("CONTRIBUTING.md");
    for (const needle of [
      "pnpm install",
      "pnpm test",
      "spec/paths/",
      "pnpm changeset",
      "released/openapi.json",
      "breaking:baseline",
    ]) {
      expect(text).toContain(needle);
    }
    for (const m of text.matchAll(/`pnpm (?:run )?([a-z][\w:-]*)/g)) {
      expect(PNPM_BUILTINS.has(m[1]!) || m[1]! in rootScripts || m[1] === "--filter", m[0]).toBe(true);
    }
  });

  it("SECURITY.md says how to report and explains the API key in the URL", () => {
    const text = read("SECURITY.md");
    expect(text).toMatch(/report/i);
    expect(text).toContain("api_key");
    expect(text).toMatch(/query/);
  });

  it("the README names the tested Node versions", () => {
    const readme = read("README.md");
    for (const major of ["20", ...NODE_VERSIONS.map((v) => v.split(".")[0])])
      expect(readme).toMatch(new RegExp(`Node(?:\\.js)? [^\\n]*\\b${major}\\b`));
  });
});
