// Renders the handbook (docs/handbook/*.md) and the site's other static pages (landing page,
// changelog, console) to HTML with no outside resource.
// Links written as `op:<operationId>` point at that operation in the reference; an unknown
// operationId fails the build, so a guide cannot link to an operation that is gone.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deref } from "@ixpress/openapi";
import { Marked } from "marked";
import { isPolled, listOperations } from "./samples.mjs";

export const HANDBOOK_DIR = path.resolve(import.meta.dirname, "../handbook");
export const REFERENCE = "reference.html";

/** The guides, in reading order. The first is the handbook's home page. */
export const HANDBOOK_PAGES = [
  { slug: "index", title: "Overview" },
  { slug: "getting-started", title: "Getting started" },
  { slug: "errors-and-retries", title: "Errors and retries" },
  { slug: "pagination", title: "Pagination" },
  { slug: "async-operations", title: "PDFs and other 202 operations" },
  { slug: "helpers", title: "Dates, amounts and NIFs" },
  { slug: "contract-testing", title: "Contract testing" },
  { slug: "sandbox", title: "A sandbox account" },
  { slug: "other-languages", title: "Contract tests from PHP, Python, Ruby and Go" },
  { slug: "quirks", title: "Quirks that bite" },
];

/** Pages of the handbook's folder that are not guides (built from data, not markdown). */
export const EXTRA_PAGES = [
  { slug: "try", title: "Try it against the mock" },
  { slug: "changelog", title: "Changelog" },
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

/**
 * `#!/<tag>/<operationId>`: where the console (swagger-ui's deep links) shows an operation.
 * swagger-ui writes `#/<tag>/<operationId>`, a tag's spaces as %20, and also reads it with a
 * `!` after the `#`; the links use that form because Redoc takes over a click on any link
 * whose fragment starts with `#/` (it is Redoc's own router), and would not leave the page.
 */
export function consoleAnchor(op) {
  const tag = op.operation.tags?.[0] ?? "default";
  const part = (s) => String(s).trim().replace(/\s/g, "%20");
  return `#!/${part(tag)}/${part(op.operationId)}`;
}

export function readPage(slug) {
  return readFileSync(path.join(HANDBOOK_DIR, `${slug}.md`), "utf8");
}

/**
 * The fenced code blocks of a page: { lang, check, run, code }. Every `ts` block is
 * type-checked and run against the mock by the docs tests; a block fenced `ts shape` only
 * shows a shape (a config file, a test file for another runner, a feature that is not there
 * yet): it is type-checked but not run. `ts shape pending` shows an API that is not in this
 * version of the packages yet: neither checked nor run (remove `pending` when it lands).
 * `ts nocheck` is neither either.
 */
export function codeBlocks(markdown) {
  const out = [];
  new Marked().walkTokens(new Marked().lexer(markdown), (token) => {
    if (token.type !== "code") return;
    const [lang = "", ...flags] = String(token.lang ?? "").split(/\s+/);
    const check = !flags.includes("nocheck") && !flags.includes("pending");
    out.push({ lang, check, run: check && !flags.includes("shape"), flags, code: token.text });
  });
  return out;
}

export const escapeHtml = (s) =>
  String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The heading ids of the pages: the heading's text as a slug. */
export const headingId = (text) => redocSlug(text.replace(/<[^>]+>/g, ""));

// Light and dark colours follow the system, and a button in the header overrides it
// (remembered in localStorage). Long tables and code scroll inside themselves, never the page.
const STYLE = `
:root { color-scheme: light dark; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #0044d4; --code: #f6f8fa; --bg: #fff; }
:root[data-theme="dark"] { --ink: #e6edf3; --muted: #9198a1; --line: #3d444d; --accent: #6ea8fe; --code: #151b23; --bg: #0d1117; }
@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { --ink: #e6edf3; --muted: #9198a1; --line: #3d444d; --accent: #6ea8fe; --code: #151b23; --bg: #0d1117; } }
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); overflow-wrap: anywhere; }
header { border-bottom: 1px solid var(--line); padding: 10px 24px; display: flex; gap: 8px 20px; align-items: center; flex-wrap: wrap; }
header strong { font-size: 18px; }
header a { color: var(--accent); text-decoration: none; }
header .search { position: relative; flex: 1 1 200px; max-width: 420px; margin-left: auto; }
header input { width: 100%; font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--ink); }
#search-results { position: absolute; z-index: 10; left: 0; right: 0; top: 100%; margin: 2px 0 0; padding: 0; list-style: none; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; max-height: 70vh; overflow-y: auto; }
#search-results:empty { display: none; }
#search-results li a { display: block; padding: 6px 10px; color: var(--ink); }
#search-results li a small { color: var(--muted); display: block; }
button, select { font: inherit; color: var(--ink); background: var(--code); border: 1px solid var(--line); border-radius: 6px; padding: 2px 10px; }
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
pre code { padding: 0; background: none; overflow-wrap: normal; }
.table { overflow-x: auto; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
blockquote { margin: 1em 0; padding: 0 1em; color: var(--muted); border-left: 4px solid var(--line); }
footer { color: var(--muted); font-size: 14px; padding: 24px 40px; border-top: 1px solid var(--line); }
textarea, input.wide { width: 100%; font: 14px/1.5 ui-monospace, monospace; background: var(--code); color: var(--ink); border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
label { display: block; margin: 12px 0 4px; font-weight: 600; }
@media (max-width: 800px) { .layout { display: block; } nav { border-right: 0; border-bottom: 1px solid var(--line); padding: 12px 20px; } nav ol { display: flex; flex-wrap: wrap; gap: 2px 14px; } main { padding: 8px 20px 40px; } header { padding: 10px 20px; } header .search { margin-left: 0; max-width: none; } footer { padding: 20px; } }
`;

// The search box: every page loads search-index.js (guides' sections, the reference's
// operations and the description's field names) and matches every word of the query against
// titles and text.
const SEARCH_SCRIPT = `
(function () {
  var input = document.getElementById("search"), list = document.getElementById("search-results");
  var root = document.documentElement.dataset.root || "";
  function norm(s) { return s.toLowerCase().normalize("NFD").replace(/[\\u0300-\\u036f]/g, ""); }
  function run(q) {
    var words = norm(q).split(/\\s+/).filter(Boolean), hits = [];
    if (!words.length || !window.IX_SEARCH) { list.innerHTML = ""; return; }
    window.IX_SEARCH.forEach(function (e) {
      var t = norm(e.t), x = norm(e.x), score = 0;
      for (var i = 0; i < words.length; i++) {
        if (t.indexOf(words[i]) >= 0) score += 3; else if (x.indexOf(words[i]) >= 0) score += 1; else return;
      }
      hits.push([score, e]);
    });
    hits.sort(function (a, b) { return b[0] - a[0]; });
    list.innerHTML = "";
    hits.slice(0, 20).forEach(function (h) {
      var li = document.createElement("li"), a = document.createElement("a"), s = document.createElement("small");
      a.href = root + h[1].u; a.dataset.kind = h[1].k; a.textContent = h[1].t;
      s.textContent = (h[1].k === "operation" ? "Reference · " : h[1].k === "field" ? "Field · " : "Guide · ") + h[1].d;
      a.appendChild(s); li.appendChild(a); list.appendChild(li);
    });
  }
  input.addEventListener("input", function () { run(input.value); });
  input.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { input.value = ""; run(""); } });
  document.documentElement.dataset.searchReady = "true";
  var theme = document.getElementById("theme");
  theme.addEventListener("click", function () {
    var dark = getComputedStyle(document.documentElement).getPropertyValue("--bg").trim() !== "#fff";
    var next = dark ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    try { localStorage.setItem("ix-theme", next); } catch (e) {}
  });
})();
`;
const THEME_BOOT = `try{var t=localStorage.getItem("ix-theme");if(t)document.documentElement.dataset.theme=t}catch(e){}`;

/**
 * One page of the site. `up` is the way back to the site's root ("" for the landing page,
 * "../" for the handbook's folder).
 */
export function page({ title, slug, body, up = "../", nav = true, head = "", scripts = "" }) {
  const h = (p) => (up === "" ? `handbook/${p}` : p);
  const items = [...HANDBOOK_PAGES, ...EXTRA_PAGES]
    .map(
      (p) =>
        `<li><a href="${h(`${p.slug}.html`)}"${p.slug === slug ? ' aria-current="page"' : ""}>${escapeHtml(p.title)}</a></li>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en" data-root="${up}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} · InvoiceXpress API v2</title>
<script>${THEME_BOOT}</script>
<style>${STYLE}</style>
${head}
</head>
<body>
<header><strong><a href="${up}index.html">InvoiceXpress API v2</a></strong> <a href="${up}${REFERENCE}">API reference</a> <a href="${h("index.html")}">Handbook</a> <a href="${h("try.html")}">Try it</a> <a href="${h("changelog.html")}">Changelog</a>
<div class="search" role="search"><input id="search" type="search" placeholder="Search guides and operations" aria-label="Search guides and operations" autocomplete="off"><ul id="search-results"></ul></div>
<button id="theme" type="button" aria-label="Switch between light and dark">◐</button></header>
<div class="layout">
${nav ? `<nav aria-label="Handbook"><ol>\n${items}\n</ol></nav>` : ""}
<main>
${body}
</main>
</div>
<footer>Unofficial documentation, generated from the verified OpenAPI description. Not affiliated with InvoiceXpress.</footer>
<script src="${up}search-index.js"></script>
<script>${SEARCH_SCRIPT}</script>
${scripts}
</body>
</html>
`;
}

function marked() {
  return new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth }) {
        const text = this.parser.parseInline(tokens);
        return `<h${depth} id="${headingId(text)}">${text}</h${depth}>\n`;
      },
      code({ text, lang }) {
        const [l = ""] = String(lang ?? "").split(/\s+/);
        const shape = /\bshape\b/.test(lang ?? "") ? ' data-shape="true"' : "";
        return `<pre${shape}><code class="language-${escapeHtml(l)}">${escapeHtml(text)}</code></pre>\n`;
      },
    },
  });
}

