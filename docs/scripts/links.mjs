// The build's link check: every link of every page of dist/ (the handbook's `href`s, and the
// markdown links inside the reference's embedded description) must land on a file of the site,
// on a heading id of that page, on an operation or tag of the reference, or on an operation of
// the console (swagger-ui's deep link `#!/<tag>/<operationId>`). A dead link throws, and the
// build fails. Links to other sites are not followed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { consoleAnchor, operationAnchor, REFERENCE, redocSlug } from "./handbook.mjs";
import { listOperations } from "./samples.mjs";

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlFiles(path.join(dir, e.name)) : e.name.endsWith(".html") ? [path.join(dir, e.name)] : [],
  );
}

/** The links of a page: its `href`/`src` attributes; for the reference, its markdown links. */
export function pageLinks(file, html) {
  // Redoc's own pre-rendered links are Redoc's business; ours are the description's markdown.
  if (path.basename(file) === REFERENCE || path.basename(file) === "sandbox-controls.html")
    return [...html.matchAll(/\]\(((?:handbook\/|index\.html|openapi\.|reference\.html)[^)\s\\]*)\)/g)].map(
      (m) => m[1],
    );
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
}

/** Returns the number of links checked; throws listing the dead ones. */
export function checkLinks(dist, spec) {
  const ops = listOperations(spec);
  const anchors = new Set(ops.map((op) => operationAnchor(op)));
  for (const op of ops) for (const t of op.operation.tags ?? []) anchors.add(`#/${redocSlug(t)}`);
  const consoleAnchors = new Set(ops.map((op) => consoleAnchor(op)));
  const idsOf = new Map();
  const headingIds = (file) => {
    if (!idsOf.has(file))
      idsOf.set(file, new Set([...readFileSync(file, "utf8").matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
    return idsOf.get(file);
  };
  const dead = [];
  let checked = 0;
  for (const file of htmlFiles(dist)) {
    const html = readFileSync(file, "utf8");
    for (const link of pageLinks(file, html)) {
      if (/^(https?:|mailto:|data:|javascript:)/.test(link) || link === "") continue;
      checked++;
      const [target, fragment] = link.split("#");
      const abs = target ? path.resolve(path.dirname(file), target) : file;
      const where = `${path.relative(dist, file)} → ${link}`;
      if (!abs.startsWith(dist) || !existsSync(abs)) {
        dead.push(`${where} (no such file)`);
        continue;
      }
      if (fragment === undefined || fragment === "") continue;
      if (path.basename(abs) === REFERENCE) {
        if (!anchors.has(`#${fragment}`)) dead.push(`${where} (no such operation or tag in the reference)`);
      } else if (path.basename(abs) === "try.html" && fragment.startsWith("!/")) {
        if (!consoleAnchors.has(`#${fragment}`)) dead.push(`${where} (no such operation in the console)`);
      } else if (!headingIds(abs).has(fragment)) {
        dead.push(`${where} (no such id on the page)`);
      }
    }
  }
  if (dead.length > 0) throw new Error(`docs: ${dead.length} dead link(s):\n  ${dead.join("\n  ")}`);
  return checked;
}
