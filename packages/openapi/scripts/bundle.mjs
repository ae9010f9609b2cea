// Bundles the hand-written, multi-file spec (../../spec/openapi.yaml) into one file per
// format at the package root: openapi.yaml and openapi.json. Both are build outputs.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, "..");
const root = path.resolve(pkg, "../..");
const require = createRequire(import.meta.url);
const redocly = path.join(path.dirname(require.resolve("@redocly/cli/package.json")), "bin", "cli.js");

const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
for (const ext of ["yaml", "json"]) {
  execFileSync(
    process.execPath,
    [
      redocly,
      "bundle",
      "ixpress",
      "--config",
      path.join(root, "redocly.yaml"),
      "--ext",
      ext,
      "-o",
      path.join(pkg, `openapi.${ext}`),
    ],
    { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] },
  );
}
const spec = JSON.parse(readFileSync(path.join(pkg, "openapi.json"), "utf8"));
const operations = Object.values(spec.paths).flatMap((item) =>
  Object.keys(item).filter((k) => ["get", "put", "post", "delete", "patch", "head", "options"].includes(k)),
);
console.log(
  `bundled ${Object.keys(spec.paths).length} paths, ${operations.length} operations -> openapi.yaml, openapi.json`,
);

// The README's coverage table is generated from the same bundle.
execFileSync(process.execPath, [path.join(here, "coverage.mjs")], { stdio: "inherit" });
