// The built site in a real browser (Debian's Chromium driven by playwright-core), served by
// scripts/serve.mjs on 127.0.0.1, with every request to any other host blocked and recorded.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { specJsonPath } from "@ixpress/openapi";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HANDBOOK_PAGES, operationAnchor } from "../scripts/handbook.mjs";
import { listOperations } from "../scripts/samples.mjs";

const docs = path.resolve(import.meta.dirname, "..");
const results = path.join(docs, "test-results");
const CHROMIUM = "/usr/bin/chromium";
// The flags of the machine notes: no background traffic to Google, no first-run work.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const spec = JSON.parse(readFileSync(specJsonPath, "utf8"));
const operations = listOperations(spec);

let server: ChildProcess | undefined;
let base = "";
let context: BrowserContext;
let userDataDir = "";
/** Every URL the pages asked for, and those that left loopback (blocked). */
const requested: string[] = [];
const external: string[] = [];
const consoleErrors: string[] = [];

const isLoopback = (url: URL) => ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);

function startServer(): Promise<string> {
  return new Promise((resolve, reject) => {
    server = spawn(process.execPath, [path.join(docs, "scripts", "serve.mjs"), "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const timer = setTimeout(() => reject(new Error(`serve.mjs did not start:\n${out}`)), 15_000);
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = out.match(/Docs served on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    server.stdout!.on("data", onData);
    server.stderr!.on("data", onData);
    server.once("exit", (code) => reject(new Error(`serve.mjs exited (${code}):\n${out}`)));
  });
}

async function openPage(url: string): Promise<Page> {
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
  await page.goto(url, { waitUntil: "load" });
  return page;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/apt-packages does it)`);
  }
  expect(existsSync(path.join(docs, "dist", "index.html")), "dist/index.html (run the docs build)").toBe(true);
  base = await startServer();
  userDataDir = mkdtempSync(path.join(os.tmpdir(), "ixpress-docs-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  context.on("request", (request) => requested.push(request.url()));
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === "http:" || url.protocol === "https:") && isLoopback(url)) return route.continue();
    external.push(url.href);
    return route.abort("blockedbyclient");
  });
  mkdirSync(results, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  if (server && server.exitCode === null) {
    const gone = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await gone;
  }
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

afterEach(() => {
  // Checked after every test, so a failure names the page that did it.
  expect(external, "requests that left loopback").toEqual([]);
  expect(consoleErrors, "console errors").toEqual([]);
  for (const url of requested)
    expect(url, "every request stays on loopback").toMatch(/^(http:\/\/(127\.0\.0\.1|localhost)[:/]|data:|blob:)/);
});

describe("the API reference, offline", () => {
  it("lists every operation of the spec in the navigation", async () => {
    const page = await openPage(`${base}/`);
    await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor();
    // Tags are collapsed: open each one and collect the operation entries it shows.
    const seen = new Set<string>();
    const collect = async () => {
      for (const href of await page
        .locator(".menu-item-type-operation > a")
        .evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
        if (href) seen.add(href);
      }
    };
    const groups = page.locator(".menu-item-type-group > a");
    const count = await groups.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      await groups.nth(i).click();
      await page.waitForTimeout(100);
      await collect();
    }
    const expected = new Set(operations.map((op) => operationAnchor(op)));
    expect(expected.size).toBe(operations.length);
    expect([...seen].sort()).toEqual([...expected].sort());
    await page.close();
  });

  it("finds an operation by searching for it, and opens it", async () => {
    const page = await openPage(`${base}/`);
    // The first and the last operation of the spec, whatever they are when the spec grows.
    for (const op of [operations[0]!, operations.at(-1)!]) {
      await page.getByText("Search", { exact: false }).first().click();
      const input = page.locator('[data-component-name="Search/SearchInput"] input');
      await input.fill(op.operation.summary);
      const hit = page
        .locator(`a[href$="${operationAnchor(op)}"]`)
        .filter({ hasText: op.operation.summary })
        .first();
      await hit.waitFor({ timeout: 15_000 });
      await hit.click();
      await page.waitForFunction((anchor) => window.location.hash === anchor, operationAnchor(op));
      await expect
        .poll(() => page.locator("h1, h2").filter({ hasText: op.operation.summary }).first().isVisible())
        .toBe(true);
    }
    await page.close();
  });

  it("shows the generated TypeScript and curl samples of an operation", async () => {
    const op = operations.find((o) => o.operation.requestBody) ?? operations[0]!;
    const page = await openPage(`${base}/${operationAnchor(op)}`);
    await page.locator("h1, h2").filter({ hasText: op.operation.summary }).first().waitFor();
    await expect.poll(() => page.getByText("@ixpress/client", { exact: false }).first().isVisible()).toBe(true);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(results, "reference.png") });
    // TypeScript is shown first; curl is the other language of the panel's language menu.
    await page
      .locator('button[aria-haspopup="menu"]')
      .filter({ hasText: /^TypeScript$/ })
      .first()
      .click();
    await page.getByRole("menuitem", { name: "curl" }).first().click();
    await expect.poll(() => page.getByText("api_key=$IX_API_KEY", { exact: false }).first().isVisible()).toBe(true);
    await page.close();
  });

  it("the landing view renders the introduction and the handbook links", async () => {
    const page = await openPage(`${base}/`);
    await page.getByText(spec.info.title, { exact: false }).first().waitFor();
    await page.screenshot({ path: path.join(results, "reference-home.png") });
    await page.getByRole("link", { name: HANDBOOK_PAGES[1]!.title }).first().click();
    await page.waitForURL(`${base}/handbook/${HANDBOOK_PAGES[1]!.slug}.html`);
    await page.close();
  });
});

describe("the handbook, offline", () => {
  it("renders every page, and its operation links land on the operation", async () => {
    for (const p of HANDBOOK_PAGES) {
      const page = await openPage(`${base}/handbook/${p.slug}.html`);
      expect(await page.locator("h1").first().textContent()).toBeTruthy();
      if (p.slug === "getting-started")
        await page.screenshot({ path: path.join(results, "handbook.png"), fullPage: false });
      await page.close();
    }
    const page = await openPage(`${base}/handbook/getting-started.html`);
    const link = page.locator('main a[href^="../index.html#/"]').first();
    const href = (await link.getAttribute("href"))!;
    const op = operations.find((o) => href.endsWith(operationAnchor(o)));
    expect(op, `${href} names an operation of the spec`).toBeDefined();
    await link.click();
    await page.locator("h1, h2").filter({ hasText: op!.operation.summary }).first().waitFor();
    await page.close();
  });
});
