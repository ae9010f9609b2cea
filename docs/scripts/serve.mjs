// Serves docs/dist on 127.0.0.1 (default port 8080): the API reference at /, the handbook at
// /handbook/. `node scripts/serve.mjs [--port N] [--host H] [--mock-url http://127.0.0.1:PORT]`:
// with --mock-url the console (handbook/try.html) sends to that mock instead of the built default.
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import sirv from "sirv";
import { isLoopbackUrl, MOCK_URL_FILE, mockUrlScript } from "./mock-url.mjs";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8080" },
    host: { type: "string", default: "127.0.0.1" },
    "mock-url": { type: "string" },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`docs: --port must be a whole number from 0 to 65535, got "${values.port}"`);
  process.exit(2);
}
const mockUrl = values["mock-url"];
if (mockUrl !== undefined && !isLoopbackUrl(mockUrl)) {
  console.error(`docs: --mock-url must be http:// on 127.0.0.1, localhost or [::1], got "${mockUrl}"`);
  process.exit(2);
}
const dist = path.resolve(import.meta.dirname, "../dist");
if (!existsSync(path.join(dist, "index.html"))) {
  console.error("docs: dist/index.html is missing; run `pnpm build` first");
  process.exit(1);
}
const files = sirv(dist, { dev: true, single: false });
const server = http.createServer((req, res) => {
  // A folder without its trailing slash would break the pages' relative links.
  const { pathname, search } = new URL(req.url ?? "/", "http://localhost");
  if (mockUrl !== undefined && pathname === `/handbook/${MOCK_URL_FILE}`) {
    res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" });
    res.end(mockUrlScript(mockUrl));
    return;
  }
  if (pathname === "/handbook") {
    res.writeHead(301, { Location: `/handbook/${search}` }).end();
    return;
  }
  files(req, res);
});
server.on("error", (err) => {
  console.error(`docs: cannot listen on ${values.host}:${port} (${err.code ?? err.message})`);
  process.exit(1);
});
server.listen(port, values.host, () => {
  const { port: actual } = server.address();
  console.log(`Docs served on http://${values.host}:${actual}/`);
  console.log(`Handbook on    http://${values.host}:${actual}/handbook/`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
