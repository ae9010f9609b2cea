// Proof from outside: packs @ixpress/openapi, @ixpress/client and @ixpress/mock as they would
// be published, installs the tarballs into this folder (its own pnpm root, not a workspace
// member), type-checks the consumer code with tsc and runs its vitest contract test against
// the mock. Run after the packages are built (`pnpm test` at the root does both).
//
//   node examples/consumer/run.mjs
//
// Writes test-results/vitest.json, which the root test command sums. Only the npm registry
// is contacted, and only for what pnpm's store does not already hold (--prefer-offline).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const packs = path.join(here, ".packs");
const packages = { openapi: "packages/openapi", client: "packages/client", mock: "packages/mock" };

function step(label, cmd, args, cwd) {
  const started = Date.now();
  const res = spawnSync(cmd, args, {
    cwd,
    stdio: "inherit",
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  const status = res.status ?? 1;
  console.log(
    `consumer: ${label} ${status === 0 ? "ok" : `FAILED (exit ${status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (status !== 0) process.exit(status);
}

// A stale report must never count: remove it before anything can fail.
rmSync(path.join(here, "test-results"), { recursive: true, force: true });
rmSync(packs, { recursive: true, force: true });
mkdirSync(packs);

for (const [name, dir] of Object.entries(packages)) {
  const pkg = path.join(root, dir);
  if (!existsSync(path.join(pkg, "dist"))) {
    console.error(`consumer: ${dir}/dist is missing; build the packages first (pnpm build)`);
    process.exit(1);
  }
  step(`pack ${dir}`, "pnpm", ["pack", "--pack-destination", packs], pkg);
  const tarball = readdirSync(packs).find((f) => f.startsWith(`ixpress-${name}-`) && f.endsWith(".tgz"));
  if (!tarball) {
    console.error(`consumer: pnpm pack left no ixpress-${name}-*.tgz in ${packs}`);
    process.exit(1);
  }
  renameSync(path.join(packs, tarball), path.join(packs, `ixpress-${name}.tgz`));
}

// A clean install every time, so nothing from an earlier tarball survives.
rmSync(path.join(here, "node_modules"), { recursive: true, force: true });
step("install from tarballs", "pnpm", ["install", "--prefer-offline", "--config.confirmModulesPurge=false"], here);
step("type-check (tsc)", "pnpm", ["exec", "tsc", "-p", "tsconfig.json"], here);
step("contract test (vitest)", "pnpm", ["exec", "vitest", "run"], here);
