// The console's pieces that do not need a browser: the loopback guard its page inlines, the
// spec it loads (the mock as its one server) and its deep links. The browser test drives it.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { specJsonPath } from "@ixpress/openapi";
import { describe, expect, it } from "vitest";
import { consoleSpec, isLoopbackUrl, MOCK_URL, SWAGGER_VERSION, VENDOR_DIR } from "../scripts/console.mjs";
import { consoleAnchor, operationAnchor } from "../scripts/handbook.mjs";
import { MOCK_URL_FILE } from "../scripts/mock-url.mjs";
import { listOperations } from "../scripts/samples.mjs";

const docs = path.resolve(import.meta.dirname, "..");
const dist = path.join(docs, "dist");
const spec = JSON.parse(readFileSync(specJsonPath, "utf8"));
const operations = listOperations(spec);

/** The guard as the built page has it (the page inlines isLoopbackUrl's source). */
function pageGuard(): (url: string) => boolean {
  const html = readFileSync(path.join(dist, "handbook", "try.html"), "utf8");
  const source = html.match(/var isLoopbackUrl = (function isLoopbackUrl[\s\S]*?\n\});\n/)?.[1];
  expect(source, "the guard in try.html").toBeDefined();
  return new Function(`return (${source});`)();
}
const guards = () => [isLoopbackUrl, pageGuard()];

