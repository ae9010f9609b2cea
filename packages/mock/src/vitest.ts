/**
 * A ready vitest `globalSetup`: starts the mock once for the whole run on a free port of
 * 127.0.0.1 and stops it afterwards, even when tests fail.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ["@ixpress/mock/vitest"] } });
 *   // in a test
 *   const baseUrl = inject("ixpressMockUrl");
 *
 * Environment: `IXPRESS_MOCK_PORT=4010` uses that port instead of a free one;
 * `IXPRESS_MOCK_DYNAMIC=1` generates bodies from the schemas instead of the named examples;
 * `IXPRESS_MOCK_STRICT=1` refuses unknown keys and query parameters;
 * `IXPRESS_MOCK_STATEFUL=1` serves the stateful sandbox (`IXPRESS_MOCK_STATE=account.json` to
 * start from a dump, `IXPRESS_MOCK_POLLS=N` for the 202s before a PDF is ready).
 *
 * With options in code instead, write your own global setup file:
 *
 *   // test/mock-setup.ts
 *   import { createGlobalSetup } from "@ixpress/mock/vitest";
 *   export default createGlobalSetup({ stateful: true, state: "test/account.json" });
 *
 * The sandbox is reset between test files with `POST <url>/__sandbox/reset` (the URL is
 * `inject("ixpressMockUrl")`).
 * For `inject("ixpressMockUrl")` to be typed, let TypeScript see this module once, e.g.
 * `/// <reference types="@ixpress/mock/vitest" />` in a test or a `.d.ts` file.
 */
import type {} from "vitest";
import { type MockOptions, type RunningMock, startMock } from "./index.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the InvoiceXpress mock started by `@ixpress/mock/vitest`. */
    ixpressMockUrl: string;
  }
}

interface Provider {
  provide(key: "ixpressMockUrl", value: string): void;
}

/** Reads `IXPRESS_MOCK_PORT` (a fixed port instead of a free one), refusing anything else than a port number. */
function portFromEnv(): { port?: number } {
  const raw = process.env.IXPRESS_MOCK_PORT;
  if (raw === undefined || raw === "") return {};
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new RangeError(
      `@ixpress/mock/vitest: IXPRESS_MOCK_PORT must be a port number from 0 to 65535, got ${JSON.stringify(raw)}`,
    );
  }
  return { port: Number(raw) };
}

/** The sandbox options from `IXPRESS_MOCK_STATEFUL`, `IXPRESS_MOCK_STATE` and `IXPRESS_MOCK_POLLS`. */
function statefulFromEnv(): Pick<MockOptions, "stateful" | "state" | "polls"> {
  const stateful = process.env.IXPRESS_MOCK_STATEFUL === "1" || process.env.IXPRESS_MOCK_STATEFUL === "true";
  const state = process.env.IXPRESS_MOCK_STATE || undefined;
  const rawPolls = process.env.IXPRESS_MOCK_POLLS;
  if (!stateful && (state !== undefined || (rawPolls !== undefined && rawPolls !== ""))) {
    throw new TypeError("@ixpress/mock/vitest: IXPRESS_MOCK_STATE and IXPRESS_MOCK_POLLS need IXPRESS_MOCK_STATEFUL=1");
  }
  if (!stateful) return {};
  let polls: number | undefined;
  if (rawPolls !== undefined && rawPolls !== "") {
    if (!/^\d{1,4}$/.test(rawPolls)) {
      throw new RangeError(
        `@ixpress/mock/vitest: IXPRESS_MOCK_POLLS must be a whole number, got ${JSON.stringify(rawPolls)}`,
      );
    }
    polls = Number(rawPolls);
  }
  return { stateful: true, ...(state !== undefined ? { state } : {}), ...(polls !== undefined ? { polls } : {}) };
}

/**
 * A vitest `globalSetup` with these options (they win over the environment variables):
 * `export default createGlobalSetup({ stateful: true })` in your own setup file.
 */
export function createGlobalSetup(options: MockOptions = {}): (project: Provider) => Promise<() => Promise<void>> {
  return async (project: Provider) => {
    const mock: RunningMock = await startMock({
      ...portFromEnv(),
      dynamic: process.env.IXPRESS_MOCK_DYNAMIC === "1",
      strict: process.env.IXPRESS_MOCK_STRICT === "1",
      ...statefulFromEnv(),
      onLog: (line) => process.stderr.write(`${line}\n`),
      ...options,
    });
    return provideAndStop(project, mock);
  };
}

export default async function setup(project: Provider): Promise<() => Promise<void>> {
  return createGlobalSetup()(project);
}

function provideAndStop(project: Provider, mock: RunningMock): () => Promise<void> {
  project.provide("ixpressMockUrl", mock.url);
  return async () => {
    await mock.stop();
    // A mock that failed inside must fail the run, with the reason, not leave "fetch failed" behind.
    if (mock.failures.length > 0) {
      throw new Error(
        `@ixpress/mock: the mock failed ${mock.failures.length} time(s) during the run:\n${mock.failures.map((f) => f.message).join("\n")}`,
      );
    }
  };
}
