import { createRedactor, type Redactor } from "./redact.js";

/** What the transport knows about the request behind a response it returned. */
export interface ResponseInfo {
  method: string;
  /** The URL with the API key redacted. */
  url: string;
  redactor: Redactor;
  attempts: number;
  /** Something the error message should say besides the server's messages (a refused wait, a cut body). */
  note?: string;
}

/** Responses returned by the transport, with their (redacted) request: the one store. */
export const responseInfo = new WeakMap<Response, ResponseInfo>();

/**
 * Milliseconds to wait from a `Retry-After` header: delta-seconds (digits only) or an HTTP date (RFC 9110's three forms
 * all name a month; a past date is 0). Anything else (negative, fractional, garbage) is `undefined`: no advice. The
 * result may exceed any timer; the caller caps it.
 */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (header && /^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const at =
    header && /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b/i.test(header) ? Date.parse(header) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** What went wrong, as one word. */
export type ErrorKind =
  | "unauthorized" // 401, 403
  | "not_found" // 404, 410
  | "conflict" // 409
  | "validation" // 400, 406, 422
  | "rate_limited" // 429
  | "server" // 5xx
  | "network" // no response: refused, reset, DNS, …
  | "timeout" // no response within timeoutMs, or still 202 after the last poll
  | "aborted" // the caller's AbortSignal
  | "redirect" // a redirect to another origin (never followed: the key stays with its host), or too many
  | "parse" // a response body that is not what its status and content type promise (not JSON)
  | "http"; // any other unexpected status

/** The request behind an error, with the API key redacted. */
export interface RequestSummary {
  method: string;
  url: string;
}

/** Text as one line: line breaks and the whitespace around them, and other control characters, become one space. */
export const oneLine = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  text.replace(/\s*[\r\n\u0085\u2028\u2029]+\s*|[\u0000-\u001f\u007f-\u009f]/g, " ").trim();

export interface InvoiceXpressErrorInit {
  kind: ErrorKind;
  /** The detail after the summary; defaults to the messages or a description of the body. */
  detail?: string;
  status?: number;
  messages?: string[];
  code?: string;
  body?: unknown;
  request?: RequestSummary;
  attempts?: number;
  cause?: unknown;
}

/**
 * An InvoiceXpress call that failed. Thrown by {@link unwrap}, `paginate`, `poll`, and by every call that gets no
 * response at all (network error, timeout, abort). The API key is redacted from everything it holds.
 *
 * `messages` holds the reasons the server (or the mock) gave, one string each, as written; `message` and `toString()`
 * are one line: `InvoiceXpressError [validation]: 422 on POST https://…/clients.json?api_key=[REDACTED]: code can't be
 * blank`.
 */
export class InvoiceXpressError extends Error {
  declare readonly name: "InvoiceXpressError";
  declare readonly kind: ErrorKind;
  /** The HTTP status, when a response arrived. */
  declare readonly status: number | undefined;
  /** The server's messages, normalised from every error body shape (empty when the body had none). */
  declare readonly messages: string[];
  /** A code some bodies carry (`{"errors":{"code":"001",…}}`). */
  declare readonly code: string | undefined;
  /** The response body as received (parsed JSON or text, sensitive fields redacted). */
  declare readonly body: unknown;
  /** Method and URL of the request, the API key redacted. */
  declare readonly request: RequestSummary | undefined;
  /** How many times the request was sent. */
  declare readonly attempts: number | undefined;

  constructor({ kind, status, messages = [], code, body, request, attempts, detail, cause }: InvoiceXpressErrorInit) {
    const where = request ? ` on ${request.method} ${request.url}` : "";
    super(
      oneLine(`${status ?? kind}${where}: ${detail ?? (messages.join("; ") || "no message")}`),
      cause === undefined ? undefined : { cause },
    );
    Object.assign(this, { kind, status, messages, code, body, request, attempts });
  }

  /**
   * One readable line, whatever the server wrote (line breaks and control characters become spaces):
   * `InvoiceXpressError [kind]: <status> on <METHOD> <url>: <reasons>`, at most 1000 characters. Built from the
   * redacted message: it never holds the API key.
   */
  override toString(): string {
    const line = `${this.name} [${this.kind}]: ${oneLine(String(this.message))}`;
    return line.length > 1000 ? `${line.slice(0, 999)}…` : line;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as object) };
  }
}
(InvoiceXpressError.prototype as { name: string }).name = "InvoiceXpressError";

/**
 * A copy of an error that is safe to keep as `cause`: message, stack and nested causes are redacted, and only `name`
 * and `code` are carried over.
 */
export function scrubError(error: unknown, redactor: Redactor, depth = 0): unknown {
  if (typeof error === "string") return redactor.text(error);
  if (!(error instanceof Error) || depth > 4) return undefined;
  const { name, message, stack, cause, code } = error as Error & { code?: unknown };
  const copy = new Error(
    redactor.text(message),
    cause === undefined ? undefined : { cause: scrubError(cause, redactor, depth + 1) },
  );
  const text = (v: unknown) => (typeof v === "string" ? redactor.text(v) : v);
  return Object.assign(copy, { name, stack: text(String(stack)) }, code !== undefined && { code: text(code) });
}

