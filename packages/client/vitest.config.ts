import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // `#layers` (package.json `imports`) points into dist; the tests run the sources.
  resolve: { alias: { "#layers": fileURLToPath(new URL("./src/layers.ts", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 15_000,
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
