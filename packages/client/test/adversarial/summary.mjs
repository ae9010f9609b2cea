// Prints the figures the adversarial suite wrote (run the suite first).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test-results/adversarial");
for (const f of readdirSync(dir)
  .filter((n) => n.endsWith(".json"))
  .sort()) {
  const { promise, dimensions, checks, found, sizes } = JSON.parse(readFileSync(path.join(dir, f), "utf8"));
  console.log(`${promise}: ${checks} checks over ${dimensions} ${JSON.stringify(sizes)}; found ${found}`);
}