/** The operations a guide links to with `op:`, by guide slug. */
export function guideLinks() {
  const out = new Map();
  for (const p of HANDBOOK_PAGES) {
    out.set(
      p.slug,
      [...readPage(p.slug).matchAll(/\]\(op:([A-Za-z0-9_]+)\)/g)].map((m) => m[1]),
    );
  }
  return out;
}

function hasProprietaryUid(spec, node, depth = 0) {
  if (!node || typeof node !== "object" || depth > 6) return false;
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/")) {
    return hasProprietaryUid(spec, deref(spec, node), depth + 1);
  }
  if (node.properties && "proprietary_uid" in node.properties) return true;
  for (const key of ["allOf", "oneOf", "anyOf"]) {
    if (Array.isArray(node[key]) && node[key].some((s) => hasProprietaryUid(spec, s, depth + 1))) return true;
  }
  if (node.content) return hasProprietaryUid(spec, node.content["application/json"]?.schema, depth + 1);
  return false;
}

function isPaginated(spec, op) {
  if (op.method !== "get") return false;
  return /pagination/.test(JSON.stringify(op.operation.responses?.["200"] ?? {})) || hasPaginationRef(spec, op);
}
function hasPaginationRef(spec, op) {
  const r = op.operation.responses?.["200"];
  const resolve = (n) => deref(spec, n);
  const schema = resolve(resolve(r)?.content?.["application/json"]?.schema);
  return Boolean(schema?.properties?.pagination);
}

