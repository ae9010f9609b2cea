// `pnpm bench` (after `pnpm build` and `pnpm --filter @ixpress/mock build:binary`): the size and
// start-up time of the mock's three forms, in one run on one machine:
//   - the package's CLI, `node dist/cli.js` (Prism and the rest from node_modules),
//   - the one file, `node ixpress-mock.cjs`, copied alone into an empty folder,
//   - the single executable, dist/bin/ixpress-mock (no Node needed).
// Start-up is the time from spawning the process to its "listening on" line (it prints it once
// it answers), with `--stateful --port 0`; the runs of the three forms alternate, and the median
// of each is printed with the Node version and the machine's load.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { installedNode } from "../../../scripts/nodes.mjs";

const root = path.resolve(import.meta.dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const bundle = path.join(root, "dist", "ixpress-mock.cjs");
const binary = path.join(root, "dist", "bin", process.platform === "win32" ? "ixpress-mock.exe" : "ixpress-mock");

function startup(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, [...args, "--stateful", "--port", "0"], { cwd, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("listening on")) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        child.kill("SIGTERM");
        child.once("exit", () => {
          clearTimeout(timer);
          resolve(ms);
        });
      }
    });
    child.once("exit", (code) => {
      if (!out.includes("listening on")) reject(new Error(`${command} ${args.join(" ")} exited with ${code}: ${out}`));
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (file) => `${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`;

const empty = mkdtempSync(path.join(os.tmpdir(), "ixpress-bench-"));
try {
  const forms = [["package CLI: node dist/cli.js", process.execPath, [path.join(root, "dist", "cli.js")], root, null]];
  if (existsSync(bundle)) {
    copyFileSync(bundle, path.join(empty, "ixpress-mock.cjs"));
    forms.push(["one file: node ixpress-mock.cjs", process.execPath, ["ixpress-mock.cjs"], empty, mb(bundle)]);
    // The same file on the Node inside the executable: what the executable's code cache saves.
    const stamp = path.join(root, "dist", "bin", "ixpress-mock.stamp"); // "<its Node version> <platform> <hash>"
    const seaVersion = existsSync(stamp) ? readFileSync(stamp, "utf8").split(" ")[0] : undefined;
    const seaNode = seaVersion && installedNode(seaVersion);
    if (seaNode) forms.push([`one file on Node ${seaVersion}`, seaNode, ["ixpress-mock.cjs"], empty, null]);
  } else console.log("bench-binary: no dist/ixpress-mock.cjs (pnpm build)");
  if (existsSync(binary)) forms.push(["single executable", binary, [], empty, mb(binary)]);
  else console.log("bench-binary: no dist/bin/ixpress-mock (pnpm --filter @ixpress/mock build:binary)");

  const times = forms.map(() => []);
  const loadBefore = os.loadavg()[0];
  for (const form of forms) await startup(form[1], form[2], form[3]); // once each, unmeasured: the page cache
  for (let run = 0; run < RUNS; run++) {
    for (const [i, form] of forms.entries()) times[i].push(await startup(form[1], form[2], form[3]));
  }
  console.log(
    `\nmock start-up to the "listening on" line (--stateful --port 0), median of ${RUNS} alternating runs; ` +
      `Node ${process.version} for the first two, ${os.cpus().length} cores, load ${loadBefore.toFixed(2)} before / ` +
      `${os.loadavg()[0].toFixed(2)} after`,
  );
  for (const [i, [label, , , , size]] of forms.entries()) {
    const m = median(times[i]);
    console.log(
      `  ${label.padEnd(32)} ${m.toFixed(0).padStart(6)} ms  (min ${Math.min(...times[i]).toFixed(0)}, max ${Math.max(...times[i]).toFixed(0)})${size ? `  ${size}` : ""}`,
    );
  }
} finally {
  rmSync(empty, { recursive: true, force: true });
}
