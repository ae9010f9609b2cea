// Helpers for the values the API expects: dd/mm/yyyy dates, decimals and Portuguese NIFs.

/** A calendar day. `month` counts from 1. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function checkDay({ year, month, day }: CalendarDate, what: string): CalendarDate {
  const last = new Date(0);
  last.setUTCFullYear(year, month, 0); // the last day of `month`
  const whole = [year, month, day].every(Number.isInteger) && year >= 1 && year <= 9999 && month >= 1 && month <= 12;
  if (!whole || day < 1 || day > last.getUTCDate())
    throw new RangeError(`${what}: not a calendar date: ${JSON.stringify({ year, month, day })}`);
  return { year, month, day };
}

/**
 * Formats a day as the API's `dd/mm/yyyy`. Takes a `Date` (its local calendar day), an ISO
 * `yyyy-mm-dd` string or `{ year, month, day }`. Throws a `RangeError` for impossible dates.
 */
export function formatDate(value: Date | string | CalendarDate): string {
  let d: CalendarDate;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError("formatDate: invalid Date");
    d = { year: value.getFullYear(), month: value.getMonth() + 1, day: value.getDate() };
  } else if (typeof value === "string") {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
    if (!m) throw new RangeError(`formatDate: expected yyyy-mm-dd, got ${JSON.stringify(value)}`);
    d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  } else {
    d = value;
  }
  const { year, month, day } = checkDay(d, "formatDate");
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(day)}/${two(month)}/${String(year).padStart(4, "0")}`;
}

/**
 * Parses the API's `dd/mm/yyyy` (one- or two-digit day and month, as the API accepts), refusing
 * impossible dates such as 31/04/2024 or 29/02/2023 with a `RangeError`.
 */
export function parseDate(value: string): CalendarDate {
  const m = typeof value === "string" ? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim()) : null;
  if (!m) throw new RangeError(`parseDate: expected dd/mm/yyyy, got ${JSON.stringify(value)}`);
  return checkDay({ year: Number(m[3]), month: Number(m[2]), day: Number(m[1]) }, "parseDate");
}

/** Whether a string is a real `dd/mm/yyyy` date. */
export function isValidDate(value: string): boolean {
  try {
    parseDate(value);
    return true;
  } catch {
    return false;
  }
}

/** `digits` plus one, as many digits at least: `"0099"` → `"0100"`. */
const increment = (digits: string) => (BigInt(digits) + 1n).toString().padStart(digits.length, "0");

/**
 * A decimal as the exact string the API expects (`.` as separator, no exponent, no float
 * noise): `decimal(0.1 + 0.2, 2)` → `"0.30"`, `decimal("12,5")` → `"12.5"`, `decimal(1.005, 2)` →
 * `"1.01"`. With `places`, rounds half away from zero to exactly that many decimals. Throws a
 * `RangeError` for anything that is not a finite number (`NaN`, `"1.234,5"`, `"1e3"` as text).
 */
export function decimal(value: number | string, places?: number): string {
  if (places !== undefined && (!Number.isInteger(places) || places < 0 || places > 20)) {
    throw new RangeError(`decimal: places must be an integer from 0 to 20, got ${places}`);
  }
  let sign = "";
  let int: string;
  let frac: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`decimal: not a finite number: ${value}`);
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value))!;
    sign = m[1]!;
    const exp = Number(m[4] ?? 0);
    let digits = m[2]! + (m[3] ?? "");
    let point = m[2]!.length + exp;
    if (point < 0) {
      digits = "0".repeat(-point) + digits;
      point = 0;
    }
    if (point > digits.length) digits += "0".repeat(point - digits.length);
    int = digits.slice(0, point);
    frac = digits.slice(point);
  } else {
    const m = typeof value === "string" ? /^([+-]?)(\d*)(?:[.,](\d*))?$/.exec(value.trim()) : null;
    if (!m || (m[2] === "" && !m[3])) throw new RangeError(`decimal: not a decimal number: ${JSON.stringify(value)}`);
    sign = m[1] === "-" ? "-" : "";
    int = m[2]!;
    frac = m[3] ?? "";
  }
  if (places !== undefined) {
    if (frac.length > places) {
      const up = frac[places]! >= "5";
      let kept = int + frac.slice(0, places);
      if (up) kept = increment(kept || "0");
      const cut = kept.length - places;
      int = kept.slice(0, cut);
      frac = kept.slice(cut);
    } else {
      frac = frac.padEnd(places, "0");
    }
  } else {
    frac = frac.replace(/0+$/, "");
  }
  int = int.replace(/^0+(?=\d)/, "") || "0";
  const out = frac ? `${int}.${frac}` : int;
  return sign && /[1-9]/.test(out) ? `-${out}` : out;
}

/** Whether a value is a number or numeric string that {@link decimal} accepts. */
export function isDecimal(value: unknown): value is number | string {
  if (typeof value !== "number" && typeof value !== "string") return false;
  try {
    decimal(value);
    return true;
  } catch {
    return false;
  }
}

// First digits the tax authority gives out: 1–3 people, 45 non-resident people, 5 companies,
// 6 public bodies, 70/74/75 undivided estates, 71 non-resident companies, 72 investment funds,
// 77 assigned by the authority, 78 non-residents (VAT refunds), 79 exceptional regime,
// 8 sole traders (no longer issued), 90/91 condominiums and irregular companies,
// 98 non-residents without a permanent establishment, 99 civil partnerships.
const NIF_PREFIX = /^(?:[123568]|45|7[0-245789]|9[0189])/;

/**
 * Whether a Portuguese fiscal number (NIF/NIPC) is valid: nine digits, a known first digit (or
 * two), and the mod-11 check digit. Spaces and a leading `PT` are ignored.
 */
export function isValidNif(value: string | number): boolean {
  const nif = String(value).replace(/\s+/g, "").replace(/^PT/i, "");
  if (!/^\d{9}$/.test(nif) || !NIF_PREFIX.test(nif)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(nif[i]) * (9 - i);
  const rest = sum % 11;
  return Number(nif[8]) === (rest < 2 ? 0 : 11 - rest);
}

/**
 * A document as read, ready to send back in an update: the same object without `mb_reference`.
 * A read document carries its Multibanco reference as an object (`entity`, `value`,
 * `reference`); an update takes only the `"1"`/`"0"` flag that asks for one, so the object is
 * left out and the stored reference stays as it is. Every other field is written back as read.
 *
 * ```ts
 * const { invoice } = unwrap(await ix.GET("/invoices/{document-id}.json", { params: { path } }));
 * await ix.PUT("/invoices/{document-id}.json", {
 *   params: { path },
 *   body: { invoice: { ...toWritable(invoice), observations: "Paid by transfer" } },
 * });
 * ```
 */
export function toWritable<T extends object>(document: T): Omit<T, "mb_reference"> {
  const { mb_reference: _read, ...writable } = document as T & { mb_reference?: unknown };
  return writable;
}
