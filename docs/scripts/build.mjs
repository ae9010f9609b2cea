// Builds the offline documentation site into docs/dist/:
//   index.html            the landing page: what the project is, where to go
//   reference.html        the API reference: Redoc with its JavaScript inlined (--inlineBundle),
//                         from a copy of the bundled spec decorated with x-codeSamples (one
//                         TypeScript and one curl sample per request example) and, on every
//                         operation, links to the guides that explain it and to the console;
//                         change-state operations get their state table from x-transitions
//   handbook/*.html       the guides, from handbook/*.md; try.html (the console against the
//                         local mock: swagger-ui, with console-spec.js) and changelog.html
//                         (from .changeset/*.md)
//   vendor/swagger-ui/    swagger-ui-dist's bundle, stylesheet and licence, copied at build
//   search-index.js       one search index of the guides' sections and the operations
// Every link of every page is checked (links.mjs): a dead one fails the build.
//   openapi.json|yaml     the bundled spec as published in @ixpress/openapi (undecorated)
//   sandbox-controls.html the mock's sandbox control endpoints (Redoc, from @ixpress/mock's
//                         control-openapi.json, copied beside it as sandbox-controls.openapi.json)
// Nothing on any page asks for a resource outside the site (the docs tests check it in Chromium).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { buildConsole } from "./console.mjs";
import {
  buildChangelog,
  buildHandbook,
  consoleAnchor,
  guidesByOperation,
  HANDBOOK_PAGES,
  page,
  REFERENCE,
  searchIndex,
} from "./handbook.mjs";
import { checkLinks } from "./links.mjs";
import { decorate, listOperations } from "./samples.mjs";
import { renderTransitions } from "./transitions.mjs";

const require = createRequire(import.meta.url);
const docs = path.resolve(import.meta.dirname, "..");
const dist = path.join(docs, "dist");
const work = path.join(docs, ".build");
const specJson = require.resolve("@ixpress/openapi/openapi.json");
const specYaml = require.resolve("@ixpress/openapi/openapi.yaml");
/** The sandbox control endpoints' own description (served by the mock at /__sandbox/openapi.json). */
const controlsJson = require.resolve("@ixpress/mock/control-openapi.json");
export const CONTROLS = "sandbox-controls.html";
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

// Redoc 3 draws a sample's label on one line in a button as wide as the label, and the label
// names the example ("TypeScript: Create an invoice with every field (official example…"),
// so at 1280 px it ran past the samples panel; a long code line did the same inside its box.
// The labels wrap inside the panel, and code lines wrap rather than hide behind a scroll bar.
// Redoc's own class names are hashed; these rules hold on to its stable ones.
export const REFERENCE_STYLE = `
.panel-request-samples { min-width: 0; }
.panel-request-samples .button { white-space: normal; max-width: 100%; height: auto; min-height: 2em; text-align: start; overflow-wrap: anywhere; }
.panel-request-samples .button > * { min-width: 0; }
.panel-request-samples :has(> :has(> .button)) { flex-wrap: wrap; row-gap: 4px; }
.panel-request-samples :has(> .button) { min-width: 0; max-width: 100%; }
.panel-request-samples pre, .panel-request-samples pre code { white-space: pre-wrap; overflow-wrap: anywhere; }
`;

/** Adds the reference's own rules after Redoc's styles (the build fails if the page has no </head>). */
export function styleReference(html) {
  if (!html.includes("</head>")) throw new Error("docs: reference.html has no </head> for the samples' style");
  return html.replace("</head>", `<style id="ix-reference-style">${REFERENCE_STYLE}</style>\n</head>`);
}

/** The handbook's table of contents, added to the reference's introduction. */
function handbookIntro() {
  return (
    `**[Home](index.html)** · **[Handbook](handbook/index.html)** · [Try it against the mock](handbook/try.html) · ` +
    `[Changelog](handbook/changelog.html). The bundled description: [openapi.json](openapi.json), [openapi.yaml](openapi.yaml).\n\n`
  );
}

