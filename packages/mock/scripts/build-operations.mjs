// Build step: converts the bundled description to Prism's operations once, so that the mock
// starts by reading one JSON file instead of dereferencing and transforming the spec.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { specJsonPath } from "@ixpress/openapi";

const require = createRequire(import.meta.url);
const { getHttpOperationsFromSpec } = require("@stoplight/prism-http");
const operations = await getHttpOperationsFromSpec(specJsonPath);
if (operations.length === 0) throw new Error(`no operations in ${specJsonPath}`);
const specSha256 = createHash("sha256").update(readFileSync(specJsonPath)).digest("hex");
const out = new URL("../dist/operations.json", import.meta.url);
mkdirSync(new URL("../dist/", import.meta.url), { recursive: true });
writeFileSync(out, JSON.stringify({ specSha256, operations }));
console.log(`dist/operations.json: ${operations.length} operations`);