/**
 * The guides that explain each operation, from data: the guides that link to it with `op:`,
 * then by what the operation is (a paginated list, a 202 operation, a creation that takes
 * `proprietary_uid`), and Getting started for the rest. Map operationId → [{ slug, title }].
 */
export function guidesByOperation(spec) {
  const titles = new Map(HANDBOOK_PAGES.map((p) => [p.slug, p.title]));
  const linked = guideLinks();
  const out = new Map();
  for (const op of listOperations(spec)) {
    const slugs = [];
    for (const [slug, ids] of linked) if (slug !== "index" && ids.includes(op.operationId)) slugs.push(slug);
    if (isPaginated(spec, op)) slugs.push("pagination");
    if (isPolled(op)) slugs.push("async-operations");
    if (op.method === "post" && hasProprietaryUid(spec, op.operation.requestBody)) slugs.push("errors-and-retries");
    if (slugs.length === 0) slugs.push("getting-started");
    out.set(
      op.operationId,
      [...new Set(slugs)].map((slug) => ({ slug, title: titles.get(slug) })),
    );
  }
  return out;
}

/**
 * Renders one page's markdown, resolving `op:` links against the spec: each becomes a link to
 * the operation in the reference, followed by "(try it)", its entry in the console.
 */
export function renderPage(markdown, spec) {
  const ops = new Map(listOperations(spec).map((op) => [op.operationId, op]));
  const resolved = markdown.replace(/\]\(op:([A-Za-z0-9_]+)\)/g, (_, id) => {
    const op = ops.get(id);
    if (!op) throw new Error(`handbook: link to unknown operation "${id}"`);
    return `](../${REFERENCE}${operationAnchor(op)}) ([try it](try.html${consoleAnchor(op)}))`;
  });
  return wrapTables(marked().parse(resolved));
}

