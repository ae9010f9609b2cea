// The parts of the server that need no process: the tools built from the spec, the
// configuration, the proprietary_uid made from the arguments.
import { listOperations } from "@ixpress/openapi";
import { describe, expect, it } from "vitest";
import { buildTools, ConfigError, monthRange, proprietaryUid, readConfig, toolsetNames } from "../src/index.js";

describe("buildTools", () => {
  const tools = buildTools();
  it("makes one tool per operation, named by its operationId, with compact schemas", () => {
    expect(tools.map((t) => t.name)).toEqual(listOperations().map((op) => op.operationId));
    expect(new Set(tools.map((t) => t.name)).size).toBe(tools.length);
    for (const tool of tools) {
      const json = JSON.stringify(tool.inputSchema);
      expect(json, tool.name).not.toMatch(/"\$ref"|"examples"|"x-[a-z]/);
      expect(Object.keys(tool.inputSchema.properties).every((k) => ["path", "query", "body"].includes(k))).toBe(true);
      // The 251 country names are described, not listed.
      expect(json).not.toContain('"Zimbabwe"');
    }
    // A document taken under its family key or its type's is shown under the family key only.
    const credit = tools.find((t) => t.name === "createCreditNote")!.inputSchema.properties.body as Record<string, any>;
    expect(credit.oneOf).toBeUndefined();
    expect(Object.keys(credit.properties)).toEqual(["invoice", "proprietary_uid"]);
    expect(credit.required).toEqual(["invoice"]);
    const total = tools.reduce((n, t) => n + JSON.stringify(t.inputSchema).length, 0);
    expect(total).toBeLessThan(300_000);
  });

  it("marks creations that take proprietary_uid, from the client's list", () => {
    expect(tools.filter((t) => t.takesUid).map((t) => t.name)).toEqual([
      "createInvoice",
      "createInvoiceReceipt",
      "createSimplifiedInvoice",
      "createCreditNote",
      "createDebitNote",
    ]);
    expect(tools.filter((t) => t.polls).map((t) => t.name)).toEqual([
      "getDocumentPdf",
      "getDocumentQrCode",
      "exportSaft",
    ]);
  });

  it("narrows by toolset (a tag, any case, spaces or hyphens) and refuses an unknown one", () => {
    expect(toolsetNames()).toContain("purchase-orders");
    const invoices = buildTools({ toolsets: ["invoices"] });
    expect(invoices.length).toBe(listOperations().filter((op) => op.tags.includes("Invoices")).length);
    expect(buildTools({ toolsets: ["Purchase Orders", "TAXES"] }).map((t) => t.tags[0])).toEqual(
      expect.arrayContaining(["Purchase Orders", "Taxes"]),
    );
    expect(() => buildTools({ toolsets: ["invoice"] })).toThrow(
      /unknown toolset "invoice" \(toolsets: clients, invoices/,
    );
  });
});

describe("proprietaryUid", () => {
  it("is the same for the same arguments in any key order, and differs otherwise", () => {
    const a = proprietaryUid("createInvoice", { body: { invoice: { date: "01/12/2026", due_date: "02/12/2026" } } });
    expect(a).toMatch(/^ixpress-mcp-[0-9a-f]{40}$/);
    expect(proprietaryUid("createInvoice", { body: { invoice: { due_date: "02/12/2026", date: "01/12/2026" } } })).toBe(
      a,
    );
    expect(
      proprietaryUid("createInvoice", { body: { invoice: { date: "01/12/2026", due_date: "03/12/2026" } } }),
    ).not.toBe(a);
    expect(
      proprietaryUid("createDebitNote", { body: { invoice: { date: "01/12/2026", due_date: "02/12/2026" } } }),
    ).not.toBe(a);
  });
});

describe("readConfig", () => {
  const KEY = "k3y-Secret&x=1";
  const error = (env: Record<string, string>) => {
    try {
      readConfig(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).not.toContain(KEY);
      return (e as Error).message;
    }
    throw new Error("no error");
  };
  it("takes an account, a base URL or the sandbox", () => {
    expect(readConfig({ IXPRESS_ACCOUNT: "acme", IXPRESS_API_KEY: KEY }).target).toEqual({
      kind: "account",
      accountName: "acme",
      apiKey: KEY,
    });
    expect(readConfig({ IXPRESS_BASE_URL: "http://127.0.0.1:4010", IXPRESS_API_KEY: KEY }).target.kind).toBe("baseUrl");
    const sandbox = readConfig({ IXPRESS_SANDBOX: "1" });
    expect(sandbox.target.kind).toBe("sandbox");
    expect(sandbox.target.apiKey).not.toBe(readConfig({ IXPRESS_SANDBOX: "true" }).target.apiKey);
    expect(sandbox).toMatchObject({ toolsets: [], timeoutMs: 30_000, retryAttempts: 4, pollIntervalMs: 2000 });
    expect(readConfig({ IXPRESS_SANDBOX: "1", IXPRESS_TOOLSETS: " invoices, clients ," }).toolsets).toEqual([
      "invoices",
      "clients",
    ]);
  });
  it("says what is missing or contradictory", () => {
    expect(error({})).toMatch(/^No account is configured\. Set IXPRESS_ACCOUNT and IXPRESS_API_KEY/);
    expect(error({ IXPRESS_ACCOUNT: "acme" })).toMatch(/IXPRESS_API_KEY is missing/);
    expect(error({ IXPRESS_BASE_URL: "http://127.0.0.1:1" })).toMatch(
      /IXPRESS_API_KEY is missing \(a mock takes any key\)/,
    );
    expect(error({ IXPRESS_API_KEY: KEY })).toMatch(/not where to send it/);
    expect(error({ IXPRESS_SANDBOX: "1", IXPRESS_BASE_URL: "http://x", IXPRESS_API_KEY: KEY })).toMatch(
      /^IXPRESS_SANDBOX=1 and IXPRESS_BASE_URL contradict each other/,
    );
    expect(error({ IXPRESS_ACCOUNT: "a", IXPRESS_BASE_URL: "http://x", IXPRESS_API_KEY: KEY })).toMatch(/contradict/);
    expect(error({ IXPRESS_SANDBOX: "maybe" })).toMatch(/IXPRESS_SANDBOX must be 1 or 0/);
    expect(error({ IXPRESS_SANDBOX: "1", IXPRESS_TIMEOUT_MS: "soon" })).toMatch(
      /IXPRESS_TIMEOUT_MS must be a whole number/,
    );
  });
});

describe("monthRange", () => {
  it("gives the first and last day of a month", () => {
    expect(monthRange("2/2028")).toEqual({ from: "01/02/2028", to: "29/02/2028" });
    expect(monthRange("12/2026")).toEqual({ from: "01/12/2026", to: "31/12/2026" });
    expect(monthRange("13/2026")).toBeUndefined();
    expect(monthRange(undefined, new Date(2026, 10, 15))).toEqual({ from: "01/11/2026", to: "30/11/2026" });
  });
});
