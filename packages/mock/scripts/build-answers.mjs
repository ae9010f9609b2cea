// Build step: converts the bundled description to Prism's operations once (dist/operations.json)
// and asks Prism, through its public API, for every answer a client can get from the
// named examples of the bundled description (each operation; no Prefer, each documented status,
// each named example with and without its status; the usual Accept values) and writes them to
// dist/answers.json. The mock serves these and loads Prism only for what is not there.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { deref, listOperations, loadSpec, specJsonPath } from "@ixpress/openapi";
import { answerKey, ask, BUILT_ACCEPTS, createPrism, importPrism, specHash } from "../dist/engine.js";

const started = performance.now();
const spec = loadSpec();
const prism = await importPrism();
const operations = await prism.getHttpOperationsFromSpec(specJsonPath);
if (operations.length === 0) throw new Error(`no operations in ${specJsonPath}`);
const instance = createPrism(prism, false);
const version = JSON.parse(
  readFileSync(new URL(import.meta.resolve("@stoplight/prism-http/package.json")), "utf8"),
).version;

const answers = [];
const index = new Map();
const keys = {};
let asked = 0;
for (const op of listOperations(spec)) {
  // Any value routes to a templated segment; the answer does not depend on it.
  const path = op.path.replace(/\{[^}]+\}/g, "1");
  const prefers = [{}];
  for (const [status, raw] of Object.entries(op.operation.responses ?? {})) {
    if (!/^\d{3}$/.test(status)) continue;
    prefers.push({ code: Number(status) });
    const media = deref(spec, deref(spec, raw)?.content?.["application/json"]);
    for (const exampleKey of Object.keys(media?.examples ?? {})) {
      prefers.push({ code: Number(status), exampleKey }, { exampleKey });
    }
  }
  for (const prefer of prefers) {
    for (const accept of BUILT_ACCEPTS) {
      const key = answerKey(op.method, op.path, prefer.code, prefer.exampleKey, accept);
      if (key in keys) continue;
      const headers = accept === "" ? {} : { accept };
      const input = { method: op.method, url: { path, query: {} }, headers };
      asked++;
      const answer = await ask(instance, operations, input, prefer, false);
      if (!answer.ok) continue;
      const text = JSON.stringify(answer);
      let at = index.get(text);
      if (at === undefined) {
        at = answers.length;
        answers.push(answer);
        index.set(text, at);
      }
      keys[key] = at;
    }
  }
}
mkdirSync(new URL("../dist/", import.meta.url), { recursive: true });
const specSha256 = specHash(specJsonPath);
writeFileSync(
  new URL("../dist/answers.json", import.meta.url),
  JSON.stringify({ specSha256, prism: version, answers, keys }),
);
// The operations too, converted once: the mock reads them when it loads Prism for the rest.
writeFileSync(new URL("../dist/operations.json", import.meta.url), JSON.stringify({ specSha256, operations }));
console.log(
  `dist/answers.json: ${Object.keys(keys).length} answers of Prism ${version} (${answers.length} distinct, ${asked} asked) for ${operations.length} operations in ${Math.round(performance.now() - started)} ms`,
);
