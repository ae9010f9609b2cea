import createFetchClient from "openapi-fetch";
import type { InvoiceXpressClient } from "./exact.js";
import type { paths } from "./generated/schema.js";
import { NOT_IDEMPOTENT, PROPRIETARY_UID_PATHS, ROOT_ALIASES } from "./generated/spec-meta.js";
import { createRateLimiter } from "./rate-limit.js";
import { createRedactor } from "./redact.js";
import {
  type CallOptions,
  type CallSettings,
  createTransport,
  type LogEvent,
  RETRY_DEFAULTS,
  type RetryOptions,
} from "./transport.js";

export type { ErrorKind, InvoiceXpressErrorInit, RequestSummary } from "./errors.js";
export { type DataOf, errorMessages, InvoiceXpressError, kindOfStatus, unwrap } from "./errors.js";
export type * from "./exact.js";
export type { components, operations, paths } from "./generated/schema.js";
export * from "./generated/spec-meta.js";
export * from "./helpers.js";
export * from "./paginate.js";
export * from "./poll.js";
export * from "./rate-limit.js";
export { createRedactor, REDACTED, type Redactor } from "./redact.js";
export { MAX_WAIT_MS } from "./sleep.js";
export { type CallOptions, ERROR_BODY_LIMIT, type LogEvent, RETRY_DEFAULTS, type RetryOptions } from "./transport.js";

/** Options of {@link createClient}. Give `accountName` or `baseUrl`, not both. */
export interface ClientOptions {
  /** The account's sub-domain: requests go to `https://<accountName>.app.invoicexpress.com`. */
  accountName?: string;
  /** The account's API key, added as the `api_key` query parameter to every request. */
  apiKey: string;
  /** Another base URL, such as a mock (`http://127.0.0.1:4010`). */
  baseUrl?: string;
  /** The `fetch` to use. Defaults to `globalThis.fetch`, looked up on every call. */
  fetch?: typeof fetch;
  /** Time allowed for each attempt, body included; `0` for none. Default 30 000 ms. */
  timeoutMs?: number;
  /** Retries (see {@link RetryOptions}), or `false` for none. */
  retry?: RetryOptions | false;
  /** Most requests per minute, or `{ requests, intervalMs }`, or `false`. Default 780 (the documented limit). */
  rateLimit?: number | { requests: number; intervalMs: number } | false;
  /** A `User-Agent` header for every request. Default: the runtime's own. */
  userAgent?: string;
  /** Add a random `proprietary_uid` to document creations that have none, so that they can be retried. Default `false`. */
  autoProprietaryUid?: boolean | (() => string);
  /** Called for every request, response, retry and failure, with redacted URLs and bodies. */
  log?: (event: LogEvent) => void;
  /** More field names to redact in errors and logs, besides `api_key` and the spec's `x-sensitive` fields. */
  redactFields?: string[];
}

const ACCOUNT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

const bad = (what: string, ...value: unknown[]): never => {
  throw new TypeError(`createClient: ${what}${value.length > 0 ? `, got ${JSON.stringify(value[0])}` : ""}`);
};

/** Builds `https://<accountName>.app.invoicexpress.com`, refusing names that are not a DNS label. */
export function accountBaseUrl(accountName: string): string {
  if (typeof accountName !== "string" || !ACCOUNT_NAME.test(accountName))
    bad("accountName must be the account's sub-domain", accountName);
  return `https://${accountName.toLowerCase()}.app.invoicexpress.com`;
}

function resolveBaseUrl({ accountName, baseUrl }: ClientOptions): string {
  if (accountName !== undefined && baseUrl !== undefined) bad("give accountName or baseUrl, not both");
  if (baseUrl === undefined)
    return accountName === undefined ? bad("accountName (or baseUrl) is required") : accountBaseUrl(accountName);
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password)
    bad("baseUrl must be an http(s) URL without query string, fragment or credentials", baseUrl);
  return url!.href.replace(/\/+$/, "");
}

/**
 * Wraps `fetch` so that the API key is added to the URL at the last moment, beneath every middleware. (`createClient`
 * does this itself; this is for using openapi-fetch directly.)
 */
export function withApiKey(apiKey: string, baseFetch?: typeof fetch): typeof fetch {
  if (typeof apiKey !== "string" || apiKey.trim() === "") bad("apiKey must be a non-empty string");
  // The client's own transport, without retries, timeout or limiter: what it hands back (url, headers, error bodies,
  // thrown errors) is redacted as the client's is.
  const transport = createTransport({
    apiKey,
    fetch: baseFetch && ((input, init) => baseFetch(input, init)),
    timeoutMs: 0,
    retry: false,
    redactor: createRedactor([apiKey]),
  });
  return (input: RequestInfo | URL, init?: RequestInit) => transport(new Request(input, init));
}

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

