// The rules of test/doc-truth.test.ts: what a document may say about packages, versions,
// commands and figures, read against the repository itself (package.json files, binaries,
// scripts, files). Each check returns the findings as sentences; none means the document holds.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");

export interface Workspace {
  dir: string;
  name: string;
  version: string;
  scripts: Record<string, string>;
  bin: Record<string, string>;
  exports: string[];
  engines?: string;
}
export interface Repo {
  workspace: Workspace[];
  /** Every dependency any package.json declares: name → the versions declared. */
  dependencies: Map<string, Set<string>>;
  packageManager: { name: string; version: string };
  rootScripts: Record<string, string>;
  nodeMin: string;
}
export interface Doc {
  file: string;
  dir: string;
  text: string;
}

const json = (file: string) => JSON.parse(readFileSync(path.join(root, file), "utf8"));

function workspaceOf(dir: string): Workspace {
  const pkg = json(path.join(dir, "package.json"));
  const bin = typeof pkg.bin === "string" ? { [pkg.name.split("/").pop()]: pkg.bin } : (pkg.bin ?? {});
  const exports =
    pkg.exports && typeof pkg.exports === "object" && !Array.isArray(pkg.exports)
      ? Object.keys(pkg.exports).filter((k) => k.startsWith("."))
      : ["."];
  return {
    dir,
    name: pkg.name,
    version: pkg.version,
    scripts: pkg.scripts ?? {},
    bin,
    exports,
    engines: pkg.engines?.node,
  };
}

export function readRepo(): Repo {
  const dirs = [
    ...readdirSync(path.join(root, "packages")).map((d) => `packages/${d}`),
    "docs",
    ...(existsSync(path.join(root, "examples"))
      ? readdirSync(path.join(root, "examples")).map((d) => `examples/${d}`)
      : []),
  ].filter((d) => existsSync(path.join(root, d, "package.json")));
  const workspace = dirs.map(workspaceOf);
  const dependencies = new Map<string, Set<string>>();
  const add = (name: string, spec: unknown) => {
    if (typeof spec !== "string") return;
    const set = dependencies.get(name) ?? new Set<string>();
    set.add(spec.replace(/^[\^~=]/, ""));
    dependencies.set(name, set);
  };
  for (const dir of [".", ...dirs]) {
    const pkg = json(path.join(dir, "package.json"));
    for (const field of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"])
      for (const [name, spec] of Object.entries(pkg[field] ?? {})) add(name, spec);
  }
  // And the version installed (a range in package.json, or an override, resolves to one).
  for (const name of [...dependencies.keys()]) {
    for (const dir of [".", ...dirs]) {
      const file = path.join(root, dir, "node_modules", name, "package.json");
      if (existsSync(file)) add(name, JSON.parse(readFileSync(file, "utf8")).version);
    }
  }
  const rootPkg = json("package.json");
  const [pmName, pmVersion] = String(rootPkg.packageManager).split("@");
  return {
    workspace,
    dependencies,
    packageManager: { name: pmName!, version: pmVersion! },
    rootScripts: rootPkg.scripts ?? {},
    nodeMin: String(rootPkg.engines?.node ?? "").replace(/^>=\s*/, ""),
  };
}

/** The documents a reader copies from: READMEs, contributor files and the handbook. */
export function documents(repo: Repo): Doc[] {
  const files = ["README.md", "CONTRIBUTING.md", "SECURITY.md"];
  for (const w of repo.workspace) if (existsSync(path.join(root, w.dir, "README.md"))) files.push(`${w.dir}/README.md`);
  for (const f of readdirSync(path.join(root, "docs", "handbook")).sort())
    if (f.endsWith(".md")) files.push(`docs/handbook/${f}`);
  return files
    .filter((f) => existsSync(path.join(root, f)))
    .map((file) => ({ file, dir: path.dirname(file), text: readFileSync(path.join(root, file), "utf8") }));
}

/** The document without its fenced code blocks (prose, tables and inline code). */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "");
}

// ---------------------------------------------------------------------------------------------
// Package names

