import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The browser test and the sample runs share the 2 cores; one file at a time keeps timings sane.
    fileParallelism: false,
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
