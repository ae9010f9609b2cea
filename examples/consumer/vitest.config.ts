import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["@ixpress/mock/vitest"],
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