/** A "Handbook" section at the end of the introduction: Redoc gives it an entry in the sidebar. */
function handbookSection() {
  const links = [
    ...HANDBOOK_PAGES,
    { slug: "try", title: "Try it against the mock" },
    { slug: "changelog", title: "Changelog" },
  ]
    .map((p) => `- [${p.title}](handbook/${p.slug}.html)`)
    .join("\n");
  return `\n\n# Handbook\n\nGuides to the client and the mock; each operation below links to the guide that explains it.\n\n${links}\n`;
}

/** Adds to each operation's description the guides that explain it and a link to the console. */
function linkOperations(decorated, guides) {
  for (const op of listOperations(decorated)) {
    const list = guides.get(op.operationId).map((g) => `[${g.title}](handbook/${g.slug}.html)`);
    const tryIt = `[send its example to the local mock](handbook/try.html${consoleAnchor(op)})`;
    op.operation.description =
      `${op.operation.description ?? ""}\n\n**Guide:** ${list.join(" · ")} · **Try it:** ${tryIt}`.trimStart();
  }
}

/** The Redoc options: one code-sample "language" per sample label (Redoc matches on it), and the raw body. */
function redocConfig(decorated) {
  const labels = new Map();
  for (const op of listOperations(decorated))
    for (const s of op.operation["x-codeSamples"]) if (!labels.has(s.label)) labels.set(s.label, s.lang);
  const order = [...labels].sort(([a], [b]) => Number(a.includes(":")) - Number(b.includes(":")));
  const lines = [
    "# Generated by docs/scripts/build.mjs from the samples: one entry per sample label.",
    "openapi:",
    "  codeSamples:",
    "    languages:",
    ...order.map(([label, lang]) => `      - { lang: ${JSON.stringify(lang)}, label: ${JSON.stringify(label)} }`),
    '      - { lang: "Payload", label: "Payload" }',
    "  disableTelemetry: true",
  ];
  return `${lines.join("\n")}\n`;
}

function landing(spec, counts) {
  const guides = HANDBOOK_PAGES.slice(1)
    .map((p) => `<li><a href="handbook/${p.slug}.html">${p.title}</a></li>`)
    .join("");
  const body = `<h1>InvoiceXpress API v2, verified</h1>
<p>An unofficial, open-source toolkit for the <a href="${REFERENCE}">InvoiceXpress REST API v2</a>: a hand-written OpenAPI 3.1 description checked against the official documentation, a typed TypeScript client that never repeats an invoice creation blindly (<code>@ixpress/client</code>), and a contract mock for your tests (<code>@ixpress/mock</code>). ${counts.operations} operations, everything offline.</p>
<div class="table"><table><tbody>
<tr><th>You want to…</th><th>Go to</th></tr>
<tr><td>make your first call</td><td><a href="handbook/getting-started.html">Getting started</a></td></tr>
<tr><td>look up an operation, its fields and samples</td><td><a href="${REFERENCE}">API reference</a></td></tr>
<tr><td>send a request without an account</td><td><a href="handbook/try.html">Try it against the mock</a></td></tr>
<tr><td>read the guides</td><td><ul>${guides}</ul></td></tr>
<tr><td>see what changed</td><td><a href="handbook/changelog.html">Changelog</a></td></tr>
<tr><td>use the description itself</td><td><a href="openapi.json">openapi.json</a> · <a href="openapi.yaml">openapi.yaml</a></td></tr>
</tbody></table></div>
<p>Search above finds guides and operations alike.</p>`;
  return page({ title: spec.info.title ?? "Home", slug: "home", body, up: "", nav: false });
}

/**
 * The reference and the console speak to users: the spec's `x-evidence` (the sources of a
 * modelling choice, for maintainers) is left out of the pages and their search index. It stays in
 * the published openapi.json.
 */
