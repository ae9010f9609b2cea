// The "Try it" console (handbook/try.html): swagger-ui (the swagger-ui-dist package, its files
// copied into dist/vendor/swagger-ui/ at build, nothing from a CDN) used only as a try-it
// console. Redoc stays the reference renderer; this page is where an operation's example is
// sent to the mock that `pnpm start` runs on http://127.0.0.1:4010.
//   - It loads the bundled spec (console-spec.js) with one server: the mock, as a server
//     variable the reader can edit (default http://127.0.0.1:4010).
//   - "Try it out" is on; an operation's named request examples are swagger-ui's example menu,
//     and the body is editable; the answer's status, headers and body are swagger-ui's.
//   - Deep links: `#/<tag>/<operationId>` (swagger-ui's deepLinking; spaces as %20) open that
//     operation; the reference and the guides link to it as `#!/…` (consoleAnchor()).
//   - Safety: a requestInterceptor refuses any request whose URL is not http:// on 127.0.0.1,
//     localhost or [::1] (isLoopbackUrl, tested in Node and in Chromium): it gets a fetch that
//     fails at once, so nothing is sent.
//   - No telemetry: swagger-ui-dist depends on @scarf/scarf, an install-time analytics ping,
//     whose install script pnpm-workspace.yaml keeps from running; the page sets
//     validatorUrl: null so swagger-ui never asks validator.swagger.io for a badge.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { deref } from "@ixpress/openapi";
import { consoleAnchor, page, REFERENCE } from "./handbook.mjs";
import { isLoopbackUrl, MOCK_URL, MOCK_URL_FILE, mockUrlScript } from "./mock-url.mjs";
import { listOperations } from "./samples.mjs";

export { isLoopbackUrl, MOCK_URL };

const require = createRequire(import.meta.url);
/** Where the library's files go in dist/, and the version the page names. */
export const VENDOR_DIR = "vendor/swagger-ui";
const SWAGGER_DIR = path.dirname(require.resolve("swagger-ui-dist/package.json"));
export const SWAGGER_VERSION = JSON.parse(readFileSync(path.join(SWAGGER_DIR, "package.json"), "utf8")).version;

/** The spec as the console shows it: the same operations, with the local mock as the one server. */
export function consoleSpec(spec) {
  const out = structuredClone(spec);
  out.servers = [
    {
      url: "{mock}",
      description:
        "The mock on this machine (pnpm start, or npx -p @ixpress/mock ixpress-mock --port 4010). Only loopback addresses are accepted.",
      variables: { mock: { default: MOCK_URL, description: "Base URL of the mock" } },
    },
  ];
  // swagger-ui draws no input for a parameter whose schema has several types (an id path
  // parameter is `integer | string of digits`, a query flag `boolean | "1" | "0"`), and then
  // refuses to send: "Required field is not provided". The console shows each with one type,
  // the one a person types; the reference and the packages keep the spec's own.
  const single = (schema) => {
    let s = schema;
    if (s && typeof s.$ref === "string" && s.$ref.startsWith("#/components/schemas/")) {
      const { $ref, ...rest } = s;
      s = { ...deref(out, { $ref }), ...rest };
    }
    if (!s || !Array.isArray(s.type)) return schema;
    const types = s.type.filter((t) => t !== "null");
    if (types.includes("boolean")) {
      const { enum: _enum, examples: _examples, ...rest } = s;
      return { ...rest, type: "boolean" };
    }
    const { minimum: _minimum, maximum: _maximum, ...rest } = s;
    return types.includes("string") ? { ...rest, type: "string" } : { ...s, type: types[0] };
  };
  const fix = (param) => {
    if (param && typeof param === "object" && !param.$ref && param.schema) param.schema = single(param.schema);
  };
  for (const param of Object.values(out.components?.parameters ?? {})) fix(param);
  for (const item of Object.values(out.paths ?? {})) {
    for (const param of item.parameters ?? []) fix(param);
    for (const operation of Object.values(item)) {
      if (operation && typeof operation === "object" && Array.isArray(operation.parameters))
        for (const param of operation.parameters) fix(param);
    }
  }
  return out;
}

