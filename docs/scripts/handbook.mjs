// Renders the handbook (docs/handbook/*.md) to static HTML pages with no outside resource.
// Links written as `op:<operationId>` point at that operation in the reference; an unknown
// operationId fails the build, so a guide cannot link to an operation that is gone.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Marked } from "marked";
import { listOperations } from "./samples.mjs";

export const HANDBOOK_DIR = path.resolve(import.meta.dirname, "../handbook");

/** The pages, in reading order. The first is the handbook's home page. */
export const HANDBOOK_PAGES = [
  { slug: "index", title: "Overview" },
  { slug: "getting-started", title: "Getting started" },
  { slug: "errors-and-retries", title: "Errors and retries" },
  { slug: "pagination", title: "Pagination" },
  { slug: "async-operations", title: "PDFs and other 202 operations" },
  { slug: "contract-testing", title: "Contract testing" },
  { slug: "quirks", title: "Quirks that bite" },
];

/** The slug Redoc gives a tag or an operation in its (hash) routes. */
export function redocSlug(text) {
  return String(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** `#/<tag>/<operationid>`: where Redoc shows an operation. */
export function operationAnchor(op) {
  const tag = op.operation.tags?.[0];
  return tag ? `#/${redocSlug(tag)}/${redocSlug(op.operationId)}` : `#/${redocSlug(op.operationId)}`;
}

export function readPage(slug) {
  return readFileSync(path.join(HANDBOOK_DIR, `${slug}.md`), "utf8");
}

/**
 * The fenced code blocks of a page: { lang, check, code }. A block whose info string is
 * `ts nocheck` is shown as TypeScript but left out of the type-check.
 */
export function codeBlocks(markdown) {
  const out = [];
  new Marked().walkTokens(new Marked().lexer(markdown), (token) => {
    if (token.type !== "code") return;
    const [lang = "", ...flags] = String(token.lang ?? "").split(/\s+/);
    out.push({ lang, check: !flags.includes("nocheck"), code: token.text });
  });
  return out;
}

const escapeHtml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #0044d4; --code: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
header { border-bottom: 1px solid var(--line); padding: 12px 24px; display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
header strong { font-size: 18px; }
header a { color: var(--accent); text-decoration: none; }
.layout { display: flex; max-width: 1200px; margin: 0 auto; }
nav { flex: 0 0 240px; padding: 24px; border-right: 1px solid var(--line); }
nav ol { list-style: none; margin: 0; padding: 0; }
nav li { margin: 4px 0; }
nav a { color: var(--ink); text-decoration: none; }
nav a[aria-current="page"] { color: var(--accent); font-weight: 600; }
main { flex: 1 1 auto; min-width: 0; padding: 8px 40px 48px; }
main a { color: var(--accent); }
h1 { font-size: 32px; line-height: 1.2; }
h2 { margin-top: 2em; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code { font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--code); padding: 1px 4px; border-radius: 4px; }
pre { background: var(--code); padding: 12px 16px; border-radius: 6px; overflow-x: auto; }
pre code { padding: 0; background: none; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
blockquote { margin: 1em 0; padding: 0 1em; color: var(--muted); border-left: 4px solid var(--line); }
footer { color: var(--muted); font-size: 14px; padding: 24px 40px; border-top: 1px solid var(--line); }
@media (max-width: 800px) { .layout { display: block; } nav { border-right: 0; border-bottom: 1px solid var(--line); } main { padding: 8px 20px 40px; } }
`;

function page({ title, slug, body }) {
  const nav = HANDBOOK_PAGES.map(
    (p) =>
      `<li><a href="${p.slug}.html"${p.slug === slug ? ' aria-current="page"' : ""}>${escapeHtml(p.title)}</a></li>`,
  ).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · InvoiceXpress API handbook</title>
<style>${STYLE}</style>
</head>
<body>
<header><strong>InvoiceXpress API v2</strong> <a href="../index.html">API reference</a> <a href="index.html">Handbook</a></header>
<div class="layout">
<nav aria-label="Handbook"><ol>
${nav}
</ol></nav>
<main>
${body}
</main>
</div>
<footer>Unofficial documentation, generated from the verified OpenAPI description. Not affiliated with InvoiceXpress.</footer>
</body>
</html>
`;
}

/** Renders one page's markdown, resolving `op:` links against the spec. */
export function renderPage(markdown, spec) {
  const ops = new Map(listOperations(spec).map((op) => [op.operationId, op]));
  const resolved = markdown.replace(/\]\(op:([A-Za-z0-9_]+)\)/g, (_, id) => {
    const op = ops.get(id);
    if (!op) throw new Error(`handbook: link to unknown operation "${id}"`);
    return `](../index.html${operationAnchor(op)})`;
  });
  return new Marked({ gfm: true }).parse(resolved);
}

/** Writes every handbook page into outDir; returns the written paths. */
export function buildHandbook({ outDir, spec }) {
  mkdirSync(outDir, { recursive: true });
  return HANDBOOK_PAGES.map((p) => {
    const file = path.join(outDir, `${p.slug}.html`);
    writeFileSync(file, page({ title: p.title, slug: p.slug, body: renderPage(readPage(p.slug), spec) }));
    return file;
  });
}
