import { formatApiDate } from "@ixpress/openapi";

/** A prompt of the server: a flow people ask agents for, written as steps over the tools. */
export interface PromptDefinition {
  name: string;
  title: string;
  description: string;
  arguments: Array<{ name: string; description: string; required: boolean }>;
  /** The tools the steps use: the prompt is offered only when all of them are. */
  tools: string[];
  render(args: Record<string, string>): string;
}

/** Today as the API writes dates, `dd/mm/yyyy`. */
const today = () => formatApiDate(new Date());

/** The first and last day of a month given as `mm/yyyy` (this month when absent), as `dd/mm/yyyy`. */
export function monthRange(month: string | undefined, now = new Date()): { from: string; to: string } | undefined {
  const m = month?.trim()
    ? /^(\d{1,2})\/(\d{4})$/.exec(month.trim())
    : ["", String(now.getMonth() + 1), String(now.getFullYear())];
  if (!m) return undefined;
  const mm = Number(m[1]);
  const yyyy = Number(m[2]);
  if (mm < 1 || mm > 12) return undefined;
  const last = new Date(Date.UTC(yyyy, mm, 0)).getUTCDate();
  const two = (n: number) => String(n).padStart(2, "0");
  return { from: `01/${two(mm)}/${yyyy}`, to: `${two(last)}/${two(mm)}/${yyyy}` };
}

const RULES =
  "Rules: dates are dd/mm/yyyy; a tool error names the field to fix, and nothing was sent. Finalizing or canceling cannot be undone: show the user the draft (client, lines, totals) and ask before you finalize.";

export const PROMPTS: PromptDefinition[] = [
  {
    name: "issue-invoice-and-email",
    title: "Issue an invoice and e-mail its PDF",
    description: "Create an invoice for a client, finalize it once the user agrees, and e-mail its PDF.",
    arguments: [
      { name: "client", description: "The client's name (or code)", required: true },
      { name: "lines", description: "What to invoice: items, quantities, unit prices, VAT", required: true },
      { name: "email", description: "Where to send the PDF (the client's address when absent)", required: false },
    ],
    tools: ["findClientByName", "createInvoice", "changeInvoiceState", "getDocumentPdf", "sendInvoiceByEmail"],
    render: (a) =>
      [
        `Issue an invoice to ${a.client} for: ${a.lines}.`,
        `1. Look the client up with findClientByName (query.client_name); use its name and code in the invoice (a new client is created from the invoice's client block otherwise).`,
        `2. Create the invoice with createInvoice: date ${today()}, a due_date, client, and one item per line (name, unit_price, quantity, tax.name such as IVA23). The resources ixpress://taxes and ixpress://series list the account's taxes and series.`,
        "3. Show the draft to the user and ask before finalizing: then changeInvoiceState with body.invoice.state = finalized.",
        "4. Get the PDF with getDocumentPdf (it waits while the file is generated) and give the user its URL.",
        `5. Send it with sendInvoiceByEmail to ${a.email?.trim() ? a.email : "the client's e-mail"} (body.message.client.email, save: 0).`,
        RULES,
      ].join("\n"),
  },
  {
    name: "month-open-invoices",
    title: "The month's open invoices and overdue clients",
    description: "List the invoices of a month that are not paid yet, and the clients whose invoices are overdue.",
    arguments: [{ name: "month", description: "The month as mm/yyyy (this month when absent)", required: false }],
    tools: ["listInvoices"],
    render: (a) => {
      const range = monthRange(a.month) ?? monthRange(undefined)!;
      return [
        `Report the open invoices of ${range.from.slice(3)} and the overdue clients.`,
        `1. listInvoices with query {"date[from]": "${range.from}", "date[to]": "${range.to}", "status[]": ["sent", "final"], "per_page": 30}; follow pagination.current_page up to total_pages.`,
        `2. Those are the open (finalized, unpaid) invoices: give number, client, date, due date and total.`,
        `3. Overdue: listInvoices with query {"due_date[to]": "${today()}", "status[]": ["sent", "final"]} (all months); group by client, with the amount and the oldest due date per client.`,
        "Read-only: do not change any document.",
      ].join("\n");
    },
  },
  {
    name: "credit-invoice",
    title: "Credit an invoice",
    description: "Issue a credit note against a finalized invoice (fully or for some lines), once the user agrees.",
    arguments: [
      { name: "invoice_id", description: "The invoice's id", required: true },
      { name: "reason", description: "Why it is credited (printed on the credit note)", required: true },
      { name: "lines", description: "Which lines or amounts to credit (all when absent)", required: false },
    ],
    tools: ["getInvoice", "createCreditNote", "changeCreditNoteState"],
    render: (a) =>
      [
        `Credit invoice ${a.invoice_id} because: ${a.reason}.`,
        `1. Read it with getInvoice (path["document-id"] = ${a.invoice_id}); it must be final or settled.`,
        `2. Create the credit note with createCreditNote: the same client, owner_invoice_id ${a.invoice_id}, observations "${a.reason}", date ${today()}, and ${a.lines?.trim() ? `these lines: ${a.lines}` : "every line of the invoice"} (same names, prices and taxes).`,
        "3. Show the draft to the user and ask before finalizing it with changeCreditNoteState (body.invoice.state = finalized).",
        RULES,
      ].join("\n"),
  },
];

/** A resource of the server: a read-only listing of the account, read through a tool. */
export interface ResourceDefinition {
  uri: string;
  name: string;
  title: string;
  description: string;
  tool: string;
}

export const RESOURCES: ResourceDefinition[] = [
  {
    uri: "ixpress://taxes",
    name: "taxes",
    title: "The account's taxes",
    description:
      "Every tax of the account (name, value, region, default): the names documents use in items[].tax.name.",
    tool: "listTaxes",
  },
  {
    uri: "ixpress://series",
    name: "series",
    title: "The account's series",
    description:
      "Every document series (sequence) of the account, with its AT registration and which one is the default.",
    tool: "listSequences",
  },
];