/** Tables scroll inside a box of their own, so the page never scrolls sideways. */
const wrapTables = (html) =>
  html.replace(/<table>/g, '<div class="table"><table>').replace(/<\/table>/g, "</table></div>");

/** The search index: every section of every guide, and every operation of the reference. */
export function searchIndex(spec) {
  const entries = [];
  for (const p of HANDBOOK_PAGES) {
    const tokens = new Marked().lexer(readPage(p.slug));
    let section = { t: p.title, u: `handbook/${p.slug}.html`, k: "guide", d: p.title, x: "" };
    entries.push(section);
    for (const token of tokens) {
      if (token.type === "heading" && token.depth >= 2) {
        section = {
          t: token.text,
          u: `handbook/${p.slug}.html#${headingId(token.text)}`,
          k: "guide",
          d: p.title,
          x: "",
        };
        entries.push(section);
      } else if (token.type !== "code" && section.x.length < 1500) {
        section.x += ` ${String(token.raw)
          .replace(/[`*#|[\]()]/g, " ")
          .replace(/\s+/g, " ")}`;
      }
    }
  }
  for (const op of listOperations(spec)) {
    entries.push({
      t: op.operation.summary ?? op.operationId,
      u: `${REFERENCE}${operationAnchor(op)}`,
      k: "operation",
      d: `${op.method.toUpperCase()} ${op.path}`,
      x: `${op.operationId} ${op.method} ${op.path} ${(op.operation.tags ?? []).join(" ")} ${String(op.operation.description ?? "").slice(0, 300)}`,
    });
  }
  entries.push(...fieldEntries(spec));
  for (const e of entries) e.x = e.x.trim().slice(0, 1500);
  return entries;
}

/**
 * One search entry per field name of the description (`fiscal_id`, `unit_price`, …): its
 * descriptions, so that a word of them ("NIF") finds the field, and a link to the first operation
 * that sends it (else the first that answers with it).
 */
export function fieldEntries(spec) {
  const deref = (node) => {
    let out = node;
    for (let i = 0; out && typeof out.$ref === "string" && i < 20; i++)
      out = out.$ref
        .slice(2)
        .split("/")
        .reduce((n, t) => n?.[t.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
    return out;
  };
  /** Every property reachable from a schema: name → descriptions. */
  const collect = (schema, into, seen = new Set()) => {
    const s = deref(schema);
    if (!s || typeof s !== "object" || seen.has(s)) return;
    seen.add(s);
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const p = deref(prop) ?? {};
      const descriptions = into.get(name) ?? new Set();
      for (const d of [prop?.description, p.description]) if (typeof d === "string") descriptions.add(d);
      into.set(name, descriptions);
      collect(p, into, seen);
    }
    for (const key of ["items", "additionalProperties"])
      if (s[key] && typeof s[key] === "object") collect(s[key], into, seen);
    for (const key of ["allOf", "anyOf", "oneOf"]) for (const sub of s[key] ?? []) collect(sub, into, seen);
  };
  const media = (node) => Object.values(deref(node)?.content ?? {}).map((m) => m.schema);
  const fields = new Map(); // name → { descriptions, sends: op, answers: op, count }
  for (const op of listOperations(spec)) {
    const sent = new Map();
    for (const schema of op.operation.requestBody ? media(op.operation.requestBody) : []) collect(schema, sent);
    const answered = new Map();
    for (const response of Object.values(op.operation.responses ?? {}))
      for (const schema of media(response)) collect(schema, answered);
    for (const [map, role] of [
      [sent, "sends"],
      [answered, "answers"],
    ]) {
      for (const [name, descriptions] of map) {
        const f = fields.get(name) ?? { descriptions: new Set(), ops: new Set() };
        for (const d of descriptions) f.descriptions.add(d);
        f.ops.add(op.operationId);
        f[role] ??= op;
        fields.set(name, f);
      }
    }
  }
  return [...fields]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, f]) => {
      const op = f.sends ?? f.answers;
      return {
        t: name,
        u: `${REFERENCE}${operationAnchor(op)}`,
        k: "field",
        d: `${f.ops.size} operation${f.ops.size === 1 ? "" : "s"}, e.g. ${op.operation.summary ?? op.operationId}`,
        x: [...f.descriptions].join(" ").replace(/[`*]/g, "").replace(/\s+/g, " ").slice(0, 300),
      };
    });
}

