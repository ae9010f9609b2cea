/**
 * The asynchronous files: a document's PDF and QR code, the month's SAF-T. Each answers 202
 * `polls` times before the 200 with the file's URL, which the sandbox then serves under
 * `/__sandbox/files/`.
 */
import { Refusal } from "@ixpress/openapi";
import type { Account } from "./account.js";
import { pdfFile, pngFile, saftFile } from "./formats.js";
import { docOut, num, numberOf } from "./render.js";
import { dayNumber, decimalText } from "./rules.js";
import type { DocumentRecord } from "./state.js";
import type { Handler, SandboxAnswer } from "./types.js";
import { idParam } from "./types.js";

/** SAF-T (PT)'s InvoiceType of each type the export holds (SAF-T's codes, not the API's). */
const SAFT_TYPE: Record<string, string> = {
  Invoice: "FT",
  InvoiceReceipt: "FR",
  SimplifiedInvoice: "FS",
  CreditNote: "NC",
  DebitNote: "ND",
  Receipt: "RC",
  VatMossInvoice: "FT",
};

/** The numbered documents of the invoices family dated in that month. */
function saftDocuments(a: Account, year: number, month: number): DocumentRecord[] {
  return a.family("invoices").docs.filter((d) => {
    const day = dayNumber(d.date) ?? 0;
    return d.number !== null && Math.floor(day / 10_000) === year && Math.floor(day / 100) % 100 === month;
  });
}

export const fileHandlers: Record<string, Handler> = {
  getDocumentPdf: (a, req) => {
    const d = a.anyDocument(idParam(req, "document-id"));
    if (d.status === "deleted") return { status: 406 };
    const second = ["true", "1"].includes(req.query.get("second_copy") ?? "");
    if (a.pending(`pdf:${d.id}:${d.status}:${second}`)) return { status: 202 };
    return {
      status: 200,
      body: { output: { pdfUrl: `${req.origin}/__sandbox/files/pdf/${d.id}${second ? "-2" : ""}.pdf` } },
    };
  },
  getDocumentQrCode: (a, req) => {
    const id = idParam(req, "document-id");
    const d = a.documentById(id);
    const refuse = (status: number, message: string) => new Refusal(status, message, { shape: { key: "error" } });
    if (!d) throw refuse(404, `No document with ID ${id} was found in this account`);
    if (!["final", "canceled", "settled"].includes(d.status)) {
      throw refuse(
        422,
        `Document with ID ${id} is still in ${d.status}. QR Codes are only available for final, canceled or settled documents.`,
      );
    }
    const family = a.kindOf(d).family;
    if (family === "estimates" || family === "purchase_orders") {
      throw refuse(
        422,
        `Document with ID ${id} is a ${d.type}. QR Codes are only available for invoices, receipts and guides.`,
      );
    }
    if (a.pending(`qr:${d.id}`)) return { status: 202, body: { qr_code: { status: "In progress" } } };
    return { status: 200, body: { qr_code: { url: `${req.origin}/__sandbox/files/qr/${d.id}.png` } } };
  },
  exportSaft: (a, req) => {
    const month = num(req.query.get("month"), 0);
    const year = num(req.query.get("year"), 0);
    const docs = saftDocuments(a, year, month);
    if (docs.length === 0) {
      throw new Refusal(422, "There aren't any documents to export on the selected period.", {
        shape: { key: "message" },
      });
    }
    if (a.pending(`saft:${year}-${month}:${docs.length}`)) {
      return {
        status: 202,
        body: { message: "The SAF-T file is being generated. Keep requesting until it is ready." },
      };
    }
    return {
      status: 200,
      body: { Url: `${req.origin}/__sandbox/files/saft/${year}-${String(month).padStart(2, "0")}.xml` },
    };
  },
};

/** A file behind a URL the handlers gave (`pdf`, `qr`, `saft`), or `undefined` when there is none. */
export function serveFile(a: Account, kind: string, name: string): SandboxAnswer | undefined {
  if (kind === "pdf") {
    const m = /^(\d{1,15})(-2)?\.pdf$/.exec(name);
    const d = m ? a.documentById(Number(m[1])) : undefined;
    if (!d || !m) return undefined;
    const n = numberOf(a, d);
    const out = docOut(a, d);
    const lines = [
      `${d.type} ${n.seq}${m[2] ? " (second copy)" : ""}`,
      `Status: ${d.status}`,
      ...(n.atcud ? [`ATCUD: ${n.atcud}`] : []),
      `Date: ${d.date}   Due: ${d.due_date}`,
      `Client: ${a.clientById(d.client_id)?.name ?? ""}`,
      ...d.lines.map(
        (l, i) =>
          `${l.name}  ${decimalText(l.quantity)} x ${decimalText(l.unit_price)}  ${out.items?.[i]?.total ?? ""}`,
      ),
      `Before taxes: ${out.before_taxes}   Taxes: ${out.taxes}   Total: ${out.total} EUR`,
      "Issued by the ixpress sandbox: not a legal document.",
    ];
    return { status: 200, file: { bytes: pdfFile(lines), contentType: "application/pdf" } };
  }
  if (kind === "qr") {
    const m = /^(\d{1,15})\.png$/.exec(name);
    const d = m ? a.documentById(Number(m[1])) : undefined;
    if (!d) return undefined;
    const n = numberOf(a, d);
    return { status: 200, file: { bytes: pngFile(`${n.atcud ?? ""}*${n.seq}*${d.id}`), contentType: "image/png" } };
  }
  if (kind === "saft") {
    const m = /^(\d{4})-(\d{2})\.xml$/.exec(name);
    if (!m) return undefined;
    const [year, month] = [Number(m[1]), Number(m[2])];
    const rows = saftDocuments(a, year, month).map((d) => {
      const out = docOut(a, d);
      const n = numberOf(a, d);
      return {
        // SAF-T's InvoiceNo: its type code, a space, series/number (`FT 2026/1`).
        number: `${SAFT_TYPE[d.type] ?? "FT"} ${n.inv}`,
        atcud: n.atcud ?? "0",
        date: d.date.split("/").reverse().join("-"),
        type: SAFT_TYPE[d.type] ?? "FT",
        status: d.status,
        net: out.before_taxes as number,
        tax: out.taxes as number,
        gross: out.total as number,
        customer: String(out.client?.name ?? ""),
      };
    });
    return { status: 200, file: { bytes: saftFile(year, month, rows), contentType: "application/xml" } };
  }
  return undefined;
}
