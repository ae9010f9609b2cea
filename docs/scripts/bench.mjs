// `pnpm bench` for the docs: prints the size of every page of dist/ and, in Debian's Chromium
// (headless, loopback only), each page's time to first paint, to interactive and to a usable
// search, the median of RUNS cold loads. Figures only: nothing here passes or fails.
//   first paint   the browser's first-contentful-paint entry
//   interactive   the reference: its sidebar menu rendered; the console: swagger-ui has loaded
//                 the spec and drawn it; other pages: DOMContentLoaded
//   search ready  the reference: a typed query shows its hit; other pages: the search box wired
//   loads         what the page fetches in all (itself and every script, style and data file)
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { CONTROLS } from "./build.mjs";

const RUNS = Number(process.env.DOCS_BENCH_RUNS ?? 3);
const dist = path.resolve(import.meta.dirname, "../dist");
const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );

const server = spawn(process.execPath, [path.join(import.meta.dirname, "serve.mjs"), "--port", "0"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const base = await new Promise((resolve, reject) => {
  server.once("exit", (code) => reject(new Error(`serve.mjs exited (${code})`)));
  server.stdout.on("data", (d) => {
    const m = String(d).match(/(http:\/\/127\.0\.0\.1:\d+)\//);
    if (m) resolve(m[1]);
  });
});
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(rel) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.route("**/*", (route) =>
    new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort(),
  );
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(`${base}/${rel}`, { waitUntil: "commit" });
  let interactive;
  let search;
  if (rel === "reference.html" || rel === CONTROLS) {
    // Redoc pages: interactive once the sidebar is drawn; only the reference is searched.
    await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor({ timeout: 120_000 });
    interactive = Date.now() - t0;
    if (rel === CONTROLS) search = Number.NaN;
  }
  if (rel === "reference.html") {
    await page.getByText("Search", { exact: false }).first().click();
    await page.locator('[data-component-name="Search/SearchInput"] input').fill("List clients");
    await page.locator('a[href$="#/clients/listclients"]').first().waitFor({ timeout: 120_000 });
    search = Date.now() - t0;
  } else if (rel !== CONTROLS) {
    await page.waitForFunction(() => document.documentElement.dataset.searchReady === "true", null, {
      timeout: 120_000,
    });
    search = Date.now() - t0;
    if (rel === "handbook/try.html") {
      await page.waitForFunction(() => document.documentElement.dataset.consoleReady === "true", null, {
        timeout: 120_000,
      });
      interactive = Date.now() - t0;
    } else {
      interactive = await page.evaluate(() => performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd);
    }
  }
  const loads = await page.evaluate(() =>
    [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].reduce(
      (n, e) => n + e.decodedBodySize,
      0,
    ),
  );
  // The paint entry can come after the page is ready: wait for it (buffered), 10 s at most.
  const paint = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const done = (v) => resolve(v);
        new PerformanceObserver((list) => {
          const e = list.getEntriesByName("first-contentful-paint")[0];
          if (e) done(e.startTime);
        }).observe({ type: "paint", buffered: true });
        setTimeout(() => done(Number.NaN), 10_000);
      }),
  );
  await context.close();
  return { paint, interactive, search, loads };
}

try {
  const pages = files(dist)
    .filter((f) => f.endsWith(".html"))
    .map((f) => path.relative(dist, f));
  // What a figure needs to be read: when, on which Node, on how loaded a machine.
  const load = () => os.loadavg()[0].toFixed(1);
  console.log(
    `docs bench: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores, load average ${load()} at the start`,
  );
  console.log(`median of ${RUNS} cold loads in headless Chromium, served on 127.0.0.1`);
  console.log(
    "page                               size KiB  loads KiB  first paint ms  interactive ms  search ready ms",
  );
  for (const rel of pages) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(rel));
    const kib = (statSync(path.join(dist, rel)).size / 1024).toFixed(1);
    const m = (k) => {
      const v = median(runs.map((r) => r[k]));
      return (Number.isNaN(v) ? "–" : String(Math.round(v))).padStart(14);
    };
    const loads = (runs[0].loads / 1024).toFixed(1).padStart(9);
    console.log(`${rel.padEnd(34)} ${kib.padStart(8)}  ${loads} ${m("paint")}  ${m("interactive")}  ${m("search")}`);
  }
  const other = files(dist).filter((f) => !f.endsWith(".html"));
  for (const f of other)
    console.log(`${path.relative(dist, f).padEnd(34)} ${(statSync(f).size / 1024).toFixed(1).padStart(8)}`);
  const total = files(dist).reduce((n, f) => n + statSync(f).size, 0);
  console.log(`site in all: ${(total / 1024).toFixed(0)} KiB in ${files(dist).length} files`);
  console.log(`load average ${load()} at the end`);
} finally {
  await browser.close();
  server.kill("SIGTERM");
}
