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
 * `IXPRESS_MOCK_STRICT=1` refuses unknown keys and query parameters.
 * For `inject("ixpressMockUrl")` to be typed, let TypeScript see this module once, e.g.
 * `/// <reference types="@ixpress/mock/vitest" />` in a test or a `.d.ts` file.
 */
import type {} from "vitest";
import { type RunningMock, startMock } from "./index.js";

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

export default async function setup(project: Provider): Promise<() => Promise<void>> {
  const mock: RunningMock = await startMock({
    ...portFromEnv(),
    dynamic: process.env.IXPRESS_MOCK_DYNAMIC === "1",
    strict: process.env.IXPRESS_MOCK_STRICT === "1",
    onLog: (line) => process.stderr.write(`${line}\n`),
  });
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
