// Where the console (handbook/try.html) sends: the mock on this machine. Shared by the build
// (console.mjs) and the server (serve.mjs, which names the mock `pnpm start` runs on MOCK_PORT),
// without the build's dependencies.

/** The mock's address the site is built with: where `pnpm start` runs it by default. */
export const MOCK_URL = "http://127.0.0.1:4010";

/**
 * Whether a request URL may be sent: http:// to 127.0.0.1, localhost or [::1] only. Written in
 * plain browser JavaScript: the page inlines this very function.
 */
export function isLoopbackUrl(u) {
  let url;
  try {
    url = new URL(String(u));
  } catch {
    return false;
  }
  return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].indexOf(url.hostname) >= 0;
}

/** The console's small script that names the mock's address; `serve.mjs --mock-url` serves its own. */
export const MOCK_URL_FILE = "mock-url.js";
export function mockUrlScript(url) {
  if (!isLoopbackUrl(url)) throw new Error(`docs: the mock's address must be http:// on this machine, got ${url}`);
  return `window.IX_MOCK_URL=${JSON.stringify(String(url))};\n`;
}