export function checkPackageNames(doc: Doc, repo: Repo): string[] {
  const out: string[] = [];
  const byName = new Map(repo.workspace.map((w) => [w.name, w]));
  for (const m of doc.text.matchAll(/@ixpress\/([a-z0-9-]+)((?:\/[a-z0-9.-]+)*)/g)) {
    const [whole, name, sub] = m;
    const pkg = byName.get(`@ixpress/${name}`);
    if (!pkg) {
      out.push(`${whole}: no workspace package is named @ixpress/${name}`);
      continue;
    }
    if (sub && sub !== "/") {
      const entry = `.${sub}`;
      // A file inside the package (a README link, a path in dist/) is not an entry point.
      if (pkg.exports.includes(entry) || existsSync(path.join(root, pkg.dir, sub))) continue;
      out.push(`${whole}: ${pkg.name} exports no "${entry}" (it exports ${pkg.exports.join(", ")})`);
    }
  }
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------------------------
// Versions

/** What documents call some packages, beside their package names. */
const ALIASES: Record<string, string> = {
  "Prism CLI": "@stoplight/prism-cli",
  Prism: "@stoplight/prism-cli",
  "Swagger UI": "swagger-ui-dist",
  TypeScript: "typescript",
};

export function checkVersions(doc: Doc, repo: Repo): string[] {
  const out: string[] = [];
  const declared = (name: string): Set<string> | undefined => {
    if (name === repo.packageManager.name) return new Set([repo.packageManager.version]);
    const w = repo.workspace.find((x) => x.name === name);
    if (w) return new Set([w.version]);
    return repo.dependencies.get(name);
  };
  const text = prose(doc.text) + extractShell(doc.text).join("\n");
  const names = [...new Set([...repo.dependencies.keys(), repo.packageManager.name, ...Object.keys(ALIASES)])].sort(
    (a, b) => b.length - a.length,
  );
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const pattern = new RegExp(
    `(?<![\\w@/-])(${names.map(esc).join("|")})\\u0060?(?:@|,?\\s+(?:pinned at |version |v)?)(\\d+\\.\\d+\\.\\d+)\\b`,
    "g",
  );
  for (const m of text.matchAll(pattern)) {
    const name = ALIASES[m[1]!] ?? m[1]!;
    const versions = declared(name);
    if (versions && !versions.has(m[2]!))
      out.push(`${name} ${m[2]}: the packages declare ${[...versions].join(" or ")} ("${m[0]}")`);
  }
  // The oldest Node the packages support.
  for (const m of text.matchAll(/\bNode(?:\.js)? (\d+\.\d+)(?:\.\d+)?(?:\+| or later| or newer)/g)) {
    if (repo.nodeMin && !repo.nodeMin.startsWith(m[1]!))
      out.push(`Node ${m[1]} or later: the packages ask for Node >= ${repo.nodeMin} ("${m[0]}")`);
  }
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------------------------
// Commands

/** Shell lines of a document: fenced sh/bash/shell/console blocks, and inline code that is a command. */
export function extractShell(text: string): string[] {
  const lines: string[] = [];
  for (const m of text.matchAll(/^(```|~~~)(sh|bash|shell|console|zsh)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm)) {
    const joined = m[3]!.replace(/\\\n\s*/g, " ");
    for (const raw of joined.split("\n")) {
      const line = raw.replace(/^\s*\$\s+/, "").trim();
      if (line && !line.startsWith("#")) lines.push(line);
    }
  }
  const body = prose(text);
  for (const m of body.matchAll(/`((?:pnpm|npx|npm|node) [^`]+)`/g)) {
    // "where it is installed, `npx ixpress-mock` is enough": npx then runs the local binary.
    const around = body.slice(Math.max(0, m.index - 120), m.index + m[0].length + 40);
    if (/^npx [\w-]+(\s|$)/.test(m[1]!) && /\binstall(?:ed|s)?\b/i.test(around)) lines.push(`${m[1]} #installed`);
    else lines.push(m[1]!);
  }
  return lines;
}

const SKIP_COMMANDS = new Set([
  "curl",
  "cd",
  "export",
  "git",
  "sudo",
  "apt-get",
  "apt",
  "docker",
  "echo",
  "cat",
  "ls",
  "kill",
  "chromium",
]);
/** pnpm's own commands (no script needed). */
const PNPM_BUILTINS = new Set([
  "install",
  "i",
  "add",
  "remove",
  "update",
  "dlx",
  "changeset",
  "why",
  "list",
  "ls",
  "pack",
  "publish",
]);

function binsOf(pkgName: string, repo: Repo): Record<string, string> | undefined {
  const w = repo.workspace.find((x) => x.name === pkgName);
  if (w) return w.bin;
  for (const base of [root, ...repo.workspace.map((x) => path.join(root, x.dir))]) {
    const file = path.join(base, "node_modules", pkgName, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8"));
      return typeof pkg.bin === "string" ? { [pkgName.split("/").pop()!]: pkg.bin } : (pkg.bin ?? {});
    }
  }
  return undefined;
}

function known(pkgName: string, repo: Repo): boolean {
  return (
    pkgName === repo.packageManager.name ||
    repo.workspace.some((w) => w.name === pkgName) ||
    repo.dependencies.has(pkgName)
  );
}

/** `name@1.2.3` or `@scope/name@1.2.3` → name. */
const bareName = (spec: string) => spec.replace(/^(@?[^@]+)@.*$/, "$1");

function checkOne(words: string[], doc: Doc, repo: Repo, installedContext = false): string | undefined {
  const [cmd, ...args] = words;
  const line = words.join(" ");
  if (!cmd || SKIP_COMMANDS.has(cmd)) return undefined;
  if (cmd === "pnpm") {
    let pkg: Workspace | undefined;
    const rest = [...args];
    while (rest[0]?.startsWith("-")) {
      const flag = rest.shift()!;
      if (flag === "--filter" || flag === "-F") {
        const name = rest.shift() ?? "";
        pkg = repo.workspace.find((w) => w.name === name || w.dir === name.replace(/^\.\//, ""));
        if (!pkg) return `"${line}": no workspace package ${name}`;
      } else if (flag === "-C" || flag === "--dir") rest.shift();
      else if (flag === "-w" || flag === "--workspace-root" || flag === "-r" || flag === "--recursive") continue;
      else return undefined; // pnpm --version and the like
    }
    let sub = rest.shift();
    if (!sub || PNPM_BUILTINS.has(sub)) return undefined;
    if (sub === "exec") {
      const bin = rest[0];
      const where = [root, ...(pkg ? [path.join(root, pkg.dir)] : [])];
      if (bin && !where.some((d) => existsSync(path.join(d, "node_modules", ".bin", bin))))
        return `"${line}": no binary ${bin} in node_modules/.bin`;
      return undefined;
    }
    if (sub === "run") sub = rest.shift();
    if (!sub) return undefined;
    const scripts = pkg ? pkg.scripts : repo.rootScripts;
    // Inside a package's own README, `pnpm <script>` may also mean that package's script.
    const own = repo.workspace.find((w) => w.dir === doc.dir);
    if (sub in scripts || (!pkg && own && sub in own.scripts)) return undefined;
    return `"${line}": no script "${sub}" in ${pkg ? `${pkg.dir}/package.json` : "package.json"}`;
  }
  if (cmd === "npx") {
    const rest = [...args];
    let pkgSpec: string | undefined;
    while (rest[0]?.startsWith("-")) {
      const flag = rest.shift()!;
      if (flag === "-p" || flag === "--package") pkgSpec = rest.shift();
      else if (flag.startsWith("--package=")) pkgSpec = flag.slice("--package=".length);
    }
    const bin = rest[0];
    if (!bin) return `"${line}": npx with no command`;
    if (installedContext && !pkgSpec && repo.workspace.some((w) => bin in w.bin)) return undefined;
    const pkgName = bareName(pkgSpec ?? bin);
    if (!known(pkgName, repo))
      return `"${line}": npx would fetch a package named ${pkgName}, which is none of ours nor a dependency${pkgSpec ? "" : " (name the package with -p)"}`;
    const bins = binsOf(pkgName, repo);
    const wanted = pkgSpec ? bin : pkgName.split("/").pop()!;
    if (bins && !(wanted in bins) && !(pkgSpec === undefined && Object.keys(bins).length === 1))
      return `"${line}": ${pkgName} has no binary ${wanted} (it has ${Object.keys(bins).join(", ") || "none"})`;
    return undefined;
  }
  if (cmd === "npm") {
    const sub = args[0];
    if (sub !== "i" && sub !== "install" && sub !== "add") return undefined;
    for (const a of args.slice(1)) {
      if (a.startsWith("-")) continue;
      if (!known(bareName(a), repo))
        return `"${line}": no package ${bareName(a)} in this repository or its dependencies`;
    }
    return undefined;
  }
  if (cmd === "node") {
    const file = args.find((a) => !a.startsWith("-"));
    if (!file || file.startsWith("-")) return undefined;
    // A file the packages build (`node ixpress-mock.cjs`, the mock's one-file CLI) counts too.
    const here = [
      path.join(root, doc.dir, file),
      path.join(root, file),
      ...repo.workspace.map((w) => path.join(root, w.dir, "dist", path.basename(file))),
    ];
    if (!here.some((f) => existsSync(f))) return `"${line}": no file ${file} (from ${doc.dir} or the root)`;
    return undefined;
  }
  // A package's binary called by name (a usage line such as `ixpress-mock --port 4010`).
  const bins = repo.workspace.flatMap((w) => Object.keys(w.bin));
  if (bins.includes(cmd)) return undefined;
  return undefined;
}

export function checkCommands(doc: Doc, repo: Repo): string[] {
  const out: string[] = [];
  for (const raw of extractShell(doc.text)) {
    const installedContext = raw.endsWith(" #installed");
    const line = installedContext ? raw.slice(0, -" #installed".length) : raw;
    for (const part of line.split(/\s*(?:&&|\|\||;|\|)\s*/)) {
      const words = part
        .replace(/\s+#.*$/, "")
        .split(/\s+/)
        .filter(Boolean);
      while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) words.shift(); // FOO=1 pnpm start
      const found = checkOne(words, doc, repo, installedContext);
      if (found) out.push(found);
    }
  }
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------------------------
// Figures

/** A measured quantity: a time, a size or a rate, written with its unit. */
const FIGURE =
  /(?<![\w.])(\d[\d,.  ]*\d|\d)\s?(ms|µs|KiB|MiB|GiB|kB|KB|MB|GB|requests\/s|req\/s)(?![\w/])|(?<![\w.])(\d+(?:\.\d+)?) s(?![\w/])/g;
/** A sentence about a setting, a limit or a bound, not a measurement. */
const SETTING =
  /\b(time-?outs?|default|defaults|limit|limits|budget|at most|up to|more than|less than|longer than|max|maximum|min|minimum|waits?|after|Retry-After|every|interval|delay|idle sockets?|beyond|bounded|cap|capped|costs?|no more|within|keep-alive|Keep-Alive|ERROR_BODY_LIMIT|maxWaitMs|timeoutMs)\b/i;
const DATE =
  /\b20\d\d-\d\d-\d\d\b|\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d\b/;
const NODE = /\bNode(?:\.js)?\s+v?\d+(?:\.\d+)*/;
const LOAD = /\bload(?: average)?\b[^.|]{0,24}?\d/i;

interface Section {
  depth: number;
  title: string;
  own: string;
  parent?: Section;
}

/** The document's sections, each with the text before its first subsection. */
function sections(text: string): Section[] {
  const out: Section[] = [];
  const stack: Section[] = [];
  let current: Section = { depth: 0, title: "(top)", own: "" };
  out.push(current);
  stack.push(current);
  for (const line of text.split("\n")) {
    const h = line.match(/^(#{1,6})\s+(.*)$/);
    if (h) {
      const depth = h[1]!.length;
      while (stack.length > 1 && stack[stack.length - 1]!.depth >= depth) stack.pop();
      current = { depth, title: h[2]!, own: "", parent: stack[stack.length - 1] };
      stack.push(current);
      out.push(current);
    } else current.own += `${line}\n`;
  }
  return out;
}

export function checkFigures(doc: Doc): string[] {
  const out: string[] = [];
  for (const section of sections(prose(doc.text))) {
    const figures: string[] = [];
    // Sentences (and table cells) without their inline code: a value in code is a setting or a name.
    for (const sentence of section.own.replace(/`[^`]*`/g, " ").split(/(?<=[.;:!?])\s+|\n\s*\n|\|/)) {
      if (SETTING.test(sentence)) continue;
      for (const m of sentence.matchAll(FIGURE)) {
        // "a 200 MB body": the size of a test's input, not a measurement.
        if (/\b(?:a|an)\s+(?:[a-z-]+\s+)?$/i.test(sentence.slice(0, m.index))) continue;
        figures.push(m[0].trim());
      }
    }
    if (figures.length === 0) continue;
    const stamped = (s: Section | undefined): boolean =>
      !!s && ((DATE.test(s.own) && NODE.test(s.own) && LOAD.test(s.own)) || stamped(s.parent));
    if (!stamped(section))
      out.push(
        `section "${section.title}": ${figures.slice(0, 4).join(", ")}${figures.length > 4 ? ", …" : ""} ` +
          "without the date, Node version and load they were measured with (or a parent section's)",
      );
  }
  return out;
}
