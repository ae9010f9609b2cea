// `pnpm --filter @ixpress/mock build:binary`: the single executable, dist/bin/ixpress-mock
// (ixpress-mock.exe on Windows), for the machine it runs on. Node's single executable
// applications: the one-file bundle (dist/ixpress-mock.cjs, from `pnpm build`) is turned into a
// blob by the target Node itself (`--experimental-sea-config`, with V8's code cache) and
// injected into a copy of that Node with postject.
//
// The Node inside is SEA_NODE below, on every platform. On Linux it comes from the npm
// registry's node-linux-<arch> package (as scripts/nodes.mjs does); elsewhere from the Node that
// runs this script (the release workflow installs exactly SEA_NODE), or from IXPRESS_SEA_NODE.
//
// The result is reused while the bundle, the Node and this script are unchanged
// (dist/bin/ixpress-mock.stamp), so a second build takes no time.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { inject } from "postject";

/**
 * Node 24 LTS (supported until April 2028): the newest line with long-term support, the same
 * version `pnpm test` already runs the mock's suite on (scripts/nodes.mjs), and a Node whose
 * binaries carry the SEA sentinel fuse and build blobs with a code cache.
 */
export const SEA_NODE = "24.22.3";

const here = import.meta.dirname;
const root = path.resolve(here, "..");
const repo = path.resolve(root, "..", "..");
const bundle = path.join(root, "dist", "ixpress-mock.cjs");
const windows = process.platform === "win32";
const outDir = path.join(root, "dist", "bin");
const out = path.join(outDir, windows ? "ixpress-mock.exe" : "ixpress-mock");
const stampFile = path.join(outDir, "ixpress-mock.stamp");

const version = (bin) => spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout?.trim();

/** The Node binary to wrap: exactly SEA_NODE. */
function targetNode() {
  const fromEnv = process.env.IXPRESS_SEA_NODE;
  if (fromEnv) return fromEnv;
  if (process.platform === "linux" && (process.arch === "x64" || process.arch === "arm64")) {
    const pkg = `node-linux-${process.arch}`;
    // linux-x64 shares scripts/nodes.mjs's folder for this major, so `pnpm test` downloads nothing twice.
    const prefix =
      process.arch === "x64"
        ? path.join(repo, ".cache", "node", SEA_NODE.split(".")[0])
        : path.join(repo, ".cache", "node-sea", `${pkg}-${SEA_NODE}`);
    const bin = path.join(prefix, "node_modules", pkg, "bin", "node");
    if (existsSync(bin) && version(bin) === `v${SEA_NODE}`) return bin;
    const res = spawnSync(
      "npm",
      ["install", "--prefix", prefix, "--no-save", "--no-audit", "--no-fund", "--loglevel=error", `${pkg}@${SEA_NODE}`],
      { stdio: "inherit" },
    );
    if (res.status !== 0 || version(bin) !== `v${SEA_NODE}`) throw new Error(`could not install ${pkg}@${SEA_NODE}`);
    return bin;
  }
  return process.execPath;
}

if (!existsSync(bundle)) {
  console.error("build:binary: dist/ixpress-mock.cjs is missing; run `pnpm --filter @ixpress/mock build` first");
  process.exit(1);
}
const node = targetNode();
if (version(node) !== `v${SEA_NODE}`) {
  console.error(`build:binary: ${node} is Node ${version(node)}; the executable is built on Node ${SEA_NODE}`);
  process.exit(1);
}

const sha = createHash("sha256");
for (const file of [bundle, node, import.meta.filename]) sha.update(readFileSync(file));
const stamp = `${SEA_NODE} ${process.platform}-${process.arch} ${sha.digest("hex")}`;
if (existsSync(out) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) {
  console.log(`${path.relative(root, out)}: up to date (${(statSync(out).size / 1024 / 1024).toFixed(1)} MB)`);
  process.exit(0);
}

mkdirSync(outDir, { recursive: true });
rmSync(stampFile, { force: true });
const blob = path.join(outDir, "sea-prep.blob");
const config = path.join(outDir, "sea-config.json");
writeFileSync(
  config,
  JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }),
);
execFileSync(node, ["--experimental-sea-config", config], { stdio: "inherit" });

copyFileSync(node, out);
if (process.platform === "darwin") execFileSync("codesign", ["--remove-signature", out]);
await inject(out, "NODE_SEA_BLOB", readFileSync(blob), {
  sentinelFuse: "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2",
  ...(process.platform === "darwin" ? { machoSegmentName: "NODE_SEA" } : {}),
});
if (process.platform === "darwin") execFileSync("codesign", ["--sign", "-", out]);
rmSync(blob);
rmSync(config);

const help = spawnSync(out, ["--help"], { encoding: "utf8" });
if (help.status !== 0 || !help.stdout.startsWith("Usage: ixpress-mock")) {
  console.error(`build:binary: ${out} --help failed (exit ${help.status}):\n${help.stderr}`);
  process.exit(1);
}
writeFileSync(stampFile, stamp);
console.log(
  `${path.relative(root, out)}: ${(statSync(out).size / 1024 / 1024).toFixed(1)} MB, Node ${SEA_NODE}, ${process.platform}-${process.arch}`,
);
