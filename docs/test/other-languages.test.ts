// The page "Contract tests from PHP, Python, Ruby and Go" shows code from the suites that
// `pnpm test` runs (examples/python, examples/php, examples/ruby, scripts/anylang.mjs): every Python, PHP and Ruby
// block of the page must be a verbatim excerpt of one of their files, so the page cannot teach
// code that was not run.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { codeBlocks, readPage } from "../scripts/handbook.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const sources = (dir: string, ext: string): string[] =>
  readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => readFileSync(path.join(e.parentPath, e.name), "utf8"));

describe("Contract tests from PHP, Python, Ruby and Go", () => {
  const blocks = codeBlocks(readPage("other-languages")) as { lang: string; code: string }[];

  for (const [lang, dir, ext] of [
    ["python", "examples/python", ".py"],
    ["php", "examples/php", ".php"],
    ["ruby", "examples/ruby", ".rb"],
  ] as const) {
    it(`every ${lang} block is taken from ${dir}`, () => {
      const files = sources(dir, ext);
      const mine = blocks.filter((b) => b.lang === lang);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      for (const b of mine)
        expect(
          files.some((f) => f.includes(b.code)),
          b.code,
        ).toBe(true);
    });
  }

  it("shows no other language's code (Go is in words: nothing runs it)", () => {
    expect(blocks.map((b) => b.lang).filter((l) => !["python", "php", "ruby", "text"].includes(l))).toEqual([]);
  });

  it("the URL line it documents is the one the CLI prints and its help promises", () => {
    const cli = readFileSync(path.join(root, "packages/mock/src/cli.ts"), "utf8");
    expect(cli).toMatch(/`InvoiceXpress mock listening on \$\{running\.url\}`/);
    expect(cli).toContain('"InvoiceXpress mock listening on http://HOST:PORT"');
    expect(blocks.find((b) => b.lang === "text")?.code).toBe("InvoiceXpress mock listening on http://127.0.0.1:PORT");
  });
});