function withoutEvidence(node) {
  if (Array.isArray(node)) return node.map(withoutEvidence);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== "x-evidence")
      .map(([key, value]) => [key, withoutEvidence(value)]),
  );
}

/** `redocly build-docs` with these arguments. */
function redoc(args) {
  try {
    execFileSync(process.execPath, [redocly, "build-docs", ...args], {
      cwd: docs,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (err) {
    // Only the real error: redocly prints a Node 20 deprecation banner on every run.
    process.stderr.write(String(err.stderr ?? err.message));
    throw new Error("docs: redocly build-docs failed");
  }
}

function main() {
  const started = process.hrtime.bigint();
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  mkdirSync(work, { recursive: true });

  const spec = withoutEvidence(JSON.parse(readFileSync(specJson, "utf8")));
  const decorated = decorate(spec);
  decorated.info.description = handbookIntro() + (decorated.info.description ?? "") + handbookSection();
  const guides = guidesByOperation(spec);
  renderTransitions(listOperations(decorated));
  linkOperations(decorated, guides);
  const decoratedPath = path.join(work, "openapi.docs.json");
  writeFileSync(decoratedPath, `${JSON.stringify(decorated, null, 2)}\n`);
  const configPath = path.join(work, "redocly.docs.yaml");
  writeFileSync(configPath, redocConfig(decorated));

  const raw = path.join(work, "reference.html");
  redoc([decoratedPath, "-o", raw, "--inlineBundle", "--config", configPath, "--title", TITLE]);
  const controlsRaw = path.join(work, CONTROLS);
  redoc([controlsJson, "-o", controlsRaw, "--inlineBundle", "--title", "ixpress-mock sandbox controls"]);
  writeFileSync(path.join(dist, CONTROLS), localiseBadge(readFileSync(controlsRaw, "utf8")));
  copyFileSync(controlsJson, path.join(dist, "sandbox-controls.openapi.json"));
  const reference = path.join(dist, REFERENCE);
  writeFileSync(reference, styleReference(localiseBadge(readFileSync(raw, "utf8"))));
  const referenceDone = process.hrtime.bigint();

  const handbookDir = path.join(dist, "handbook");
  const pages = buildHandbook({ outDir: handbookDir, spec });
  const consolePage = buildConsole({ outDir: handbookDir, dist, spec });
  const changelog = buildChangelog({ outDir: handbookDir, root: path.resolve(docs, "..") });
  const index = searchIndex(spec);
  writeFileSync(path.join(dist, "search-index.js"), `window.IX_SEARCH=${JSON.stringify(index)};\n`);
  writeFileSync(path.join(dist, "index.html"), landing(spec, { operations: listOperations(spec).length }));
  copyFileSync(specJson, path.join(dist, "openapi.json"));
  copyFileSync(specYaml, path.join(dist, "openapi.yaml"));
  const links = checkLinks(dist, spec);
  const done = process.hrtime.bigint();

  const metrics = {
    operations: listOperations(spec).length,
    codeSamples: listOperations(decorated).reduce((n, op) => n + op.operation["x-codeSamples"].length, 0),
    referenceBytes: statSync(reference).size,
    referenceMs: Number((referenceDone - started) / 1_000_000n),
    handbookPages: pages.length,
    consoleOperations: consolePage.operations,
    changesets: changelog.changesets,
    searchEntries: index.length,
    linksChecked: links,
    totalMs: Number((done - started) / 1_000_000n),
  };
  writeFileSync(path.join(work, "metrics.json"), `${JSON.stringify(metrics, null, 2)}\n`);
  console.log(
    `docs: dist/${REFERENCE} ${(metrics.referenceBytes / 1024).toFixed(0)} KiB, ${metrics.operations} operations, ` +
      `${metrics.codeSamples} code samples, built in ${metrics.referenceMs} ms; ` +
      `${metrics.handbookPages} guides, ${index.length} search entries, ${links} links checked; ${metrics.totalMs} ms in all`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main();
