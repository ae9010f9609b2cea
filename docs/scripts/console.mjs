// The "Try it" console (handbook/try.html): sends an operation's example request to the mock
// that `pnpm start` runs on http://127.0.0.1:4010, with the body editable, and shows the
// status, headers and body of the answer. It talks to loopback addresses only (it refuses any
// other base URL) and needs nothing from the network. The mock answers CORS requests, so the
// page can be served from another port. Its data (every operation with its parameters and
// named examples) is built from the spec, like the samples.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { operationAnchor, page, REFERENCE } from "./handbook.mjs";
import { listOperations, queryString, sampleInputs } from "./samples.mjs";

export const MOCK_URL = "http://127.0.0.1:4010";

/** One entry per operation: what the console needs to send its examples. */
export function consoleData(spec) {
  return listOperations(spec).map((op) => {
    const inputs = sampleInputs(spec, op);
    return {
      id: op.operationId,
      summary: op.operation.summary ?? op.operationId,
      method: op.method.toUpperCase(),
      path: op.path.replace(/\{([^}]+)\}/g, (_, name) => encodeURIComponent(String(inputs.path[name]))),
      query: queryString(inputs.query),
      examples: inputs.bodies.map((b) => ({
        name: b.name,
        summary: b.summary,
        body: JSON.stringify(b.value, null, 2),
      })),
      ref: `${REFERENCE}${operationAnchor(op)}`,
    };
  });
}

const SCRIPT = `
(function () {
  var ops = window.IX_CONSOLE, byId = {};
  ops.forEach(function (o) { byId[o.id] = o; });
  var $ = function (id) { return document.getElementById(id); };
  var opSel = $("op"), exSel = $("example");
  ops.forEach(function (o) {
    var opt = document.createElement("option"); opt.value = o.id; opt.textContent = o.method + " " + o.path.split("?")[0] + " · " + o.summary; opSel.appendChild(opt);
  });
  function params() { var p = {}; location.hash.replace(/^#/, "").split("&").forEach(function (kv) { var i = kv.indexOf("="); if (i > 0) p[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); }); return p; }
  function showOp(id, exampleName) {
    var o = byId[id] || ops[0]; opSel.value = o.id;
    $("method").textContent = o.method; $("path").value = o.path; $("query").value = o.query;
    $("ref").href = "../" + o.ref;
    exSel.innerHTML = "";
    o.examples.forEach(function (e) { var opt = document.createElement("option"); opt.value = e.name; opt.textContent = e.summary; exSel.appendChild(opt); });
    $("example-row").hidden = o.examples.length === 0; $("body-row").hidden = o.examples.length === 0;
    var ex = o.examples.filter(function (e) { return e.name === exampleName; })[0] || o.examples[0];
    if (ex) { exSel.value = ex.name; $("body").value = ex.body; } else $("body").value = "";
  }
  opSel.addEventListener("change", function () { location.hash = "op=" + encodeURIComponent(opSel.value); });
  exSel.addEventListener("change", function () { location.hash = "op=" + encodeURIComponent(opSel.value) + "&example=" + encodeURIComponent(exSel.value); });
  window.addEventListener("hashchange", function () { var p = params(); showOp(p.op, p.example); });
  function loopback(u) { try { var url = new URL(u); return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].indexOf(url.hostname) >= 0 && url.pathname === "/" && !url.search; } catch (e) { return false; } }
  $("send").addEventListener("click", function () {
    var base = $("base").value.trim().replace(/\\/+$/, ""), o = byId[opSel.value];
    var out = $("status"), headers = $("headers"), body = $("response");
    headers.textContent = ""; body.textContent = "";
    if (!loopback(base + "/")) { out.textContent = "Refused: the console only talks to a mock on this machine (http://127.0.0.1:<port>)."; return; }
    var q = $("query").value.replace(/^\\?/, ""), key = "api_key=" + encodeURIComponent($("key").value);
    var url = base + $("path").value + "?" + (q ? q + "&" : "") + key;
    var init = { method: o.method, headers: { Accept: "application/json" } };
    if (o.examples.length && $("body").value.trim()) {
      try { JSON.parse($("body").value); } catch (e) { out.textContent = "The body is not valid JSON: " + e.message; return; }
      init.headers["Content-Type"] = "application/json"; init.body = $("body").value;
    }
    out.textContent = "Sending " + o.method + " " + url.replace(/api_key=[^&]*/, "api_key=…") + " …";
    var started = performance.now();
    fetch(url, init).then(function (r) {
      var lines = []; r.headers.forEach(function (v, k) { lines.push(k + ": " + v); });
      headers.textContent = lines.join("\\n");
      return r.text().then(function (text) {
        out.textContent = r.status + " " + r.statusText + " · " + Math.round(performance.now() - started) + " ms";
        out.dataset.status = String(r.status);
        try { body.textContent = text ? JSON.stringify(JSON.parse(text), null, 2) : "(empty body)"; } catch (e) { body.textContent = text; }
      });
    }).catch(function (e) {
      out.textContent = "No answer from " + base + ": is the mock running? (pnpm start, or npx ixpress-mock --port 4010) · " + e.message;
    });
  });
  var p = params(); showOp(p.op, p.example);
  document.documentElement.dataset.consoleReady = "true";
})();
`;

export function buildConsole({ outDir, spec }) {
  const data = consoleData(spec);
  const body = `<h1>Try it against the mock</h1>
<p>Send an operation's example request to <code>@ixpress/mock</code> on this machine: <code>pnpm start</code> in the repository runs it on <code>${MOCK_URL}</code> next to these pages (or <code>npx ixpress-mock --port 4010</code>). Edit the body, send, and read the status, headers and body of the answer. Nothing here talks to InvoiceXpress: the console refuses any address that is not on this machine, and no real key is needed.</p>
<label for="op">Operation</label><select id="op" class="wide" style="width:100%"></select>
<p><a id="ref" href="../${REFERENCE}">This operation in the reference</a></p>
<label for="base">Mock</label><input id="base" class="wide" value="${MOCK_URL}" spellcheck="false">
<label for="key"><code>api_key</code> (any value: the mock only checks that there is one)</label><input id="key" class="wide" value="test" spellcheck="false">
<label for="path">Request: <span id="method"></span> path</label><input id="path" class="wide" spellcheck="false">
<label for="query">Query string</label><input id="query" class="wide" spellcheck="false">
<div id="example-row"><label for="example">Example</label><select id="example" style="width:100%"></select></div>
<div id="body-row"><label for="body">Body (JSON)</label><textarea id="body" rows="14" spellcheck="false"></textarea></div>
<p><button id="send" type="button">Send to the mock</button></p>
<h2 id="answer">Answer</h2>
<p id="status" role="status">Not sent yet.</p>
<label for="headers">Headers</label><pre id="headers"></pre>
<label for="response">Body</label><pre id="response"></pre>`;
  const file = path.join(outDir, "try.html");
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  writeFileSync(
    file,
    page({
      title: "Try it against the mock",
      slug: "try",
      body,
      scripts: `<script>window.IX_CONSOLE=${json};</script>\n<script>${SCRIPT}</script>`,
    }),
  );
  return { file, operations: data.length, examples: data.reduce((n, o) => n + o.examples.length, 0) };
}
