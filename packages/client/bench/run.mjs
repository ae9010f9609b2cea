// `pnpm bench`: prints the figures (not a timed test). Needs `pnpm build` first (turbo does it).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { installedNode, NODE_VERSIONS } from "../../../scripts/nodes.mjs";
import { overhead } from "./overhead.mjs";
import { own } from "./own.mjs";
import { size } from "./size.mjs";
import { tscCheck } from "./tsc.mjs";

const kb = (n) => `${(n / 1024).toFixed(2)} kB`;
const mark = (ok) => (ok ? "ok" : "OVER TARGET");

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
console.log(`Node ${process.version}, ${cpus().length} cores, load average at the start ${load()}`);
const src = new URL("../src/", import.meta.url);
const lines = readdirSync(src)
  .filter((f) => f.endsWith(".ts"))
  .reduce((n, f) => n + readFileSync(new URL(f, src), "utf8").split("\n").length - 1, 0);
console.log(
  `hand-written source (src/*.ts, generated/ excluded): ${lines} lines, comments included (target ≤ 1300: ${mark(lines <= 1300)})`,
);

const s = await size();
console.log("bundle size (esbuild --minify, gzip -9), consumer creating a client and calling one operation:");
console.log(`  openapi-fetch alone  ${kb(s.openapiFetch.minified)} min, ${kb(s.openapiFetch.gzipped)} gzipped`);
console.log(`  @ixpress/client      ${kb(s.client.minified)} min, ${kb(s.client.gzipped)} gzipped`);
console.log(
  `  difference           +${kb(s.extraGzipped)} gzipped (target ≤ +3.00 kB: ${mark(s.extraGzipped <= 3072)})`,
);
console.log(
  `  minified bytes by module: ${s.client.modules
    .sort((a, b) => b[1] - a[1])
    .map(([m, n]) => `${m} ${n}`)
    .join(", ")}`,
);
console.log(
  `  retry, rateLimit, timeout off: ${kb(s.off.minified)} min, ${kb(s.off.gzipped)} gzipped (+${kb(s.off.gzipped - s.openapiFetch.gzipped)})`,
);

const t = tscCheck("tsconfig.consumer.json");
const b = tscCheck("tsconfig.baseline.json");
const inst = t.instantiations / b.instantiations;
console.log("type-check of a consumer file making five calls, tsc --extendedDiagnostics, median of 3:");
console.log(
  `  openapi-fetch alone  check ${b.checkS.toFixed(2)} s, total ${b.totalS.toFixed(2)} s, ${b.instantiations} instantiations, ${b.types} types`,
);
console.log(
  `  @ixpress/client      check ${t.checkS.toFixed(2)} s (target ≤ 0.5 s: ${mark(t.checkS <= 0.5)}), total ${t.totalS.toFixed(2)} s, ${t.instantiations} instantiations, ${t.types} types`,
);
console.log(
  `  instantiations, exact types included: ${inst.toFixed(2)}× openapi-fetch alone (target ≤ 1.20×: ${mark(inst <= 1.2)})`,
);

// Per call, on this Node and on each other installed one (scripts/nodes.mjs): undici's cost for
// the AbortSignal of the timeout differs from one to the next.
const others = NODE_VERSIONS.map(installedNode).filter(Boolean);
const runs = [{ ...(await overhead()), own: await own() }];
for (const bin of others) {
  const r = spawnSync(bin, [fileURLToPath(new URL("./overhead.mjs", import.meta.url))], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status === 0) runs.push(JSON.parse(r.stdout.trim().split("\n").pop()));
  else console.log(`  (the run on ${bin} failed: exit ${r.status})`);
}
console.log(
  `per call, on each installed Node: own time with a fetch that answers at once (no network), then time on a loopback server (${runs[0].calls} calls each, median of rounds):`,
);
for (const o of runs) {
  const w = o.own;
  const us = (k) => `${w[k].toFixed(2)} µs`;
  const perCall = o.clientUs / o.openapiFetchUs;
  const c = o.cpuUs;
  console.log(`  Node ${o.node}:`);
  console.log(
    `    own time: fetch alone ${us("fetch alone")}, openapi-fetch ${us("openapi-fetch")}, @ixpress/client ${us("@ixpress/client")} (+${(w["@ixpress/client"] - w["openapi-fetch"]).toFixed(2)} µs), retry, rateLimit, timeout off ${us("@ixpress/client, layers off")} (+${(w["@ixpress/client, layers off"] - w["openapi-fetch"]).toFixed(2)} µs)`,
  );
  console.log(
    `    wall: raw fetch ${o.rawUs.toFixed(1)} µs, with a signal ${o.rawSignalUs.toFixed(1)} µs (${(o.rawSignalUs / o.rawUs).toFixed(3)}×), openapi-fetch ${o.openapiFetchUs.toFixed(1)} µs, @ixpress/client ${o.clientUs.toFixed(1)} µs, timeoutMs 0 ${o.noTimeoutUs.toFixed(1)} µs`,
  );
  console.log(
    `    @ixpress/client, default options: ${o.pairedRatio.toFixed(3)}× openapi-fetch, median of the rounds' ratios (target ≤ 1.10×: ${mark(o.pairedRatio <= 1.1)}); ratio of the medians ${perCall.toFixed(3)}×; timeoutMs 0: ${o.pairedNoTimeoutRatio.toFixed(3)}×`,
  );
  console.log(
    `    CPU of the calling process: raw fetch ${c.raw.toFixed(1)} µs, with a signal ${c.rawSignal.toFixed(1)} µs, openapi-fetch ${c.openapiFetch.toFixed(1)} µs, @ixpress/client ${c.client.toFixed(1)} µs (${(c.client / c.openapiFetch).toFixed(3)}×), timeoutMs 0: ${(c.noTimeout / c.openapiFetch).toFixed(3)}×`,
  );
}
console.log(`load average at the end ${load()}`);