/** ROOT_ALIASES as maps (method → path → keys), built once: a call looks its path up in one. */
const ALIASES = new Map(
  Object.entries(ROOT_ALIASES).map(([method, byPath]) => [method, new Map(Object.entries(byPath))] as const),
);

/**
 * A document answered under one of its two keys (its type's, `credit_note`, or its family's, `invoice`) is put under
 * the other too: both hold the same object, so `data.credit_note` and `data.invoice` are there whichever the server
 * used.
 */
function aliasRoots(data: unknown, [a, b]: readonly [string, string]): void {
  if (data === null || typeof data !== "object") return;
  const d = data as Record<string, unknown>;
  if (d[a] != null) {
    if (d[b] == null) d[b] = d[a];
  } else if (d[b] != null) d[a] = d[b];
}

/** Creates a typed InvoiceXpress client. */
export function createClient(options: ClientOptions): InvoiceXpressClient {
  if (options === null || typeof options !== "object") bad("options are required ({ accountName, apiKey })");
  const { apiKey, timeoutMs = 30_000, retry, rateLimit = 780, autoProprietaryUid } = options;
  if (typeof apiKey !== "string" || apiKey.trim() === "") bad("apiKey must be a non-empty string");
  if (options.fetch !== undefined && typeof options.fetch !== "function") bad("fetch must be a function");
  const retrySettings = retry === false ? false : { ...RETRY_DEFAULTS, ...retry };
  const limit = typeof rateLimit === "number" ? { requests: rateLimit, intervalMs: 60_000 } : rateLimit;
  const numbers: Array<[string, unknown, number]> = [["timeoutMs", timeoutMs === Infinity ? 0 : timeoutMs, 0]];
  if (retrySettings)
    for (const [k, v] of Object.entries(retrySettings)) numbers.push([`retry.${k}`, v, k === "attempts" ? 1 : 0]);
  if (limit) numbers.push(["rateLimit.requests", limit.requests, 1], ["rateLimit.intervalMs", limit.intervalMs, 1]);
  if (limit && limit.requests > 1e6) bad("rateLimit above 1e6 requests: use rateLimit: false");
  for (const [name, value, min] of numbers)
    if (!Number.isSafeInteger(value) || (value as number) < min) bad(`${name} must be a whole number ≥ ${min}`, value);

  const client = createFetchClient<paths>({ baseUrl: resolveBaseUrl(options) });
  const limiter = limit ? createRateLimiter(limit.requests, limit.intervalMs) : undefined;
  const redactor = createRedactor([apiKey], options.redactFields);
  const transport = createTransport({ ...options, timeoutMs, retry: retrySettings, limiter, redactor });
  const randomUid = () => globalThis.crypto.randomUUID();
  const makeUid = typeof autoProprietaryUid === "function" ? autoProprietaryUid : autoProprietaryUid && randomUid;
  const uidPaths = new Set(PROPRIETARY_UID_PATHS);

  type Init = CallOptions & { body?: unknown; fetch?: typeof fetch; signal?: AbortSignal | null };
  // The thin wrapper of every method: it reads the client's per-call options and hands them to the transport in the
  // `fetch` it passes for this call (openapi-fetch's per-call option).
  const call = async (method: string, path: string, init: Init | undefined) => {
    const { timeoutMs, retry, fetch, signal, ...rest } = init ?? {};
    const dedupes = method === "POST" && uidPaths.has(path);
    const repeatable = !NOT_IDEMPOTENT[method]?.includes(path);
    const settings: CallSettings = { timeoutMs, retry, fetch, signal: signal ?? null, dedupes, repeatable };
    let body = rest.body as Record<string, unknown> | undefined;
    if (makeUid && dedupes && body && typeof body === "object" && body.proprietary_uid == null) {
      body = { ...body, proprietary_uid: makeUid() };
    }
    try {
      const perCall = { ...rest, body, fetch: (request: Request) => transport(request, settings) };
      const result = await client.request(method as "get", path as never, perCall as never);
      const roots = ALIASES.get(method)?.get(path);
      if (roots) aliasRoots((result as { data?: unknown }).data, roots);
      return result;
    } catch (error) {
      throw settings.fail ? settings.fail(error) : error;
    }
  };
  const out: Record<string, unknown> = {
    use: client.use,
    eject: client.eject,
    request: (method: string, path: string, init?: Init) => call(method.toUpperCase(), path, init),
  };
  for (const method of METHODS) out[method] = (path: string, init?: Init) => call(method, path, init);
  return out as unknown as InvoiceXpressClient;
}
