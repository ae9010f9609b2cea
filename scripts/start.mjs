// `pnpm start`: after the build, runs the mock on http://127.0.0.1:4010 and serves the docs
// on http://127.0.0.1:8080 until Ctrl-C. MOCK_PORT and DOCS_PORT change the ports; the docs'
// console is told where the mock is (serve.mjs --mock-url), so it follows MOCK_PORT.
import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
/** A port from the environment: a whole number from 1 to 65535, or the default. */
function port(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    console.error(`${name} must be a port number from 1 to 65535, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return raw;
}
const mockPort = port("MOCK_PORT", "4010");
const docsPort = port("DOCS_PORT", "8080");
const children = [
  spawn(process.execPath, [path.join(root, "packages/mock/dist/cli.js"), "--port", mockPort], { stdio: "inherit" }),
  spawn(
    process.execPath,
    [path.join(root, "docs/scripts/serve.mjs"), "--port", docsPort, "--mock-url", `http://127.0.0.1:${mockPort}`],
    { stdio: "inherit" },
  ),
];
let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null))).then(() =>
    process.exit(code),
  );
}
for (const child of children) {
  child.once("exit", (code) => {
    if (!stopping) {
      console.error(`a server stopped (exit ${code}); stopping the other`);
      stopAll(code || 1);
    }
  });
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