describe("the console's loopback guard", () => {
  it.each([
    "http://127.0.0.1:4010/clients.json?api_key=test",
    "http://localhost:4010/clients.json",
    "http://[::1]:4010/clients.json",
    "http://127.0.0.1/",
    "HTTP://LOCALHOST:9/x",
  ])("lets %s through", (url) => {
    for (const guard of guards()) expect(guard(url)).toBe(true);
  });

  it.each([
    "https://your-account.app.invoicexpress.com/clients.json?api_key=test",
    "https://127.0.0.1:4010/clients.json", // https: the mock speaks http
    "http://127.0.0.1.example.com/clients.json",
    "http://localhost.example.com/",
    "http://127.0.0.1@example.com/clients.json", // credentials before the real host
    "http://example.com/?u=http://127.0.0.1",
    "http://127.0.0.2:4010/",
    "http://[::2]:4010/",
    "http://0.0.0.0:4010/",
    "file:///etc/passwd",
    "/clients.json", // relative: no host to check
    "",
    "not a url",
  ])("refuses %s", (url) => {
    for (const guard of guards()) expect(guard(url)).toBe(false);
  });

  it("guards every request swagger-ui sends", () => {
    const html = readFileSync(path.join(dist, "handbook", "try.html"), "utf8");
    expect(html).toMatch(
      /requestInterceptor: function \(req\) \{[^}]*if \(!isLoopbackUrl\(req\.url\)\) \{[^}]*req\.userFetch = function \(\) \{ return Promise\.reject\(/,
    );
  });
});

describe("the console's spec and page", () => {
  it("has the local mock as its one, editable server and the spec's operations unchanged", () => {
    const shown = consoleSpec(spec);
    expect(shown.servers).toHaveLength(1);
    expect(shown.servers[0].url).toBe("{mock}");
    expect(shown.servers[0].variables.mock.default).toBe(MOCK_URL);
    expect(Object.keys(shown.paths)).toEqual(Object.keys(spec.paths));
    for (const [p, item] of Object.entries(spec.paths) as Array<[string, Record<string, Record<string, unknown>>]>) {
      for (const [method, operation] of Object.entries(item)) {
        const mine = shown.paths[p][method];
        expect(mine.operationId, `${method} ${p}`).toBe(operation.operationId);
        expect(mine.requestBody, `${method} ${p}`).toEqual(operation.requestBody);
        expect(mine.responses, `${method} ${p}`).toEqual(operation.responses);
      }
    }
    expect(spec.servers[0].url, "the spec itself is untouched").toMatch(/invoicexpress\.com/);
  });

  it("gives every parameter one type, so that swagger-ui draws its input (and fills its example)", () => {
    const shown = consoleSpec(spec);
    const params: Array<{ name: string; schema?: { type?: unknown; $ref?: string } }> = [
      ...Object.values(shown.components.parameters as Record<string, { name: string; schema?: { type?: unknown } }>),
    ];
    for (const item of Object.values(shown.paths) as Array<Record<string, { parameters?: typeof params }>>) {
      for (const operation of Object.values(item))
        params.push(...(operation.parameters ?? []).filter((x) => !("$ref" in x)));
    }
    const multi = (schema: { type?: unknown } | undefined) => Array.isArray(schema?.type);
    // The spec itself has such parameters: ids as number or digits, flags as boolean or 1/0.
    const original = Object.values(spec.components.parameters as Record<string, { schema?: { type?: unknown } }>);
    expect(original.filter((x) => multi(x.schema)).length).toBeGreaterThan(5);
    for (const param of params) {
      expect(multi(param.schema), param.name).toBe(false);
      expect(param.schema?.$ref?.startsWith("#/components/schemas/Query") ?? false, param.name).toBe(false);
    }
    const documentId = shown.components.parameters.DocumentId ?? params.find((x) => x.name === "document-id");
    expect(documentId.schema).toMatchObject({ type: "string", pattern: "^[0-9]+$" });
    const archived = params.find((x) => x.name === "archived")!;
    expect(archived.schema).toMatchObject({ type: "boolean" });
  });

  it("each operation has its own deep link, in swagger-ui's form", () => {
    const anchors = operations.map((op) => consoleAnchor(op));
    expect(new Set(anchors).size).toBe(operations.length);
    const listClients = operations.find((o) => o.operationId === "listClients")!;
    expect(consoleAnchor(listClients)).toBe("#!/Clients/listClients");
    const spaced = operations.find((o) => (o.operation.tags?.[0] ?? "").includes(" "));
    expect(spaced, "a tag with a space").toBeDefined();
    expect(consoleAnchor(spaced!)).toBe(`#!/${spaced!.operation.tags[0].replace(/ /g, "%20")}/${spaced!.operationId}`);
    // Every operation of the reference links to its console entry.
    const reference = readFileSync(path.join(dist, "reference.html"), "utf8");
    for (const op of operations) {
      expect(reference, `${op.operationId} (${operationAnchor(op)})`).toContain(
        `(handbook/try.html${consoleAnchor(op)})`,
      );
    }
  });

  it("loads swagger-ui from the site itself, the pinned version, with its licence", () => {
    const pkg = JSON.parse(readFileSync(path.join(docs, "package.json"), "utf8"));
    expect(pkg.devDependencies["swagger-ui-dist"]).toBe(SWAGGER_VERSION);
    const html = readFileSync(path.join(dist, "handbook", "try.html"), "utf8");
    const assets = [...html.matchAll(/\s(?:src|href)="([^"#]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(
      expect.arrayContaining([
        `../${VENDOR_DIR}/swagger-ui-bundle.js`,
        `../${VENDOR_DIR}/swagger-ui.css`,
        "console-spec.js",
      ]),
    );
    for (const a of assets) expect(a, "no outside resource").not.toMatch(/^(https?:)?\/\//);
    for (const f of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"])
      expect(existsSync(path.join(dist, VENDOR_DIR, f)), f).toBe(true);
    expect(html).toContain("validatorUrl: null");
  });
});

/** Runs a script until it prints a line matching `ready` (then returns what it printed and the child) or exits. */
function run(script: string, args: string[], env: Record<string, string>, ready: RegExp) {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  return new Promise<{ out: string; code: number | null; child: typeof child }>((resolve) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (ready.test(out)) resolve({ out, code: null, child });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => resolve({ out, code, child }));
  });
}
async function stop(child: ReturnType<typeof spawn>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await gone;
}

describe("the mock's address: pnpm start's MOCK_PORT reaches the console", () => {
  const serve = path.join(docs, "scripts", "serve.mjs");

  it("the built page loads the address file before the spec, and the built file names the default mock", () => {
    const html = readFileSync(path.join(dist, "handbook", "try.html"), "utf8");
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.indexOf(MOCK_URL_FILE)).toBeGreaterThanOrEqual(0);
    expect(scripts.indexOf(MOCK_URL_FILE)).toBeLessThan(scripts.indexOf("console-spec.js"));
    expect(readFileSync(path.join(dist, "handbook", MOCK_URL_FILE), "utf8")).toBe(
      `window.IX_MOCK_URL=${JSON.stringify(MOCK_URL)};\n`,
    );
  });

  it("serve.mjs --mock-url serves the address it is given in that file", async () => {
    const { out, child } = await run(serve, ["--port", "0", "--mock-url", "http://127.0.0.1:4999"], {}, /Handbook on/);
    try {
      const base = out.match(/Docs served on (http:\/\/127\.0\.0\.1:\d+)\//)?.[1];
      expect(base, out).toBeDefined();
      const res = await fetch(`${base}/handbook/${MOCK_URL_FILE}`);
      expect(res.headers.get("content-type")).toMatch(/javascript/);
      expect(await res.text()).toBe('window.IX_MOCK_URL="http://127.0.0.1:4999";\n');
    } finally {
      await stop(child);
    }
  });

  it("serve.mjs refuses a mock address off this machine, and start.mjs a port that is not one", async () => {
    const far = await run(serve, ["--port", "0", "--mock-url", "https://example.com"], {}, /Handbook on/);
    await stop(far.child);
    expect(far.code, far.out).toBe(2);
    expect(far.out).toMatch(/--mock-url must be http:\/\/ on 127\.0\.0\.1/);
    const start = path.resolve(docs, "..", "scripts", "start.mjs");
    for (const [name, value] of [
      ["MOCK_PORT", "40x0"],
      ["DOCS_PORT", "70000"],
    ] as const) {
      const bad = await run(start, [], { [name]: value }, /(?!)/);
      expect(bad.code, bad.out).toBe(2);
      expect(bad.out).toContain(`${name} must be a port number`);
    }
  });
});
