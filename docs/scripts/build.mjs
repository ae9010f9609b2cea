// Builds the offline documentation site into docs/dist/:
//   index.html            the API reference: Redoc with its JavaScript inlined (--inlineBundle),
//                         from a copy of the bundled spec decorated with x-codeSamples
//   handbook/*.html       the guides, from handbook/*.md
//   openapi.json|yaml     the bundled spec as published in @ixpress/openapi (undecorated)
// Nothing on any page asks for a resource outside the site (the docs tests check it in Chromium).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { buildHandbook, HANDBOOK_PAGES } from "./handbook.mjs";
import { decorate, listOperations } from "./samples.mjs";

const require = createRequire(import.meta.url);
const docs = path.resolve(import.meta.dirname, "..");
const dist = path.join(docs, "dist");
const work = path.join(docs, ".build");
const specJson = require.resolve("@ixpress/openapi/openapi.json");
const specYaml = require.resolve("@ixpress/openapi/openapi.yaml");
const redocly = path.join(path.dirname(require.resolve("@redocly/cli/package.json")), "bin", "cli.js");
const TITLE = "InvoiceXpress API v2 (unofficial, verified)";

// Redoc 3 always shows a "API docs by Redocly" badge whose <img> loads from the Redocly CDN,
// and no option turns it off. We point it at a small SVG of our own, inlined as a data: URI, so
// the attribution stays and the page makes no outside request. The build fails if Redoc's
// bundle changes and the URLs are not where we expect them.
const BADGE_URLS = {
  "https://cdn.redoc.ly/redoc/logo-mini-full.svg": badge("Redoc", 52),
  "https://cdn.redoc.ly/redoc/logo-mini.svg": badge("R", 14),
};
function badge(text, width) {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="14" viewBox="0 0 ${width} 14">` +
    `<text x="${width / 2}" y="11" text-anchor="middle" font-family="sans-serif" font-size="11" font-weight="600" fill="#0044d4">${text}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

/**
 * Replaces the CDN badge URLs. (The bundle names other CDN URLs, icon sets for features this
 * page does not use; the browser test proves that none of them is requested.)
 */
export function localiseBadge(html) {
  let out = html;
  for (const [url, local] of Object.entries(BADGE_URLS)) {
    const count = out.split(url).length - 1;
    if (count !== 1)
      throw new Error(`docs: expected the Redoc badge URL ${url} once in the page, found it ${count} times`);
    out = out.replaceAll(url, local);
  }
  return out;
}

/** The handbook's table of contents, added to the reference's introduction. */
function handbookIntro() {
  const links = HANDBOOK_PAGES.map((p) => `[${p.title}](handbook/${p.slug}.html)`).join(" · ");
  return `**Handbook:** ${links}. The bundled description: [openapi.json](openapi.json), [openapi.yaml](openapi.yaml).\n\n`;
}

function main() {
  const started = process.hrtime.bigint();
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  mkdirSync(work, { recursive: true });

  const spec = JSON.parse(readFileSync(specJson, "utf8"));
  const decorated = decorate(spec);
  decorated.info.description = handbookIntro() + (decorated.info.description ?? "");
  const decoratedPath = path.join(work, "openapi.docs.json");
  writeFileSync(decoratedPath, `${JSON.stringify(decorated, null, 2)}\n`);

  const raw = path.join(work, "reference.html");
  try {
    execFileSync(
      process.execPath,
      [
        redocly,
        "build-docs",
        decoratedPath,
        "-o",
        raw,
        "--inlineBundle",
        "--config",
        path.join(docs, "redocly.docs.yaml"),
        "--title",
        TITLE,
      ],
      {
        cwd: docs,
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
  } catch (err) {
    // Only the real error: redocly prints a Node 20 deprecation banner on every run.
    process.stderr.write(String(err.stderr ?? err.message));
    throw new Error("docs: redocly build-docs failed");
  }
  const reference = path.join(dist, "index.html");
  writeFileSync(reference, localiseBadge(readFileSync(raw, "utf8")));
  const referenceDone = process.hrtime.bigint();

  const pages = buildHandbook({ outDir: path.join(dist, "handbook"), spec });
  copyFileSync(specJson, path.join(dist, "openapi.json"));
  copyFileSync(specYaml, path.join(dist, "openapi.yaml"));
  const done = process.hrtime.bigint();

  const metrics = {
    operations: listOperations(spec).length,
    codeSamples: listOperations(decorated).reduce((n, op) => n + op.operation["x-codeSamples"].length, 0),
    referenceBytes: statSync(reference).size,
    referenceMs: Number((referenceDone - started) / 1_000_000n),
    handbookPages: pages.length,
    totalMs: Number((done - started) / 1_000_000n),
  };
  writeFileSync(path.join(work, "metrics.json"), `${JSON.stringify(metrics, null, 2)}\n`);
  console.log(
    `docs: dist/index.html ${(metrics.referenceBytes / 1024).toFixed(0)} KiB, ${metrics.operations} operations, ` +
      `${metrics.codeSamples} code samples, built in ${metrics.referenceMs} ms; ` +
      `${metrics.handbookPages} handbook pages; ${metrics.totalMs} ms in all`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main();
