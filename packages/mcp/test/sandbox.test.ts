// The server as an agent meets it: the committed bin over stdio, through the SDK's client,
// against the stateful sandbox it starts in its own process (IXPRESS_SANDBOX=1).
import { listOperations } from "@ixpress/openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Session, textOf } from "./harness.js";

type Json = Record<string, any>;

let session: Session;
beforeAll(async () => {
  // Polls every 10 ms (no real seconds waited); the client does not retry, so a repeated
  // creation's 409 comes back at once.
  session = await connect({ IXPRESS_SANDBOX: "1", IXPRESS_POLL_INTERVAL_MS: "10", IXPRESS_RETRY_ATTEMPTS: "1" });
});
afterAll(async () => {
  await session?.close();
});

const call = (name: string, args: Json = {}) => session.client.callTool({ name, arguments: args });
const invoice = (date: string) => ({
  body: {
    invoice: {
      date,
      due_date: "31/12/2026",
      client: { name: "Acme Lda", code: "ACME" },
      items: [{ name: "Consulting", description: "Hours", unit_price: "50", quantity: "2", tax: { name: "IVA23" } }],
    },
  },
});
const count = async () => {
  const listed = (await call("listInvoices")).structuredContent as Json;
  return listed.invoices.length as number;
};

describe("ixpress-mcp over stdio, IXPRESS_SANDBOX=1", () => {
  it("lists one tool per operation, named by operationId, with the safety annotations", async () => {
    const { tools } = await session.client.listTools();
    const operations = listOperations();
    expect(tools).toHaveLength(operations.length);
    expect(tools.length).toBe(112);
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const op of operations) {
      const tool = byName.get(op.operationId);
      expect(tool, op.operationId).toBeDefined();
      const a = tool!.annotations!;
      expect(a.readOnlyHint, op.operationId).toBe(op.method === "get");
      if (op.method === "delete" || op.path.endsWith("/change-state.json"))
        expect(a.destructiveHint, op.operationId).toBe(true);
      if (op.method === "get" || op.method === "post") expect(a.destructiveHint, op.operationId).toBe(false);
      expect(a.openWorldHint).toBe(false); // the sandbox: nothing leaves this process
      expect(tool!.inputSchema.type).toBe("object");
      expect(JSON.stringify(tool!.inputSchema)).not.toContain("$ref");
    }
    expect(byName.get("createInvoice")!.annotations).toMatchObject({ idempotentHint: true, destructiveHint: false });
    expect(byName.get("changeInvoiceState")!.annotations).toMatchObject({
      destructiveHint: true,
      idempotentHint: false,
    });
    expect(byName.get("createClient")!.annotations!.idempotentHint).toBe(false); // takes no proprietary_uid
    expect(session.stderr()).toMatch(/112 tools; calls go to the sandbox at http:\/\/127\.0\.0\.1:\d+/);
  });

  it("refuses a bad date before anything is sent, naming the field and the form", async () => {
    const result = await call("createInvoice", invoice("2026-12-01"));
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('body.invoice.date: must be a date written dd/mm/yyyy, got "2026-12-01"');
    expect(textOf(result)).toContain("nothing was sent");
    expect((result.structuredContent as Json).error.issues[0].at).toBe("body.invoice.date");
    const misplaced = await call("getInvoice", { "document-id": 1 });
    expect(misplaced.isError).toBe(true);
    expect(textOf(misplaced)).toContain("document-id: is not an argument of getInvoice");
    const misspelt = invoice("01/12/2026");
    (misspelt.body.invoice as Json).observation = "thanks";
    const ignored = await call("createInvoice", misspelt);
    expect(ignored.isError).toBe(true);
    expect(textOf(ignored)).toContain(
      'body.invoice.observation: is not a field the API knows; the server ignores it (did you mean "observations"?)',
    );
    expect(await count()).toBe(0);
  });

  let id: number;
  let total: number;
  it("creates a draft, and a retried call makes no second document", async () => {
    const created = await call("createInvoice", invoice("01/12/2026"));
    expect(created.isError, textOf(created)).toBeFalsy();
    const doc = (created.structuredContent as Json).invoice;
    expect(doc.status).toBe("draft");
    expect(JSON.parse(textOf(created))).toEqual(created.structuredContent);
    id = doc.id;
    total = doc.total;
    const again = await call("createInvoice", invoice("01/12/2026"));
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/409[\s\S]*proprietary_uid "ixpress-mcp-[0-9a-f]{40}"/);
    expect(await count()).toBe(1);
  });

  it("finalizes it, refuses a transition the table does not have, and renders the PDF after polling", async () => {
    const final = await call("changeInvoiceState", {
      path: { "document-id": id },
      body: { invoice: { state: "finalized" } },
    });
    expect(final.isError, textOf(final)).toBeFalsy();
    expect((final.structuredContent as Json).invoice).toMatchObject({
      status: "final",
      sequence_number: `1/${new Date().getUTCFullYear()}`,
    });
    const refused = await call("changeInvoiceState", {
      path: { "document-id": id },
      body: { invoice: { state: "finalized" } },
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/422/);
    const pdf = await call("getDocumentPdf", { path: { "document-id": id } });
    expect(pdf.isError, textOf(pdf)).toBeFalsy();
    expect(textOf(pdf)).toContain("(ready after 2 attempts)");
    expect((pdf.structuredContent as Json).output.pdfUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*\.pdf$/);
  });

  it("takes the payment and the invoice is settled", async () => {
    const paid = await call("registerPartialPayment", {
      path: { "document-id": id },
      body: { partial_payment: { amount: total, payment_mechanism: "TB" } },
    });
    expect(paid.isError, textOf(paid)).toBeFalsy();
    const read = await call("getInvoice", { path: { "document-id": id } });
    expect((read.structuredContent as Json).invoice.status).toBe("settled");
  });

  it("offers the prompts and the taxes and series resources", async () => {
    const { prompts } = await session.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual([
      "credit-invoice",
      "issue-invoice-and-email",
      "month-open-invoices",
    ]);
    const credit = await session.client.getPrompt({
      name: "credit-invoice",
      arguments: { invoice_id: String(id), reason: "wrong price" },
    });
    expect(JSON.stringify(credit.messages)).toContain(`owner_invoice_id ${id}`);
    await expect(session.client.getPrompt({ name: "credit-invoice", arguments: {} })).rejects.toThrow(
      /invoice_id, reason/,
    );
    const { resources } = await session.client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(["ixpress://series", "ixpress://taxes"]);
    const taxes = await session.client.readResource({ uri: "ixpress://taxes" });
    expect(JSON.parse((taxes.contents[0] as { text: string }).text).taxes.map((t: Json) => t.name)).toContain("IVA23");
    const series = await session.client.readResource({ uri: "ixpress://series" });
    expect(JSON.parse((series.contents[0] as { text: string }).text).sequences.length).toBeGreaterThan(0);
  });

  it("refuses hostile sizes at once, before the validators, and keeps answering", async () => {
    let deep: Json = {};
    const root = deep;
    for (let i = 0; i < 2000; i++) deep = deep.a = {};
    const cases: Array<[string, Json, string]> = [
      ["createInvoice", { body: { invoice: root } }, "body.invoice.a.a.a"],
      ["createInvoice", { body: { invoice: { observations: "x".repeat(3_000_000) } } }, "body.invoice.observations"],
      [
        "listInvoices",
        { query: { "status[]": Array(100_000).fill("draft") } },
        "query.status[]: lists more than 100 values",
      ],
      [
        "listInvoices",
        { query: { "status[]": Array(101).fill("draft") } },
        "query.status[]: lists more than 100 values",
      ],
      [
        "createClient",
        { body: { client: { name: "A", tags: Array(200_000).fill(1) } } },
        "arguments: hold more than 100000 values",
      ],
    ];
    for (const [name, args, where] of cases) {
      const result = await call(name, args);
      expect(result.isError, name).toBe(true);
      expect(textOf(result)).toContain(where);
      expect(textOf(result)).toContain("too large to be a request");
    }
    const fine = await call("listInvoices", { query: { "status[]": Array(100).fill("draft") } });
    expect(fine.isError, textOf(fine)).toBeFalsy();
  });

  it("answers an unknown tool with a tool error", async () => {
    const result = await call("deleteEverything");
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Unknown tool "deleteEverything".');
  });

  it("wrote only protocol messages on stdout", () => {
    expect(session.stdout.length).toBeGreaterThan(10);
    for (const line of session.stdout) expect(line.startsWith("{")).toBe(true);
  });
});
