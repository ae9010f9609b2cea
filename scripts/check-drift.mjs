// Fails when a committed generated file differs from what the pipeline just generated.
// Run after `turbo run generate` (see `pnpm check:drift`).
import { execFileSync } from "node:child_process";

const generated = ["packages/client/src/generated", "README.md"];
const git = (...args) => execFileSync("git", args, { encoding: "utf8" });

const changed = git("status", "--porcelain", "--", ...generated).trim();
if (changed) {
  console.error(
    `Generated files are out of date with the spec:\n${changed}\n\n` +
      "Run `pnpm check:drift` (or `pnpm build`) and commit the regenerated files.\n" +
      git("diff", "--stat", "--", ...generated),
  );
  process.exit(1);
}
console.log(`drift check: ${generated.join(", ")} match the spec`);
