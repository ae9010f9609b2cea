/**
 * A ready vitest `globalSetup`: starts the mock once for the whole run on a free port of
 * 127.0.0.1 and stops it afterwards, even when tests fail.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ["@ixpress/mock/vitest"] } });
 *   // in a test
 *   const baseUrl = inject("ixpressMockUrl");
 */
import type {} from "vitest";
import { startMock, type RunningMock } from "./index.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the InvoiceXpress mock started by `@ixpress/mock/vitest`. */
    ixpressMockUrl: string;
  }
}

interface Provider {
  provide(key: "ixpressMockUrl", value: string): void;
}

export default async function setup(project: Provider): Promise<() => Promise<void>> {
  const mock: RunningMock = await startMock({
    ...(process.env.IXPRESS_MOCK_PORT ? { port: Number(process.env.IXPRESS_MOCK_PORT) } : {}),
  });
  project.provide("ixpressMockUrl", mock.url);
  return () => mock.stop();
}