/** The changelog: the pending changesets, then the packages' CHANGELOG.md files. */
export function changelogMarkdown(root) {
  const dir = path.join(root, ".changeset");
  const lines = ["# Changelog", ""];
  const sets = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".md") && f !== "README.md")
        .sort()
    : [];
  lines.push(
    "Changes not released yet, one entry per changeset (`.changeset/*.md`): the packages it bumps, and what changed.",
    "",
  );
  for (const file of sets) {
    const text = readFileSync(path.join(dir, file), "utf8");
    const m = text.match(/^---\n([\s\S]*?)\n?---\n?([\s\S]*)$/);
    const bumps = m
      ? m[1]
          .split("\n")
          .map((l) => l.match(/^\s*["']?([^"':]+)["']?\s*:\s*(\w+)/))
          .filter(Boolean)
          .map((x) => `\`${x[1]}\` ${x[2]}`)
      : [];
    const summary = (m ? m[2] : text).trim();
    lines.push(`## ${file.replace(/\.md$/, "")}`, "", bumps.length ? `*${bumps.join(", ")}*` : "*no package bump*", "");
    lines.push(summary, "");
  }
  const pkgs = path.join(root, "packages");
  for (const name of existsSync(pkgs) ? readdirSync(pkgs).sort() : []) {
    const file = path.join(pkgs, name, "CHANGELOG.md");
    if (!existsSync(file)) continue;
    lines.push(readFileSync(file, "utf8").replace(/^# /m, "## Released: "), "");
  }
  return { markdown: lines.join("\n"), changesets: sets.length };
}

/** Writes every guide into outDir; returns the written paths. */
export function buildHandbook({ outDir, spec }) {
  mkdirSync(outDir, { recursive: true });
  return HANDBOOK_PAGES.map((p) => {
    const file = path.join(outDir, `${p.slug}.html`);
    writeFileSync(file, page({ title: p.title, slug: p.slug, body: renderPage(readPage(p.slug), spec) }));
    return file;
  });
}

/** The changelog page. */
export function buildChangelog({ outDir, root }) {
  const { markdown, changesets } = changelogMarkdown(root);
  const file = path.join(outDir, "changelog.html");
  writeFileSync(file, page({ title: "Changelog", slug: "changelog", body: wrapTables(marked().parse(markdown)) }));
  return { file, changesets };
}
