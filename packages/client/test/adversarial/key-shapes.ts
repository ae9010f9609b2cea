// The API keys the leak suites try (the client's here, and @ixpress/mcp's), and two ways a server echoes them. Every
// key starts with the marker: a leak of any part that holds it (a prefix in a parse error, a cut body) is found as well
// as the whole key.
export const MARKER = "QzX7vK";
export const KEY_SHAPES: Readonly<Record<string, string>> = {
  alphanumeric: `${MARKER}a1b2c3d4e5f6a7b8c9d0e1f2a3b4`,
  "ampersand and equals": `${MARKER}&api_key=x&y=1`,
  "angle brackets and slash": `${MARKER}</script><b>/x`,
  quotes: `${MARKER}"quoted" it's`,
  "non-ASCII": `${MARKER}-clé-ñ-日本-😀`,
  "percent-encoding lookalikes": `${MARKER}%41%zz%2F100%`,
  "space and plus": `${MARKER} a+b c`,
  "backslash and JSON escapes": `${MARKER}\\u0041\\n\\`,
};

const utf8 = new TextEncoder();
/** Raw UTF-8 read byte by byte, as a header value comes back. */
export const latin1 = (s: string) => String.fromCharCode(...utf8.encode(s));
/** JSON as Rails writes it: `&`, `<`, `>` as `\u` escapes and `/` as `\/`. */
export const railsJson = (v: unknown) =>
  JSON.stringify(v)
    .replace(/[&<>]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/\//g, "\\/");
/** JSON with every non-ASCII character as a `\u` escape. */
export const asciiJson = (v: unknown) =>
  JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
export const html = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
/** Every character but letters and digits as a decimal HTML entity. */
export const entities = (s: string) => [...s].map((c) => (/[a-z0-9]/i.test(c) ? c : `&#${c.codePointAt(0)};`)).join("");
export const lowerPct = (s: string) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
export const formEncoded = (s: string) => new URLSearchParams({ k: s }).toString().slice(2);

/** Every form in which the key could be found in text (the marker alone finds any prefix). */
export function forms(key: string): string[] {
  return [
    MARKER,
    key,
    encodeURIComponent(key),
    lowerPct(key),
    formEncoded(key),
    JSON.stringify(key).slice(1, -1),
    railsJson(key).slice(1, -1),
    asciiJson(key).slice(1, -1),
    html(key),
    entities(key),
    latin1(key),
  ];
}
