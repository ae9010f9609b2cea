import createFetchClient from "openapi-fetch";
import type { InvoiceXpressClient } from "./exact.js";
import type { paths } from "./generated/schema.js";
import { isRepeatable, PROPRIETARY_UID_PATHS, rootAliasesOf } from "./generated/spec-meta.js";
import { createRedactor } from "./redact.js";
import { createRateLimiter } from "./sleep.js";
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
export { createRedactor, REDACTED, type Redactor } from "./redact.js";
export { createRateLimiter, MAX_WAIT_MS, type RateLimiter } from "./sleep.js";
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

const bad = (what: string, ...value: unknown[]): never => {
  throw new TypeError(`createClient: ${what}${value.length > 0 ? `, got ${JSON.stringify(value[0])}` : ""}`);
};

/** Builds `https://<accountName>.app.invoicexpress.com`, refusing names that are not a DNS label. */
export function accountBaseUrl(accountName: string): string {
  if (typeof accountName !== "string" || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(accountName))
    bad("accountName must be the account's sub-domain", accountName);
  return `https://${accountName.toLowerCase()}.app.invoicexpress.com`;
}

const checkKey = (apiKey: unknown) =>
  (typeof apiKey !== "string" || apiKey.trim() === "") && bad("apiKey must be a non-empty string");

/**
 * Wraps `fetch` so that the API key is added to the URL at the last moment, beneath every middleware. (`createClient`
 * does this itself; this is for using openapi-fetch directly.) It is the client's transport without retries, timeout
 * or limiter: what it hands back (url, headers, error bodies, thrown errors) is redacted as the client's is.
 */
export function withApiKey(apiKey: string, baseFetch?: typeof fetch): typeof fetch {
  checkKey(apiKey);
  const send = baseFetch && ((input: RequestInfo | URL, init?: RequestInit) => baseFetch(input, init));
  const redactor = createRedactor([apiKey]);
  const transport = createTransport({ apiKey, fetch: send, timeoutMs: 0, retry: false, redactor });
  return (input: RequestInfo | URL, init?: RequestInit) => transport(new Request(input, init));
}

/** Creates a typed InvoiceXpress client. */
export function createClient(options: ClientOptions): InvoiceXpressClient {
  if (options === null || typeof options !== "object") bad("options are required ({ accountName, apiKey })");
  const { apiKey, accountName: name, baseUrl, timeoutMs = 30_000, retry, rateLimit = 780 } = options;
  checkKey(apiKey);
  if (options.fetch !== undefined && typeof options.fetch !== "function") bad("fetch must be a function");
  if (name !== undefined && baseUrl !== undefined) bad("give accountName or baseUrl, not both");
  if (name === undefined && baseUrl === undefined) bad("accountName (or baseUrl) is required");
  const url = baseUrl !== undefined && URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  const plain = url && /^https?:$/.test(url.protocol) && !url.search && !url.hash && !url.username && !url.password;
  if (baseUrl !== undefined && !plain)
    bad("baseUrl must be an http(s) URL without query string, fragment or credentials", baseUrl);
  const retrySettings = retry === false ? false : { ...RETRY_DEFAULTS, ...retry };
  const limit = typeof rateLimit === "number" ? { requests: rateLimit, intervalMs: 60_000 } : rateLimit;
  const numbers: Array<[string, unknown, number]> = [["timeoutMs", timeoutMs === Infinity ? 0 : timeoutMs, 0]];
  for (const [k, v] of Object.entries(retrySettings || {})) numbers.push([`retry.${k}`, v, +(k === "attempts")]);
  if (limit) numbers.push(["rateLimit.requests", limit.requests, 1], ["rateLimit.intervalMs", limit.intervalMs, 1]);
  for (const [what, v, min] of numbers)
    if (!Number.isSafeInteger(v) || (v as number) < min || (what === "rateLimit.requests" && (v as number) > 1e6))
      bad(
        `${what} must be a whole number from ${min}${what === "rateLimit.requests" ? " to 1e6 (or rateLimit: false)" : ""}`,
        v,
      );

  const client = createFetchClient<paths>({ baseUrl: url ? url.href.replace(/\/+$/, "") : accountBaseUrl(name!) });
  const limiter = limit ? createRateLimiter(limit.requests, limit.intervalMs) : undefined;
  const redactor = createRedactor([apiKey], options.redactFields);
  const transport = createTransport({ ...options, timeoutMs, retry: retrySettings, limiter, redactor });
  const auto = options.autoProprietaryUid;
  const makeUid = typeof auto === "function" ? auto : auto && (() => globalThis.crypto.randomUUID());

  type Init = CallOptions & { body?: unknown; fetch?: typeof fetch; signal?: AbortSignal | null; parseAs?: string };
  // Every method: the per-call options go to the transport in this call's `fetch` (openapi-fetch's per-call option).
  const call = async (method: string, path: string, init?: Init | null) => {
    const { timeoutMs, retry, fetch, signal, ...rest } = init ?? {};
    const dedupes = method === "POST" && PROPRIETARY_UID_PATHS.includes(path);
    const repeatable = isRepeatable(method, path);
    const stream = rest.parseAs === "stream";
    const settings: CallSettings = { timeoutMs, retry, fetch, signal: signal ?? null, dedupes, repeatable, stream };
    const body = rest.body as Record<string, unknown> | undefined;
    if (makeUid && dedupes && body && typeof body === "object" && body.proprietary_uid == null)
      rest.body = { ...body, proprietary_uid: makeUid() };
    try {
      const perCall = { ...rest, fetch: (request: Request) => transport(request, settings) };
      const result = await client.request(method as "get", path as never, perCall as never);
      // A document answered under one of its two keys (`credit_note` or `invoice`) is put under the other too.
      const [a, b] = rootAliasesOf(method, path) ?? [];
      const data = result.data as Record<string, unknown> | undefined;
      if (a && b && data && typeof data === "object") {
        if (data[a] != null) data[b] ??= data[a];
        else if (data[b] != null) data[a] = data[b];
      }
      return result;
    } catch (error) {
      throw settings.fail ? settings.fail(error) : error;
    } finally {
      if (!stream) settings.end?.();
    }
  };
  const out: Record<string, unknown> = {
    use: client.use,
    eject: client.eject,
    request: (method: string, path: string, init?: Init) => call(method.toUpperCase(), path, init),
  };
  for (const method of ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"])
    out[method] = (path: string, init?: Init) => call(method, path, init);
  return out as unknown as InvoiceXpressClient;
}
