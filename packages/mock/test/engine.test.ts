// The answers the build asked of Prism (dist/answers.json) are the ones Prism gives at run time,
// and the mock serves them without loading Prism; what the build did not ask loads Prism once.
import { readFileSync } from "node:fs";
import { specJsonPath } from "@ixpress/openapi";
import { describe, expect, it } from "vitest";
import {
  answersPath,
  ask,
  type BuiltAnswers,
  createEngine,
  createPrism,
  importPrism,
  type PrismInput,
  specHash,
} from "../src/engine.js";

const built = JSON.parse(readFileSync(answersPath, "utf8")) as BuiltAnswers;

describe("the build's answers", () => {
  it("were made from the bundled description by the installed Prism", async () => {
    expect(built.specSha256).toBe(specHash(specJsonPath));
    const pkg = JSON.parse(readFileSync(new URL(import.meta.resolve("@stoplight/prism-http/package.json")), "utf8"));
    expect(built.prism).toBe(pkg.version);
    expect(Object.keys(built.keys).length).toBeGreaterThan(1000);
  });

  it("are what Prism answers at run time (every 7th key)", { timeout: 120_000 }, async () => {
    const prism = await importPrism();
    const operations = await prism.getHttpOperationsFromSpec(specJsonPath);
    const instance = createPrism(prism, false);
    let compared = 0;
    for (const [i, [key, index]] of Object.entries(built.keys).entries()) {
      if (i % 7 !== 0) continue;
      const [head, code, exampleKey, accept] = key.split("\n") as [string, string, string, string];
      const [method, template] = head.split(" ") as [string, string];
      const input: PrismInput = {
        method,
        url: { path: template.replace(/\{[^}]+\}/g, "42"), query: { api_key: "k" } },
        headers: accept === "" ? {} : { accept },
      };
      const live = await ask(
        instance,
        operations,
        input,
        { ...(code ? { code: Number(code) } : {}), ...(exampleKey ? { exampleKey } : {}) },
        false,
      );
      expect(JSON.parse(JSON.stringify(live)), key).toEqual(built.answers[index]);
      compared++;
    }
    expect(compared).toBeGreaterThan(500);
  });

  it("are served without loading Prism; another Accept loads it", async () => {
    const engine = await createEngine({});
    const input: PrismInput = { method: "get", url: { path: "/clients.json", query: {} }, headers: {} };
    const first = await engine.respond(input, {}, "get /clients.json\n\n\n");
    expect(first.ok && first.output.statusCode).toBe(200);
    expect(engine.prismLoaded).toBe(false);
    const other = await engine.respond(
      { ...input, headers: { accept: "application/xml, application/json;q=0.5" } },
      {},
      "get /clients.json\n\n\napplication/xml, application/json;q=0.5",
    );
    expect(other.ok && other.output.statusCode).toBe(200);
    expect(engine.prismLoaded).toBe(true);
  });
});
