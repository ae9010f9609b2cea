// The READMEs and the handbook stay true to the repository, in three ways a reader relies on:
//   - a package name or version they copy is the one the packages declare;
//   - a shell command they copy names a script, a binary, a package or a file that exists;
//   - a measured figure (ms, KiB, requests/s, …) carries the date, the Node version and the
//     machine's load it was measured with, in its own section (or a parent's), so that it can be
//     read, and reproduced, with `pnpm bench` on the same commit.
// The rules live in ./doc-truth.ts; this file applies them to every document and checks that
// each rule catches what it is meant to catch.
import { describe, expect, it } from "vitest";
import {
  checkCommands,
  checkFigures,
  checkPackageNames,
  checkVersions,
  documents,
  type Repo,
  readRepo,
} from "./doc-truth.js";

const repo = readRepo();

describe("the documents checked", () => {
  it("are the READMEs, the contributor guide and every handbook page", () => {
    const files = documents(repo).map((d) => d.file);
    for (const f of ["README.md", "CONTRIBUTING.md", "docs/README.md", "docs/handbook/getting-started.md"])
      expect(files).toContain(f);
    for (const p of repo.workspace.filter((w) => w.dir.startsWith("packages/")))
      expect(files).toContain(`${p.dir}/README.md`);
  });
});

describe("every document", () => {
  for (const doc of documents(repo)) {
    describe(doc.file, () => {
      it("names only packages and entry points that exist", () => {
        expect(checkPackageNames(doc, repo)).toEqual([]);
      });
      it("quotes the versions the packages declare", () => {
        expect(checkVersions(doc, repo)).toEqual([]);
      });
      it("runs only commands that exist (scripts, binaries, packages, files)", () => {
        expect(checkCommands(doc, repo)).toEqual([]);
      });
      it("dates every measured figure, with its Node version and load", () => {
        expect(checkFigures(doc)).toEqual([]);
      });
    });
  }
});

// The rules refuse what they are meant to refuse (so that a green run above means something).
describe("the rules", () => {
  const fake = (text: string, file = "packages/x/README.md") => ({ file, dir: "packages/x", text });
  const r: Repo = repo;

  it("refuse an unknown package, an unexported entry point, and a misspelt scope", () => {
    const found = checkPackageNames(
      fake("Use `@ixpress/clients`, or `@ixpress/openapi/nothing`, and `@ixpress/openapi/validate`."),
      r,
    );
    expect(found.join("\n")).toMatch(/@ixpress\/clients/);
    expect(found.join("\n")).toMatch(/@ixpress\/openapi\/nothing/);
    expect(found.join("\n")).not.toMatch(/openapi\/validate/);
  });

  it("refuse a version that is not the declared one, and accept the declared one", () => {
    const pnpm = r.packageManager.version;
    expect(checkVersions(fake(`Run \`npm i -g pnpm@${pnpm}\`.`), r)).toEqual([]);
    expect(checkVersions(fake("Run `npm i -g pnpm@9.0.0`."), r).join()).toMatch(/pnpm 9\.0\.0/);
    expect(checkVersions(fake("swagger-ui-dist, pinned at 1.2.3"), r).join()).toMatch(/swagger-ui-dist 1\.2\.3/);
    expect(checkVersions(fake("Needs Node.js 18.0 or later."), r).join()).toMatch(/Node 18\.0/);
  });

  it("refuse a command that names no script, no binary, no package or no file", () => {
    const doc = fake(
      [
        "```sh",
        "pnpm no-such-script",
        "npx ixpress-mock --port 4010",
        "npx -p @ixpress/mock no-such-bin",
        "pnpm --filter @ixpress/nothing test",
        "node scripts/missing.mjs",
        "pnpm exec no-such-binary",
        "```",
        "Or `npx -p @ixpress/mock ixpress-mock --port 4010`, `pnpm test` and `pnpm --filter @ixpress/openapi test`.",
      ].join("\n"),
    );
    const found = checkCommands(doc, r).join("\n");
    for (const bad of [
      "pnpm no-such-script",
      "npx ixpress-mock",
      "no-such-bin",
      "@ixpress/nothing",
      "scripts/missing.mjs",
      "no-such-binary",
    ])
      expect(found).toContain(bad);
    expect(found).not.toMatch(/pnpm test|openapi test|-p @ixpress\/mock ixpress-mock --port/);
  });

  it("refuse a figure without its date, Node and load, and accept one that has them", () => {
    const bare = fake("## Speed\n\nA call takes 326 µs and the bundle is 8.35 kB.\n");
    expect(checkFigures(bare).join("\n")).toMatch(/326 µs[\s\S]*8\.35 kB/);
    const dated = fake(
      "## Speed\n\nMeasured 2026-12-03 with `pnpm bench`, Node v20.20.2, load average 1.6:\n\n| a | b |\n|---|---|\n| call | 326 µs |\n",
    );
    expect(checkFigures(dated)).toEqual([]);
    // A parent section's stamp covers its subsections; a setting is not a measurement.
    const nested = fake(
      "## Benchmarks\n\nOn 2026-12-03, Node 22.12.0, load 3.1.\n\n### Start-up\n\n414 ms to the first answer.\n\n## Options\n\nThe timeout defaults to 30000 ms.\n",
    );
    expect(checkFigures(nested)).toEqual([]);
  });
});
