// Type-check time and instantiation count of bench/consumer.ts (five calls through
// @ixpress/client, against the built package) and of the same calls with openapi-fetch alone,
// as `tsc --extendedDiagnostics` reports them. The median of a few runs.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

export function tscCheck(project = "tsconfig.consumer.json", runs = 3) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [tsc, "-p", project, "--extendedDiagnostics"], {
      cwd: here,
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
    const num = (label) => Number(new RegExp(`^${label}:\\s+([\\d.]+)`, "m").exec(r.stdout)?.[1]);
    results.push({
      checkS: num("Check time"),
      totalS: num("Total time"),
      instantiations: num("Instantiations"),
      types: num("Types"),
    });
  }
  results.sort((a, b) => a.checkS - b.checkS);
  return results[Math.floor(results.length / 2)];
}
