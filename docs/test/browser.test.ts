// The built site in a real browser (Debian's Chromium driven by playwright-core), served by
// scripts/serve.mjs on 127.0.0.1, with every request to any other host blocked and recorded.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type RunningMock, startMock } from "@ixpress/mock";
import { specJsonPath } from "@ixpress/openapi";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  consoleAnchor,
  EXTRA_PAGES,
  guidesByOperation,
  HANDBOOK_PAGES,
  operationAnchor,
} from "../scripts/handbook.mjs";
import { allSamples, listOperations } from "../scripts/samples.mjs";

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
const samples = allSamples(spec);
let mock: RunningMock | undefined;

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
  mock = await startMock();
});

afterAll(async () => {
  await context?.close();
  await mock?.stop();
  if (server && server.exitCode === null) {
    const gone = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await gone;
  }
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

afterEach(() => {
  // Checked after every test, so a failure names the page that did it (and only that test fails).
  const left = external.splice(0);
  const errors = consoleErrors.splice(0);
  const urls = requested.splice(0);
  expect(left, "requests that left loopback").toEqual([]);
  expect(errors, "console errors").toEqual([]);
  for (const url of urls)
    expect(url, "every request stays on loopback").toMatch(/^(http:\/\/(127\.0\.0\.1|localhost)[:/]|data:|blob:)/);
});

describe("the API reference, offline", () => {
  it("lists every operation of the spec in the navigation", async () => {
    const page = await openPage(`${base}/reference.html`);
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
    const page = await openPage(`${base}/reference.html`);
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
    const page = await openPage(`${base}/reference.html${operationAnchor(op)}`);
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
    const page = await openPage(`${base}/reference.html`);
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
    const link = page.locator('main a[href^="../reference.html#/"]').first();
    const href = (await link.getAttribute("href"))!;
    const op = operations.find((o) => href.endsWith(operationAnchor(o)));
    expect(op, `${href} names an operation of the spec`).toBeDefined();
    await link.click();
    await page.locator("h1, h2").filter({ hasText: op!.operation.summary }).first().waitFor();
    await page.close();
  });
});

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

/** Whether some code block of an operation's section shows this source (whitespace aside). */
function showsSource(page: Page, sectionId: string, source: string) {
  return page.evaluate(
    ([id, src]) =>
      Array.from(document.querySelectorAll(`[data-section-id="${id}"] pre, [data-section-id="${id}"] code`)).some(
        (el) => (el.textContent ?? "").replace(/\s+/g, " ").trim().includes(src!),
      ),
    [sectionId, norm(source)],
  );
}

describe("samples for every request example", () => {
  const byOp = new Map<string, typeof samples>();
  for (const s of samples) byOp.set(s.op.operationId, [...(byOp.get(s.op.operationId) ?? []), s]);
  const several = [...byOp.values()].filter((list) => list.length > 2);
  let page: Page;
  beforeAll(async () => {
    page = await openPage(`${base}/reference.html`);
    await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor();
    page.setDefaultTimeout(15_000); // a missing entry fails the test quickly, instead of at 30 s
  });
  afterAll(async () => {
    await page?.close();
  });
  it("there are operations with several request examples", () => {
    expect(several.length).toBeGreaterThanOrEqual(2);
  });
  // One test per operation: each picks every sample of its operation from the language menu.
  for (const list of several) {
    const op = list[0]!.op;
    it(`${op.operationId}: each of its ${list.length / 2} examples has its TypeScript and curl sample, and the payload`, async () => {
      await page.evaluate((hash) => {
        window.location.hash = hash;
      }, operationAnchor(op));
      await page.locator("h1, h2").filter({ hasText: op.operation.summary }).first().waitFor();
      // Redoc renders the neighbouring operations too: everything is looked up in this one's section.
      const sectionId = operationAnchor(op).slice(1);
      const menu = page.locator(`[data-section-id="${sectionId}"] button[aria-haspopup="menu"]`).filter({
        hasText: /^(TypeScript|curl)(: .*)?$|^Payload$/,
      });
      await menu.first().click();
      // (Redoc's server menus are menus too: only the language entries are compared.)
      const items = (await page.locator('[role="menuitem"]').allTextContents()).filter((t) =>
        /^(TypeScript|curl)(: .*)?$|^Payload$/.test(norm(t)),
      );
      expect(items.map(norm).sort()).toEqual([...list.map((s) => s.label), "Payload"].map(norm).sort());
      for (const [i, s] of list.entries()) {
        if (i > 0) await menu.first().click(); // picking an entry closes the menu
        const exact = new RegExp(`^${s.label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
        // The entry's own click handler, without the pointer's geometry: on a busy machine Redoc can
        // still be scrolling to the section, and an open menu's entries then sit outside the
        // viewport, where a pointer click waits for them in vain.
        await page.locator('[role="menuitem"]').filter({ hasText: exact }).first().dispatchEvent("click");
        await expect
          .poll(() => showsSource(page, sectionId, s.source), { message: `${op.operationId}: ${s.label}` })
          .toBe(true);
      }
    });
  }
});

/** Opens the console on a deep link and waits for swagger-ui to have loaded the spec. */
async function openConsole(hash = "") {
  const page = await openPage(`${base}/handbook/try.html${hash}`);
  await page.waitForFunction(() => document.documentElement.dataset.consoleReady === "true");
  return page;
}
/** The operation swagger-ui has open: exactly one, the one the deep link names. */
async function openOperation(page: Page, op: (typeof operations)[number]) {
  const open = page.locator(".opblock.is-open");
  await open.first().waitFor();
  expect(await open.count()).toBe(1);
  expect(await open.locator(".opblock-summary-path").first().getAttribute("data-path")).toBe(op.path);
  expect((await open.locator(".opblock-summary-method").first().textContent())?.toLowerCase()).toBe(op.method);
  return open;
}
const mockField = (page: Page) => page.locator('.servers input[data-variable="mock"]');

describe("the handbook and the reference, linked", () => {
  it("every guide's links into the reference land on an operation", async () => {
    const anchors = new Set(operations.map((op) => operationAnchor(op)));
    let links = 0;
    for (const p of HANDBOOK_PAGES) {
      const page = await openPage(`${base}/handbook/${p.slug}.html`);
      const hrefs = await page
        .locator('main a[href*="reference.html#/"]')
        .evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
      for (const href of hrefs) expect(anchors.has(href.slice(href.indexOf("#"))), `${p.slug}: ${href}`).toBe(true);
      links += hrefs.length;
      await page.close();
    }
    expect(links).toBeGreaterThanOrEqual(5);
  });

  it("a guide's operation links have a try link that opens the operation in the console", async () => {
    const page = await openPage(`${base}/handbook/getting-started.html`);
    const links = page.locator('main a[href^="try.html#!/"]');
    expect(await links.count()).toBeGreaterThan(0);
    const href = (await links.first().getAttribute("href"))!;
    const op = operations.find((o) => href === `try.html${consoleAnchor(o)}`);
    expect(op, `${href} names an operation of the spec`).toBeDefined();
    await links.first().click();
    await page.waitForURL(/\/handbook\/try\.html#/);
    await page.waitForFunction(() => document.documentElement.dataset.consoleReady === "true");
    await openOperation(page, op!);
    await page.close();
  });

  it("an operation links to its guide and to the console (which opens it), and the sidebar has the handbook", async () => {
    const op = operations.find((o) => o.operationId === "listClients")!;
    const guide = guidesByOperation(spec).get("listClients")![0]!;
    const page = await openPage(`${base}/reference.html${operationAnchor(op)}`);
    await page.locator("h1, h2").filter({ hasText: op.operation.summary }).first().waitFor();
    const tryLink = page.locator(`a[href="handbook/try.html${consoleAnchor(op)}"]`).first();
    await tryLink.waitFor();
    await page.locator(`a[href="handbook/${guide.slug}.html"]`).first().click();
    await page.waitForURL(`${base}/handbook/${guide.slug}.html`);
    expect(await page.locator("h1").first().textContent()).toBeTruthy();
    await page.goto(`${base}/reference.html${operationAnchor(op)}`);
    await page.locator("h1, h2").filter({ hasText: op.operation.summary }).first().waitFor();
    await page
      .locator(`a[href="handbook/try.html${consoleAnchor(op)}"]`)
      .first()
      .click();
    await page.waitForURL(/\/handbook\/try\.html#/);
    await page.waitForFunction(() => document.documentElement.dataset.consoleReady === "true");
    await openOperation(page, op);
    await page.goto(`${base}/reference.html`);
    const entry = page.locator('[data-component-name="Menu/MenuItem"]').filter({ hasText: /^Handbook$/ });
    await entry.first().click();
    await page.getByRole("link", { name: "Try it against the mock" }).first().click();
    await page.waitForURL(`${base}/handbook/try.html`);
    await page.close();
  });
});

describe("one search for guides, operations and fields", () => {
  it("finds a field by a word of its description (NIF finds fiscal_id) and opens an operation that sends it", async () => {
    const page = await openPage(`${base}/handbook/index.html`);
    await page.waitForFunction(() => document.documentElement.dataset.searchReady === "true");
    await page.locator("#search").fill("NIF");
    const field = page.locator('#search-results a[data-kind="field"]', { hasText: "fiscal_id" });
    await field.waitFor();
    expect(await field.locator("small").textContent()).toMatch(/^Field · \d+ operations, e\.g\. /);
    // The field's own name finds it first.
    await page.locator("#search").fill("unit_price");
    const first = page.locator("#search-results a").first();
    await expect.poll(() => first.textContent()).toMatch(/^unit_price/);
    expect(await first.getAttribute("data-kind")).toBe("field");
    await page.locator("#search").fill("NIF");
    await field.click();
    await page.waitForURL(/reference\.html#\//);
    await page.locator("h1, h2").first().waitFor();
    await page.close();
  });

  it("finds a guide and an operation for the same words, and opens either", async () => {
    const page = await openPage(`${base}/handbook/index.html`);
    await page.waitForFunction(() => document.documentElement.dataset.searchReady === "true");
    await page.locator("#search").fill("list clients");
    await page.locator('#search-results a[data-kind="guide"]').first().waitFor();
    const op = operations.find((o) => o.operationId === "listClients")!;
    const hit = page.locator(`#search-results a[data-kind="operation"][href$="${operationAnchor(op)}"]`);
    await hit.waitFor();
    await hit.click();
    await page.locator("h1, h2").filter({ hasText: op.operation.summary }).first().waitFor();
    await page.goto(`${base}/index.html`);
    await page.locator("#search").fill("proprietary_uid retried");
    const guide = page.locator('#search-results a[data-kind="guide"]').first();
    await guide.waitFor();
    await guide.click();
    await page.waitForURL(/\/handbook\/[a-z-]+\.html/);
    await page.close();
  });
});

describe("the console against the local mock (swagger-ui)", () => {
  it("opens an operation by deep link, sends the example picked to the mock, and shows status, headers and body", async () => {
    const op = operations.find((o) => o.operationId === "changeInvoiceState")!;
    const curl = samples.filter((s) => s.op.operationId === op.operationId && s.lang === "curl");
    expect(curl.length, "an operation with several examples").toBeGreaterThan(2);
    const page = await openConsole(consoleAnchor(op));
    const open = await openOperation(page, op);
    expect(await mockField(page).inputValue(), "the mock of pnpm start by default").toBe("http://127.0.0.1:4010");
    await mockField(page).fill(mock!.url);

    // The examples menu lists the operation's request examples; picking one puts it in the body.
    const heredoc = (source: string) => JSON.parse(source.split("<<'JSON'\n")[1]!.split("\nJSON")[0]!);
    const examples = open.locator(".opblock-section-request-body select.examples-select-element");
    expect(await examples.locator("option").allTextContents()).toEqual(curl.map((s) => s.label.replace(/^curl: /, "")));
    const body = open.locator("textarea.body-param__text");
    expect(JSON.parse(await body.inputValue())).toEqual(heredoc(curl[0]!.source));
    await examples.selectOption(curl[1]!.example!);
    await expect.poll(async () => JSON.parse(await body.inputValue())).toEqual(heredoc(curl[1]!.source));
    expect(heredoc(curl[1]!.source)).not.toEqual(heredoc(curl[0]!.source));

    await open.locator("button.execute").click();
    const answer = open.locator(".live-responses-table tr.response");
    await answer.waitFor();
    expect(await answer.locator(".response-col_status").textContent()).toMatch(/^2\d\d$/);
    const details = answer.locator(".response-col_description");
    expect(JSON.parse((await details.locator(".highlight-code pre").first().textContent())!)).toHaveProperty("invoice");
    expect(await details.textContent()).toMatch(/Response headers[\s\S]*content-type: application\/json/);
    expect(await page.locator("#console-status").textContent()).toMatch(/^Sent PUT http:\/\/127\.0\.0\.1:\d+\//);
    await page.screenshot({ path: path.join(results, "console.png") });
    await page.close();
  });

  it("sends an edited body, and shows the mock's refusal of a broken one", async () => {
    const op = operations.find((o) => o.operationId === "createClient")!;
    const page = await openConsole(consoleAnchor(op));
    const open = await openOperation(page, op);
    await mockField(page).fill(mock!.url);
    const body = open.locator("textarea.body-param__text");
    const edited = JSON.parse(await body.inputValue());
    edited.client.name = "Edited in the console";
    await body.fill(JSON.stringify(edited, null, 2));
    await open.locator("button.execute").click();
    const status = (code: RegExp) =>
      open.locator(".live-responses-table tr.response .response-col_status", { hasText: code });
    await status(/^201$/).waitFor();

    edited.client.name = 42;
    await body.fill(JSON.stringify(edited));
    await open.locator("button.execute").click();
    await status(/^4\d\d$/).waitFor();
    expect(await open.locator(".live-responses-table tr.response .response-col_description").textContent()).toMatch(
      /name/,
    );
    // Chromium reports every 4xx answer on the console: this one was asked for.
    const refusal = consoleErrors.findIndex((e) => /try\.html.*status of 4\d\d/.test(e));
    expect(refusal, "the browser saw the refusal").toBeGreaterThanOrEqual(0);
    consoleErrors.splice(refusal, 1);
    await page.close();
  });

  it("refuses a server that is not on this machine, before anything is sent", async () => {
    const op = operations.find((o) => o.operationId === "listClients")!;
    const page = await openConsole(consoleAnchor(op));
    const open = await openOperation(page, op);
    const before = requested.length;
    for (const url of ["https://your-account.app.invoicexpress.com", "http://127.0.0.1.example.com:4010"]) {
      await mockField(page).fill(url);
      await open.locator("button.execute").click();
      await page.locator("#console-status[data-refused]", { hasText: `Refused: ${url}/clients.json` }).waitFor();
      // swagger-ui shows it as the request's error, with the URL it refused.
      await open
        .locator(".live-responses-table", {
          hasText: `Refused: the console only sends to http://127.0.0.1, localhost or [::1], not ${url}/clients.json`,
        })
        .waitFor();
      const clear = open.locator("button.btn-clear");
      if (await clear.count()) await clear.click();
    }
    expect(requested.slice(before), "no request was made").toEqual([]);
    // And the mock is still reachable from the same page afterwards.
    await mockField(page).fill(mock!.url);
    await open.locator("button.execute").click();
    await open.locator(".live-responses-table tr.response .response-col_status", { hasText: /^200$/ }).waitFor();
    expect(await page.locator("#console-status").getAttribute("data-refused")).toBeNull();
    await page.close();
  });

  it("sends to the mock the server names (pnpm start's MOCK_PORT), field and text alike", async () => {
    const page = await context.newPage();
    page.on("pageerror", (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
    // What `serve.mjs --mock-url` answers for this file (console.test.ts checks the server side).
    await page.route("**/handbook/mock-url.js", (route) =>
      route.fulfill({ contentType: "text/javascript", body: 'window.IX_MOCK_URL="http://127.0.0.1:4999";' }),
    );
    await page.goto(`${base}/handbook/try.html${consoleAnchor(operations[0]!)}`, { waitUntil: "load" });
    await page.waitForFunction(() => document.documentElement.dataset.consoleReady === "true");
    expect(await mockField(page).inputValue()).toBe("http://127.0.0.1:4999");
    expect(await page.locator(".ix-mock-url").allTextContents()).toEqual(["http://127.0.0.1:4999"]);
    // An address off this machine in that file is ignored: the built default stays.
    await page.route("**/handbook/mock-url.js", (route) =>
      route.fulfill({ contentType: "text/javascript", body: 'window.IX_MOCK_URL="https://example.com";' }),
    );
    await page.reload({ waitUntil: "load" });
    await page.waitForFunction(() => document.documentElement.dataset.consoleReady === "true");
    expect(await mockField(page).inputValue()).toBe("http://127.0.0.1:4010");
    await page.close();
  });

  it("lists every operation", async () => {
    const page = await openConsole();
    const tags = page.locator(".opblock-tag");
    const count = await tags.count();
    for (let i = 0; i < count; i++) await tags.nth(i).click();
    await expect.poll(() => page.locator(".opblock").count()).toBe(operations.length);
    await page.close();
  });

  it("swagger-ui's own deep link of each tag's operations is the one the site writes", async () => {
    const page = await openConsole();
    // Opening an operation makes swagger-ui write its deep link in the address: the first
    // operation of every tag, compared with consoleAnchor(). One tag is open at a time.
    const firsts = new Map<string, (typeof operations)[number]>();
    for (const op of operations) if (!firsts.has(op.operation.tags[0])) firsts.set(op.operation.tags[0], op);
    expect(firsts.size).toBe(await page.locator(".opblock-tag").count());
    // Clicks through the elements' own handlers, as the sample-menu test does: a pointer click
    // can land outside the viewport while swagger-ui is still laying out the opened section.
    const click = (locator: ReturnType<Page["locator"]>) => locator.evaluate((el) => (el as HTMLElement).click());
    for (const [tag, op] of firsts) {
      const header = page.locator(`.opblock-tag[data-tag="${tag}"]`);
      await click(header);
      const summary = page
        .locator(".opblock")
        .filter({ has: page.locator(`.opblock-summary-path[data-path="${op.path}"]`) })
        .filter({ has: page.locator(`.opblock-summary-method`, { hasText: new RegExp(`^${op.method}$`, "i") }) })
        .locator(".opblock-summary-control")
        .first();
      await click(summary);
      await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(consoleAnchor(op).replace("#!/", "#/"));
      await click(summary);
      await click(header);
    }
    await page.close();
  });
});

describe("phones and dark mode", () => {
  const changeState = operations.find((o) => o.operationId === "changeInvoiceState")!;
  // The console twice: as it opens, and on an operation opened by deep link (its body, tables).
  const pages = () => [
    "index.html",
    ...[...HANDBOOK_PAGES, ...EXTRA_PAGES].map((p) => `handbook/${p.slug}.html`),
    `handbook/try.html${consoleAnchor(changeState)}`,
  ];
  it("no page scrolls sideways at 390 px", async () => {
    const page = await context.newPage();
    page.on("pageerror", (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
    await page.setViewportSize({ width: 390, height: 844 });
    const wide: string[] = [];
    for (const url of pages()) {
      await page.goto(`${base}/${url}`, { waitUntil: "load" });
      if (url.startsWith("handbook/try.html")) {
        await page.waitForFunction(() => document.documentElement.dataset.consoleReady === "true");
        if (url.includes("#/")) await openOperation(page, changeState);
      }
      const [scroll, client] = await page.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      if (scroll > client) wide.push(`${url}: ${scroll} px wide in ${client} px`);
      if (url === "handbook/errors-and-retries.html")
        await page.screenshot({ path: path.join(results, "handbook-390.png") });
      if (url.includes("#/")) await page.screenshot({ path: path.join(results, "console-390.png") });
    }
    expect(wide).toEqual([]);
    await page.close();
  });

  it("the reference's longest sample label and its code stay inside the samples panel, at 1280 and 390 px", async () => {
    // The operation whose first sample (the one the panel shows) has the longest label: its tab
    // label and code are the likeliest to spill.
    const first = new Map<string, (typeof samples)[number]>();
    for (const sample of samples) if (!first.has(sample.op.operationId)) first.set(sample.op.operationId, sample);
    const longest = [...first.values()].sort((a, b) => b.label.length - a.label.length)[0]!;
    const page = await context.newPage();
    page.on("pageerror", (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/reference.html${operationAnchor(longest.op)}`, { waitUntil: "load" });
      const panel = page.locator(".panel-request-samples", { hasText: longest.label }).first();
      await panel.waitFor();
      await panel.scrollIntoViewIfNeeded();
      const spill = await panel.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const out: string[] = [];
        for (const inner of el.querySelectorAll<HTMLElement>(".button, pre, code")) {
          const r = inner.getBoundingClientRect();
          if (r.width === 0) continue;
          if (r.right > box.right + 2 || r.left < box.left - 2)
            out.push(
              `${inner.tagName} "${inner.textContent!.slice(0, 40)}" spans ${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(box.left)}–${Math.round(box.right)}`,
            );
          if (inner.tagName === "PRE" && inner.scrollWidth > inner.clientWidth + 1)
            out.push(`PRE scrolls sideways: ${inner.scrollWidth} px in ${inner.clientWidth}`);
        }
        return out;
      });
      await page.screenshot({ path: path.join(results, `reference-samples-${width}.png`) });
      expect(spill, `${longest.label} at ${width} px`).toEqual([]);
    }
    await page.close();
  });

  it("the console's open operation reads in both themes: every label and text at a contrast of 4.5:1 or more", async () => {
    const page = await context.newPage();
    page.on("pageerror", (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
    for (const scheme of ["dark", "light"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${base}/handbook/try.html${consoleAnchor(changeState)}`, { waitUntil: "load" });
      await page.waitForFunction(() => document.documentElement.dataset.consoleReady === "true");
      const open = await openOperation(page, changeState);
      const low = await open.evaluate((root) => {
        type Rgba = { r: number; g: number; b: number; a: number };
        const parse = (c: string): Rgba | null => {
          const m = c.match(/rgba?\(([^)]+)\)/);
          if (!m) return null;
          const [r = 0, g = 0, b = 0, a = 1] = m[1]!
            .split(/[ ,/]+/)
            .filter(Boolean)
            .map(Number);
          return { r, g, b, a };
        };
        const lum = (c: { r: number; g: number; b: number }) => {
          const f = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
        };
        // The colour behind an element: its and its ancestors' backgrounds, composited on the page.
        const behind = (el: Element) => {
          const layers: Rgba[] = [];
          for (let x: Element | null = el; x; x = x.parentElement) {
            const c = parse(getComputedStyle(x).backgroundColor);
            if (c && c.a > 0) {
              layers.push(c);
              if (c.a >= 1) break;
            }
          }
          let acc = { r: 255, g: 255, b: 255 };
          for (const c of layers.reverse())
            acc = {
              r: c.r * c.a + acc.r * (1 - c.a),
              g: c.g * c.a + acc.g * (1 - c.a),
              b: c.b * c.a + acc.b * (1 - c.a),
            };
          return acc;
        };
        const out: string[] = [];
        for (const el of root.querySelectorAll("*")) {
          const own = [...el.childNodes]
            .filter((n) => n.nodeType === 3)
            .map((n) => n.textContent!.trim())
            .join(" ")
            .trim();
          // Code keeps swagger-ui's syntax colours; buttons and method badges are its controls.
          if (own.length < 2 || el.closest("pre, code, textarea, .microlight, button, .opblock-summary-method"))
            continue;
          const cs = getComputedStyle(el);
          if (el.getBoundingClientRect().width === 0 || cs.visibility === "hidden") continue;
          const [l1, l2] = [lum(parse(cs.color)!), lum(behind(el))];
          const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
          if (ratio < 4.5)
            out.push(`${ratio.toFixed(2)}:1 "${own.slice(0, 30)}" (${el.tagName.toLowerCase()}.${el.className})`);
        }
        return out;
      });
      await page.screenshot({ path: path.join(results, `console-contrast-${scheme}.png`), fullPage: false });
      expect(low, `${scheme} theme`).toEqual([]);
    }
    await page.close();
  });

  it("the handbook follows a dark system theme, and its button switches it", async () => {
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${base}/handbook/getting-started.html`, { waitUntil: "load" });
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await bg()).toBe("rgb(13, 17, 23)");
    await page.screenshot({ path: path.join(results, "handbook-dark.png") });
    await page.locator("#theme").click();
    expect(await bg()).toBe("rgb(255, 255, 255)");
    await page.reload({ waitUntil: "load" });
    expect(await bg(), "the choice is remembered").toBe("rgb(255, 255, 255)");
    await page.evaluate(() => localStorage.removeItem("ix-theme"));
    await page.close();
  });

  it("the console follows the site's theme: swagger-ui's dark mode with the dark system theme, light on the button", async () => {
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${base}/handbook/try.html${consoleAnchor(operations[0]!)}`, { waitUntil: "load" });
    await page.waitForFunction(() => document.documentElement.dataset.consoleReady === "true");
    const state = () =>
      page.evaluate(() => [
        document.documentElement.classList.contains("dark-mode"),
        getComputedStyle(document.querySelector(".swagger-ui")!).backgroundColor,
        getComputedStyle(document.querySelector(".swagger-ui .opblock-tag")!).color,
      ]);
    const [dark, bg, ink] = await state();
    expect(dark).toBe(true);
    expect(bg).toBe("rgb(13, 17, 23)");
    expect(ink, "light text on the dark page").not.toBe("rgb(59, 65, 81)");
    await page.screenshot({ path: path.join(results, "console-dark.png") });
    await page.locator("#theme").click();
    await expect.poll(async () => (await state())[0]).toBe(false);
    expect((await state())[1]).not.toBe("rgb(13, 17, 23)");
    await page.evaluate(() => localStorage.removeItem("ix-theme"));
    await page.close();
  });
});

describe("the landing page and the changelog", () => {
  it("the landing page says what the project is and links to every part in one screen", async () => {
    const page = await context.newPage();
    await page.goto(`${base}/`, { waitUntil: "load" });
    expect(await page.locator("h1").textContent()).toMatch(/InvoiceXpress/);
    for (const href of [
      "reference.html",
      "handbook/getting-started.html",
      "handbook/try.html",
      "handbook/changelog.html",
    ]) {
      const link = page.locator(`main a[href="${href}"]`).first();
      expect(await link.isVisible(), href).toBe(true);
      const box = (await link.boundingBox())!;
      expect(box.y + box.height, `${href} within the first screen`).toBeLessThanOrEqual(1000);
    }
    await page.screenshot({ path: path.join(results, "landing.png") });
    await page.goto(`${base}/handbook/changelog.html`, { waitUntil: "load" });
    expect(await page.locator("main h2").count()).toBeGreaterThan(0);
    await page.close();
  });
});
