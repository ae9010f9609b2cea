// Bundle size (esbuild, minified, gzipped) of a consumer that creates a client and calls one
// operation, beside the same consumer written with openapi-fetch alone.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

const consumers = {
  "openapi-fetch alone": `import createClient from "openapi-fetch";
const c = createClient({ baseUrl: "https://acme.app.invoicexpress.com" });
c.GET("/clients.json", { params: { query: { page: 1 } } }).then((r) => console.log(r.data));`,
  "@ixpress/client": `import { createClient } from "@ixpress/client";
const c = createClient({ accountName: "acme", apiKey: "k" });
c.GET("/clients.json", { params: { query: { page: 1 } } }).then((r) => console.log(r.data));`,
  "@ixpress/client, retry, rateLimit and log off": `import { createClient } from "@ixpress/client";
const c = createClient({ accountName: "acme", apiKey: "k", retry: false, rateLimit: false, timeoutMs: 0 });
c.GET("/clients.json", { params: { query: { page: 1 } } }).then((r) => console.log(r.data));`,
};

async function measure(contents) {
  const out = await build({
    metafile: true,
    stdin: { contents, resolveDir: root, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const code = out.outputFiles[0].contents;
  // Minified bytes each of the package's modules puts in the bundle.
  const inputs = Object.values(out.metafile.outputs)[0].inputs;
  const modules = Object.entries(inputs)
    .filter(([file]) => file.startsWith("dist/"))
    .map(([file, { bytesInOutput }]) => [file.slice("dist/".length).replace(/\.js$/, ""), bytesInOutput]);
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, modules };
}

export async function size() {
  const result = {};
  for (const [name, code] of Object.entries(consumers)) result[name] = await measure(code);
  const base = result["openapi-fetch alone"];
  const ours = result["@ixpress/client"];
  return {
    openapiFetch: base,
    client: ours,
    extraGzipped: ours.gzipped - base.gzipped,
    off: result["@ixpress/client, retry, rateLimit and log off"],
    root: path.relative(process.cwd(), root) || ".",
  };
}
