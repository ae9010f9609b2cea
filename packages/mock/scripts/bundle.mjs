// Build step: the CLI as one file, dist/ixpress-mock.cjs, with everything it needs (Prism, the
// operations, the sandbox, the description), runnable as `node ixpress-mock.cjs` from an empty
// folder on Node 20 or newer. It is also the script of the single executable (build-binary.mjs).
//
// Plain esbuild: the CLI (dist/cli.js, built by tsc) and every module it imports, with their
// data files carried as a virtual module (see bundle-entry.cjs), and the licence texts of every
// bundled package appended as a comment.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { specJsonPath } from "@ixpress/openapi";
import { build } from "esbuild";

const here = import.meta.dirname;
const root = path.resolve(here, "..");
const out = path.join(root, "dist", "ixpress-mock.cjs");
const version = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version;

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
// The description, the control endpoints' description, and the data files the build step writes
// beside the modules (dist/*.json: what the engine reads instead of converting the description).
const built = readdirSync(path.join(root, "dist")).filter((f) => f.endsWith(".json"));
const files = [
  ["openapi.json", readFileSync(specJsonPath)],
  ["control-openapi.json", readFileSync(path.join(root, "control-openapi.json"))],
  ...built.map((f) => [`dist/${f}`, readFileSync(path.join(root, "dist", f))]),
].map(([name, bytes]) => ({ name, sha256: sha256(bytes), gzip: gzipSync(bytes, { level: 9 }).toString("base64") }));
const id = sha256(`${version}\n${files.map((f) => `${f.name} ${f.sha256}`).join("\n")}`).slice(0, 16);

/** The data files, as the module `ixpress-mock:assets`. */
const assets = {
  name: "ixpress-mock-assets",
  setup(b) {
    b.onResolve({ filter: /^ixpress-mock:assets$/ }, (args) => ({ path: args.path, namespace: "ixpress-assets" }));
    b.onLoad({ filter: /.*/, namespace: "ixpress-assets" }, () => ({
      contents: `module.exports = ${JSON.stringify({ id, files })};`,
      loader: "js",
    }));
  },
};

/**
 * jsonc-parser's "main" is a UMD wrapper that hands `require` to a factory, which no bundler can
 * follow; its ES module build (same package, same version) is the same code with plain imports.
 */
const esmJsonc = {
  name: "jsonc-parser-esm",
  setup(b) {
    b.onResolve({ filter: /^jsonc-parser$/ }, (args) =>
      b.resolve("jsonc-parser/lib/esm/main.js", { kind: args.kind, resolveDir: args.resolveDir }),
    );
  },
};

/**
 * tr46 (under node-fetch, which Prism's proxy uses) requires Node's deprecated `punycode`
 * module, which prints a warning on Node 22 and later; the npm package of the same name and
 * API takes its place in the bundle.
 */
const punycode = {
  name: "punycode-package",
  setup(b) {
    b.onResolve({ filter: /^punycode$/ }, (args) => b.resolve("punycode/", { kind: args.kind, resolveDir: root }));
  },
};

const result = await build({
  entryPoints: [path.join(here, "bundle-entry.cjs")],
  outfile: out,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  minify: true,
  legalComments: "none",
  define: { "import.meta.url": "globalThis.__ixpressMockUrl" },
  banner: {
    js: `#!/usr/bin/env node\n// @ixpress/mock ${version}: the ixpress-mock CLI as one file. MIT; the licences of the bundled packages are at the end.`,
  },
  plugins: [assets, esmJsonc, punycode],
  metafile: true,
  logLevel: "warning",
});

/** The licence text of every bundled package, from its own folder. */
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!match) continue;
  const dir = path.resolve(match[1]);
  if (packages.has(dir)) continue;
  const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  const licenceFile = readdirSync(dir).find((f) => /^(licen[sc]e|copying)(\.|$)/i.test(f));
  packages.set(dir, {
    name: `${pkg.name}@${pkg.version}`,
    license: typeof pkg.license === "string" ? pkg.license : JSON.stringify(pkg.license ?? pkg.licenses ?? "UNKNOWN"),
    text:
      licenceFile && statSync(path.join(dir, licenceFile)).isFile()
        ? readFileSync(path.join(dir, licenceFile), "utf8").trim()
        : "",
  });
}
const notices = [...packages.values()]
  .sort((a, b) => a.name.localeCompare(b.name))
  .map((p) => `${p.name} (${p.license})${p.text ? `\n\n${p.text}` : ""}`)
  .join("\n\n----\n\n")
  .replaceAll("*/", "* /");
writeFileSync(out, `${readFileSync(out, "utf8")}/*\nBundled packages and their licences:\n\n${notices}\n*/\n`, {
  mode: 0o755,
});

const size = statSync(out).size;
console.log(
  `dist/ixpress-mock.cjs: ${(size / 1024 / 1024).toFixed(1)} MB, ${packages.size} packages bundled${existsSync(out) ? "" : " (missing!)"}`,
);