// The page's script: swagger-ui with try-it-out on, deep links, the loopback guard, the
// mock's any-value API key preauthorized, and swagger-ui's dark mode following the site's.
const SCRIPT = `
(function () {
  var isLoopbackUrl = ${isLoopbackUrl.toString()};
  var status = document.getElementById("console-status");
  var root = document.documentElement;
  function syncTheme() {
    var dark = getComputedStyle(root).getPropertyValue("--bg").trim() !== "#fff";
    root.classList.toggle("dark-mode", dark);
  }
  syncTheme();
  new MutationObserver(syncTheme).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  if (window.matchMedia) window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", syncTheme);
  // The mock's address: mock-url.js says where \`pnpm start\` runs it (MOCK_PORT); the build's
  // copy says ${MOCK_URL}. It becomes the server field's default and the page's text.
  var mockUrl = typeof window.IX_MOCK_URL === "string" && isLoopbackUrl(window.IX_MOCK_URL) ? window.IX_MOCK_URL : "${MOCK_URL}";
  var spec = window.IX_CONSOLE_SPEC;
  spec.servers[0].variables.mock.default = mockUrl;
  var shown = document.querySelectorAll(".ix-mock-url");
  for (var i = 0; i < shown.length; i++) shown[i].textContent = mockUrl;
  window.ui = SwaggerUIBundle({
    spec: spec,
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: true,
    validatorUrl: null,
    docExpansion: "none",
    defaultModelsExpandDepth: -1,
    displayRequestDuration: true,
    filter: true,
    queryConfigEnabled: false,
    persistAuthorization: false,
    // The guard: a request to anywhere else gets a fetch that fails at once, so nothing is
    // sent and swagger-ui shows the refusal as the request's error (a throw here would leave
    // swagger-ui without a request to show).
    requestInterceptor: function (req) {
      var shown = String(req.url).replace(/api_key=[^&]*/, "api_key=…");
      if (!isLoopbackUrl(req.url)) {
        var message = "Refused: the console only sends to http://127.0.0.1, localhost or [::1], not " + shown;
        status.textContent = "Refused: " + shown + " is not on this machine. The console only talks to a mock on http://127.0.0.1, localhost or [::1].";
        status.dataset.refused = "true";
        req.userFetch = function () { return Promise.reject(new Error(message)); };
        return req;
      }
      status.textContent = "Sent " + req.method + " " + shown;
      delete status.dataset.refused;
      return req;
    },
    onComplete: function () {
      window.ui.preauthorizeApiKey("ApiKey", "test");
      root.dataset.consoleReady = "true";
    },
  });
})();
`;

