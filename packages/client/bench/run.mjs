// `pnpm bench`: prints the figures (not a timed test). Needs `pnpm build` first (turbo does it).
import { overhead } from "./overhead.mjs";
import { size } from "./size.mjs";
import { tscCheck } from "./tsc.mjs";

const kb = (n) => `${(n / 1024).toFixed(2)} kB`;
const mark = (ok) => (ok ? "ok" : "OVER TARGET");

const s = await size();
console.log("bundle size (esbuild --minify, gzip -9), consumer creating a client and calling one operation:");
console.log(`  openapi-fetch alone  ${kb(s.openapiFetch.minified)} min, ${kb(s.openapiFetch.gzipped)} gzipped`);
console.log(`  @ixpress/client      ${kb(s.client.minified)} min, ${kb(s.client.gzipped)} gzipped`);
console.log(
  `  difference           +${kb(s.extraGzipped)} gzipped (target ≤ +1.50 kB: ${mark(s.extraGzipped <= 1536)})`,
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

const o = await overhead();
console.log(`per-call time on a loopback server (${o.calls} calls each, median of rounds):`);
console.log(`  raw fetch        ${o.rawUs.toFixed(1)} µs`);
console.log(`  openapi-fetch    ${o.openapiFetchUs.toFixed(1)} µs  (${o.openapiFetchRatio.toFixed(3)}×)`);
console.log(`  @ixpress/client, timeoutMs: 0  ${o.noTimeoutUs.toFixed(1)} µs  (${o.noTimeoutRatio.toFixed(3)}×)`);
console.log(`  @ixpress/client  ${o.clientUs.toFixed(1)} µs  (${o.ratio.toFixed(3)}× raw fetch)`);
const perCall = o.clientUs / o.openapiFetchUs;
console.log(
  `  @ixpress/client, default options: ${perCall.toFixed(3)}× openapi-fetch (target ≤ 1.05×: ${mark(perCall <= 1.05)}); timeoutMs 0: ${(o.noTimeoutUs / o.openapiFetchUs).toFixed(3)}×`,
);
const c = o.cpuUs;
console.log(
  `  CPU time of the calling process: raw fetch ${c.raw.toFixed(1)} µs, openapi-fetch ${c.openapiFetch.toFixed(1)} µs, @ixpress/client ${c.client.toFixed(1)} µs (${(c.client / c.openapiFetch).toFixed(3)}× openapi-fetch), timeoutMs 0: ${(c.noTimeout / c.openapiFetch).toFixed(3)}×`,
);
