// The repository checks (test/*.test.ts): workflows, licences, contributor files. The packages
// have their own vitest configs; `pnpm test` runs this one from the root.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
