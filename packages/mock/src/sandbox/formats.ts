/**
 * The files the sandbox serves behind the URLs of its asynchronous answers: a small valid PDF
 * naming the document, a PNG for the QR code, a SAF-T (PT) XML skeleton.
 */
import { deflateSync } from "node:zlib";

const pdfText = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, "?");

/** A one-page PDF 1.4 with the given lines of text, with a correct cross-reference table. */
export function pdfFile(lines: string[]): Buffer {
  const content = [
    "BT",
    "/F1 12 Tf",
    "56 780 Td",
    "16 TL",
    ...lines.map((l, i) => `${i === 0 ? "" : "T* "}(${pdfText(l)}) Tj`),
    "ET",
  ].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * A black-and-white PNG whose modules come from `text` (a stand-in for the fiscal QR code: it
 * is a valid image of the right kind, not a scannable code).
 */
export function pngFile(text: string, modules = 29, scale = 4): Buffer {
  const size = modules * scale;
  let h = 2166136261;
  const bit = (x: number, y: number) => {
    const finder = (cx: number, cy: number) => {
      const dx = x - cx;
      const dy = y - cy;
      if (dx < 0 || dy < 0 || dx > 6 || dy > 6) return undefined;
      const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
      return ring !== 2;
    };
    const f = finder(0, 0) ?? finder(modules - 7, 0) ?? finder(0, modules - 7);
    if (f !== undefined) return f;
    h ^= text.charCodeAt((x * modules + y) % Math.max(1, text.length)) + x * 31 + y;
    h = Math.imul(h, 16777619) >>> 0;
    return (h & 1) === 1;
  };
  const grid: boolean[][] = [];
  for (let y = 0; y < modules; y++) {
    const row: boolean[] = [];
    for (let x = 0; x < modules; x++) row.push(bit(x, y));
    grid.push(row);
  }
  const raw = Buffer.alloc(size * (size + 1), 0xff);
  for (let y = 0; y < size; y++) {
    raw[y * (size + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      if (grid[Math.floor(y / scale)]![Math.floor(x / scale)]) raw[y * (size + 1) + 1 + x] = 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const xml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

export interface SaftInvoice {
  number: string;
  atcud: string;
  date: string;
  type: string;
  status: string;
  net: number;
  tax: number;
  gross: number;
  customer: string;
}

/** A SAF-T (PT) 1.04 skeleton listing the period's invoices (header, customers by name, totals). */
export function saftFile(year: number, month: number, invoices: SaftInvoice[]): Buffer {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, "0");
  const money = (n: number) => n.toFixed(2);
  const debit = invoices.filter((i) => i.type !== "NC").reduce((s, i) => s + i.net, 0);
  const credit = invoices.filter((i) => i.type === "NC").reduce((s, i) => s + i.net, 0);
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<AuditFile xmlns="urn:OECD:StandardAuditFile-Tax:PT_1.04_01">',
    "  <Header>",
    "    <AuditFileVersion>1.04_01</AuditFileVersion>",
    "    <CompanyName>ixpress sandbox</CompanyName>",
    `    <FiscalYear>${year}</FiscalYear>`,
    `    <StartDate>${year}-${mm}-01</StartDate>`,
    `    <EndDate>${year}-${mm}-${String(last).padStart(2, "0")}</EndDate>`,
    "    <CurrencyCode>EUR</CurrencyCode>",
    "    <TaxEntity>Global</TaxEntity>",
    "    <ProductCompanyTaxID>000000000</ProductCompanyTaxID>",
    "    <ProductID>ixpress sandbox/ixpress</ProductID>",
    "  </Header>",
    "  <SourceDocuments>",
    "    <SalesInvoices>",
    `      <NumberOfEntries>${invoices.length}</NumberOfEntries>`,
    `      <TotalDebit>${money(debit)}</TotalDebit>`,
    `      <TotalCredit>${money(credit)}</TotalCredit>`,
    ...invoices.map((i) =>
      [
        "      <Invoice>",
        `        <InvoiceNo>${xml(i.number)}</InvoiceNo>`,
        `        <ATCUD>${xml(i.atcud)}</ATCUD>`,
        `        <DocumentStatus><InvoiceStatus>${i.status === "canceled" ? "A" : "N"}</InvoiceStatus></DocumentStatus>`,
        `        <InvoiceDate>${i.date}</InvoiceDate>`,
        `        <InvoiceType>${i.type}</InvoiceType>`,
        `        <CustomerID>${xml(i.customer)}</CustomerID>`,
        `        <DocumentTotals><TaxPayable>${money(i.tax)}</TaxPayable><NetTotal>${money(i.net)}</NetTotal><GrossTotal>${money(i.gross)}</GrossTotal></DocumentTotals>`,
        "      </Invoice>",
      ].join("\n"),
    ),
    "    </SalesInvoices>",
    "  </SourceDocuments>",
    "</AuditFile>",
    "",
  ].join("\n");
  return Buffer.from(body, "utf8");
}