/** The kind of error an HTTP status means. */
export function kindOfStatus(status: number): ErrorKind {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 404 || status === 410) return "not_found";
  if (status === 409) return "conflict";
  if (status === 400 || status === 406 || status === 422) return "validation";
  if (status === 429) return "rate_limited";
  return status >= 500 ? "server" : "http";
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";
const FIELD = /^[a-z_][a-z0-9_.]*$/i;

const fromList = (list: unknown[]): string[] =>
  // A bare ["field", "message"] pair (accounts, partial payments).
  list.length === 2 && list.every(str) && FIELD.test(list[0] as string) && !FIELD.test(list[1] as string)
    ? [`${list[0]} ${list[1]}`]
    : list.flatMap((item) => (str(item) ? [item] : isRecord(item) ? fromObject(item) : []));

const fromFieldMap = (map: Record<string, unknown>): string[] =>
  Object.entries(map).flatMap(([field, value]) =>
    (Array.isArray(value) ? value.filter(str) : str(value) ? [value] : []).map((m) =>
      field === "base" ? m : `${field} ${m}`,
    ),
  );

function fromObject(body: Record<string, unknown>): string[] {
  for (const v of [body.errors, body.error]) {
    if (str(v)) return [v];
    if (Array.isArray(v)) return fromList(v);
    if (isRecord(v)) return str(v.message) ? [v.message] : str(v.error) ? [v.error] : fromFieldMap(v);
  }
  // `detail` and `title`: an RFC 9457 problem (`application/problem+json`), as Prism answers.
  for (const key of ["message", "reason", "detail", "title"]) if (str(body[key])) return [body[key] as string];
  // {"accepted":{"code":"202","message":"…"}} and the like.
  const values = Object.values(body);
  if (values.length === 1 && isRecord(values[0]) && str(values[0].message)) return [values[0].message];
  return fromFieldMap(body);
}

/**
 * The messages of an error body, whatever its shape: `{"errors":{"error":…}}`, `{"errors":[…]}`,
 * `{"errors":[{"error":…}]}`, `{"errors":{"code":…,"message":…}}`, `{"error":…}`, `{"error":{"code":…,"message":…}}`,
 * `{"message":…}`, `{"reason":…}`, problem details (`{"title":…,"detail":…}`: the detail), field maps (`{"name":["is
 * not available."]}`), bare `["field","is invalid"]` pairs, plain text and HTML (its `<title>`). Empty for an empty
 * body.
 */
export function errorMessages(body: unknown): string[] {
  if (body === undefined || body === null) return [];
  if (typeof body === "string") {
    const text = body.trim();
    if (text === "") return [];
    if (text.startsWith("<")) {
      const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
      return title ? [title] : [];
    }
    return [text.length > 300 ? `${text.slice(0, 300)}…` : text];
  }
  if (Array.isArray(body)) return fromList(body);
  return isRecord(body) ? fromObject(body) : [];
}

/**
 * The error for a response that is not a success: `status`, `kind`, normalised `messages` and the redacted body and
 * request. `body` is what openapi-fetch returned as `error`.
 */
export function errorFromResponse(
  response: Response,
  body: unknown,
  kind?: ErrorKind,
  detail?: string,
): InvoiceXpressError {
  const info: Partial<ResponseInfo> = responseInfo.get(response) ?? {};
  const redactor = info.redactor ?? createRedactor();
  const safeBody = redactor.value(body === "" ? undefined : body);
  const messages = errorMessages(safeBody);
  const codes = isRecord(safeBody) ? [safeBody.errors, safeBody.error].map((v) => isRecord(v) && v.code) : [];
  const code = codes.find((c) => typeof c === "string" || typeof c === "number");
  const url = info.url ?? (response.url && redactor.text(response.url));
  return new InvoiceXpressError({
    kind: kind ?? kindOfStatus(response.status),
    ...{ status: response.status, messages, body: safeBody, attempts: info.attempts },
    code: code === undefined ? undefined : String(code),
    request: url ? { method: info.method ?? "?", url } : undefined,
    detail:
      (detail ??
        (messages.join("; ") ||
          `${response.statusText || "HTTP error"}${safeBody === undefined ? " (empty body)" : ""}`)) +
      (info.note ? ` (${info.note})` : ""),
  });
}

/**
 * The `data` of a result's success variant: the body of the operation's 2xx answers, never `undefined` when they have
 * one (a bodyless 202 is not returned by {@link unwrap}: it throws).
 */
export type DataOf<R> = R extends { data: infer D }
  ? [Exclude<D, undefined>] extends [never]
    ? D
    : Exclude<D, undefined>
  : R extends { data?: infer D }
    ? Exclude<D, undefined>
    : never;

/**
 * The throwing style: returns `data` of a successful result, or throws an {@link InvoiceXpressError} for any other
 * status, and for a 202 without a body (not ready yet: `poll()` sends it again).
 *
 * ```ts
 * const { clients } = unwrap(await ix.GET("/clients.json"));
 * ```
 */
export function unwrap<R extends { data?: unknown; error?: unknown; response: Response }>(result: R): DataOf<R> {
  const { response, data } = result;
  if (response.ok && !(response.status === 202 && data === undefined)) return data as DataOf<R>;
  const pending = response.ok ? "202 Accepted without a body: not ready yet (poll() sends it again)" : undefined;
  throw errorFromResponse(response, result.error, undefined, pending);
}