/** Copies the library's browser files (and its licence) into dist/vendor/swagger-ui/. */
function copyLibrary(dist) {
  const dir = path.join(dist, VENDOR_DIR);
  mkdirSync(dir, { recursive: true });
  // The bundle names its source map; the map is not shipped, so the comment goes too.
  for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
    const text = readFileSync(path.join(SWAGGER_DIR, file), "utf8").replace(
      /\n?\/[/*]# sourceMappingURL=[^\n]*\s*$/,
      "\n",
    );
    writeFileSync(path.join(dir, file), text);
  }
  for (const file of ["LICENSE", "NOTICE"]) copyFileSync(path.join(SWAGGER_DIR, file), path.join(dir, file));
  return dir;
}

// Swagger UI's own layout, fitted into the site's page: no horizontal scroll on a phone, and
// its dark theme on the site's dark background.
const STYLE = `
#swagger-ui { margin: 0 -20px; }
.swagger-ui .info { margin: 20px 0; }
.swagger-ui .info .description { display: none; }
.swagger-ui .wrapper { padding: 0 20px; }
.swagger-ui table, .swagger-ui .opblock .opblock-section-header { max-width: 100%; }
.swagger-ui .opblock .opblock-summary { flex-wrap: wrap; }
.swagger-ui .opblock .opblock-summary-path { max-width: 100%; word-break: break-all; }
.swagger-ui .opblock-body pre, .swagger-ui .highlight-code, .swagger-ui .microlight { max-width: 100%; overflow-x: auto; }
.swagger-ui .parameters-col_description { min-width: 0; }
.swagger-ui .parameters-col_description input, .swagger-ui .parameters-col_description select { max-width: 100%; }
.swagger-ui .responses-table, .swagger-ui .response-col_description { word-break: break-word; }
.swagger-ui .scheme-container { padding: 16px 0; box-shadow: none; border-bottom: 1px solid var(--line); background: transparent; }
.swagger-ui .servers input[type=text] { max-width: 100%; min-width: 0; width: 22em; }
html.dark-mode .swagger-ui, html.dark-mode .swagger-ui .scheme-container { background: var(--bg); }
html.dark-mode .swagger-ui .examples-select__section-label, html.dark-mode .swagger-ui .example__section-header,
html.dark-mode .swagger-ui table td, html.dark-mode .swagger-ui table th { color: #e4e6e6; }
html.dark-mode .swagger-ui .opblock.opblock.opblock .opblock-section-header { background: #1f2328; }
.swagger-ui .parameter__in { color: #595959; }
html.dark-mode .swagger-ui .parameter__in { color: #b7bcbf; }
.swagger-ui .response-controls { flex-wrap: wrap; gap: 8px; }
.swagger-ui .response-controls select, .swagger-ui .examples-select select { max-width: 100%; }
#console-status { font-weight: 600; }
#console-status[data-refused] { color: #d1242f; }
@media (max-width: 800px) {
  .swagger-ui .wrapper { padding: 0 8px; }
  .swagger-ui .parameters, .swagger-ui .parameters tbody, .swagger-ui .parameters tr, .swagger-ui .parameters td { display: block; width: 100%; }
  .swagger-ui .responses-table, .swagger-ui .responses-table tbody, .swagger-ui .responses-table tr, .swagger-ui .responses-table td { display: block; width: 100%; }
  .swagger-ui .responses-table .responses-header { display: none; }
  .swagger-ui .responses-table td.response-col_status { padding: 12px 0 0; font-size: 16px; font-weight: 700; }
  .swagger-ui .responses-table td.response-col_links { display: none; }
  .swagger-ui .response-controls, .swagger-ui .response-control-media-type, .swagger-ui .response-control-examples { display: block; width: 100%; margin: 0 0 8px; }
  .swagger-ui .response-controls select, .swagger-ui .examples-select select, .swagger-ui .examples-select { width: 100%; }
  .swagger-ui .opblock-tag { font-size: 20px; }
}
`;

export function buildConsole({ outDir, dist, spec }) {
  copyLibrary(dist);
  const up = path.relative(outDir, dist) || ".";
  const vendor = `${up}/${VENDOR_DIR}`;
  const data = consoleSpec(spec);
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  writeFileSync(path.join(outDir, "console-spec.js"), `window.IX_CONSOLE_SPEC=${json};\n`);
  writeFileSync(path.join(outDir, MOCK_URL_FILE), mockUrlScript(MOCK_URL));
  const body = `<h1>Try it against the mock</h1>
<p>Send an operation's example request to <code>@ixpress/mock</code> on this machine: <code>pnpm start</code> in the repository runs it on <code class="ix-mock-url">${MOCK_URL}</code> next to these pages (<code>MOCK_PORT</code> moves it, and this page follows), or start one yourself with <code>npx -p @ixpress/mock ixpress-mock --port 4010</code>. Open an operation, pick one of its examples, edit the body, press <em>Execute</em>, and read the status, headers and body of the answer. The mock's address is the server field below. Nothing here talks to InvoiceXpress: every request to an address that is not on this machine is refused before it is sent, and no real key is needed (the page sends <code>api_key=test</code>).</p>
<p>The operations, their fields and samples are described in the <a href="${up}/${REFERENCE}">API reference</a>; this console is <a href="${vendor}/LICENSE">Swagger UI</a> ${SWAGGER_VERSION}, served from this site.</p>
<p id="console-status" role="status"></p>
<div id="swagger-ui"></div>`;
  const file = path.join(outDir, "try.html");
  writeFileSync(
    file,
    page({
      title: "Try it against the mock",
      slug: "try",
      body,
      head: `<link rel="stylesheet" href="${vendor}/swagger-ui.css">\n<style>${STYLE}</style>`,
      scripts: `<script src="${MOCK_URL_FILE}"></script>\n<script src="console-spec.js"></script>\n<script src="${vendor}/swagger-ui-bundle.js"></script>\n<script>${SCRIPT}</script>`,
    }),
  );
  const ops = listOperations(spec);
  return {
    file,
    operations: ops.length,
    anchors: ops.map((op) => consoleAnchor(op)),
  };
}
