// Packaging checks on the built package (dist/ is built before the tests; see turbo.json).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const run = (cmd: string, args: string[]) =>
  spawnSync(cmd, args, { cwd: root, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" } });

beforeAll(() => {
  if (!existsSync(path.join(root, "dist", "index.js")))
    throw new Error("dist/ is missing: run `pnpm --filter @ixpress/client build` first");
});

describe("packaging", () => {
  it("publint --strict finds nothing", () => {
    const r = run(bin("publint"), ["--strict"]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("All good");
  });

  // attw packs the package and type-checks every entry point under each resolution: 5 s on an
  // idle machine, over 20 s on a busy 2-core one. Nothing here measures speed, so the tool gets
  // the time it needs rather than the file's 15 s default.
  it("attw --pack finds no problem for ESM consumers (node16 and bundlers)", { timeout: 120_000 }, () => {
    const r = run(bin("attw"), ["--pack", ".", "--profile", "esm-only", "--format", "json"]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout.slice(r.stdout.indexOf("{")));
    // CommonJS resolution (node16-cjs, node10) is out of this profile: the package is ESM only,
    // and Node 20.19+ can require() it (tested below).
    const problems = (report.analysis.problems as Array<{ resolutionKind?: string }>).filter(
      (p) => p.resolutionKind !== "node16-cjs" && p.resolutionKind !== "node10",
    );
    expect(problems).toEqual([]);
    expect(report.analysis.problems.length).toBeLessThanOrEqual(1);
  });

  it("the runtime code imports no Node built-in and bundles for the browser", async () => {
    const files = readdirSync(path.join(root, "dist"), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".js"));
    expect(files.length).toBeGreaterThan(5);
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const f of files) {
      const code = readFileSync(path.join(root, "dist", f), "utf8");
      const imports = [...code.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
      expect(
        imports.filter((i) => builtins.has(i) || i.startsWith("node:")),
        f,
      ).toEqual([]);
      expect(code, f).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b|__dirname/);
    }
    const out = await build({
      entryPoints: [path.join(root, "dist", "index.js")],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    expect(out.errors).toEqual([]);
  });

  it("Node 20.19+ can require() it from CommonJS", () => {
    const require = createRequire(path.join(root, "package.json"));
    const mod = require(path.join(root, "dist", "index.js")) as Record<string, unknown>;
    expect(typeof mod.createClient).toBe("function");
    expect(typeof mod.unwrap).toBe("function");
  });
});
