// Builds the API reference into docs/dist/index.html: Redoc with its JavaScript inlined
// (--inlineBundle), so the page renders with no network at all.
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const docs = path.resolve(import.meta.dirname, "..");
const spec = require.resolve("@ixpress/openapi/openapi.yaml");
const redocly = path.join(path.dirname(require.resolve("@redocly/cli/package.json")), "bin", "cli.js");
const out = path.join(docs, "dist", "index.html");
mkdirSync(path.dirname(out), { recursive: true });
const started = Date.now();
execFileSync(
  process.execPath,
  [redocly, "build-docs", spec, "-o", out, "--inlineBundle", "--title", "InvoiceXpress API v2 (unofficial, verified)"],
  { cwd: docs, env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" }, stdio: ["ignore", "ignore", "pipe"] },
);
console.log(`docs: ${path.relative(docs, out)} (${(statSync(out).size / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms`);
