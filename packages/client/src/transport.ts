import { InvoiceXpressError, scrubError } from "./errors.js";
import { responseInfo, retryAfterMs } from "./internal.js";
import type { RateLimiter } from "./rate-limit.js";
import { type Redactor, redactHeaders } from "./redact.js";
import { abortedError, clampWait, MAX_WAIT_MS, sleep } from "./sleep.js";

/** How failed requests are retried. */
export interface RetryOptions {
  /** Most times one call is sent, the first included. Default 4. */
  attempts?: number;
  /** First backoff delay; it doubles on each retry, with jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** Largest backoff delay (a `Retry-After` may ask for more). Default 10 000 ms. */
  maxDelayMs?: number;
  /** No retry starts when it would end later than this after the first send. Default 60 000 ms. */
  maxElapsedMs?: number;
  /**
   * The longest single wait before a retry: a `Retry-After` asking for more (or for more than is
   * left of `maxElapsedMs`) is not waited for; the response is returned and its error says why.
   * Default 300 000 ms (5 minutes); at most 2^31 - 1.
   */
  maxWaitMs?: number;
}

export const RETRY_DEFAULTS: Required<RetryOptions> = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxElapsedMs: 60_000,
  maxWaitMs: MAX_WAIT_MS,
};

/** How much of an error body is read for its messages; the rest is discarded (the status is kept). */
export const ERROR_BODY_LIMIT = 65_536;

/** Most same-origin redirects followed for one attempt. */
const MAX_REDIRECTS = 5;

/** Options that one call may override: `ix.GET("/clients.json", { timeoutMs: 5000, retry: false })`. */
export interface CallOptions {
  timeoutMs?: number;
  retry?: RetryOptions | false;
}

/** One event of the log hook. URLs and bodies are redacted. */
export interface LogEvent {
  type: "request" | "response" | "retry" | "error";
  method: string;
  url: string;
  /** 1 for the first send. */
  attempt: number;
  status?: number;
  durationMs?: number;
  /** `retry`: how long the client waits before the next attempt. */
  delayMs?: number;
  /** `response` of an error status: its body (parsed JSON, or text), sensitive fields redacted. */
  body?: unknown;
  /** `error`: the failure (network, timeout, aborted, redirect). */
  error?: InvoiceXpressError;
}

export interface TransportOptions {
  apiKey: string;
  fetch?: typeof fetch;
  timeoutMs: number;
  retry: Required<RetryOptions> | false;
  limiter?: RateLimiter;
  userAgent?: string;
  log?: (event: LogEvent) => void;
  redactor: Redactor;
}

/**
 * What the client's method wrapper hands the transport for one call (closed over in the `fetch`
 * it passes to openapi-fetch for that call), and what the transport hands back.
 */
export interface CallSettings extends CallOptions {
  /** A `fetch` given for this call (`init.fetch`): sent with instead of the client's. */
  fetch?: typeof fetch;
  /** A POST to an operation that de-duplicates on a top-level `proprietary_uid` (from the spec). */
  dedupes?: boolean;
  /** `false` for a PUT or DELETE the spec marks `x-idempotent: false`: never sent twice. */
  repeatable?: boolean;
  /** The caller's signal, kept out of openapi-fetch's `Request` (which would listen to it). */
  signal?: AbortSignal | null;
  /** Set by the transport: the error for a failure once it has returned (reading the body). */
  fail?: (error: unknown) => unknown;
}

const decoder = new TextDecoder();
const text = (body: ArrayBuffer | string): string => (typeof body === "string" ? body : decoder.decode(body));

// What may be retried, as bits: 429, 409, 5xx, no response (network error or timeout).
const R429 = 1;
const R409 = 2;
const R5XX = 4;
const RNET = 8;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Whether a serialised body is a JSON object whose **top-level** `proprietary_uid` is a
 * non-empty string. FormData, streams, blobs and anything that does not parse are not.
 */
export function hasTopLevelUid(body: unknown): boolean {
  if (typeof body !== "string" && !(body instanceof ArrayBuffer)) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text(body));
  } catch {
    return false;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return false;
  const uid = (parsed as Record<string, unknown>).proprietary_uid;
  return typeof uid === "string" && uid.trim() !== "";
}

/** Reads at most `limit` bytes of a body and cancels the rest. */
async function readCapped(response: Response, limit: number): Promise<{ buffer: ArrayBuffer; cut: boolean }> {
  const reader = response.body?.getReader();
  const out = new Uint8Array(limit);
  let total = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    const take = Math.min(value.byteLength, limit - total);
    out.set(value.subarray(0, take), total);
    total += take;
    if (take < value.byteLength) {
      await reader.cancel().catch(() => undefined);
      return { buffer: out.slice(0, total).buffer, cut: true };
    }
  }
  return { buffer: out.slice(0, total).buffer, cut: false };
}

/**
 * The `fetch` beneath openapi-fetch's middleware (passed as its per-call `fetch` option): adds the
 * API key, waits for the rate limiter, applies the per-attempt timeout together with the caller's
 * signal (`AbortSignal.any`, so it also covers reading the body), follows only same-origin
 * redirects (the key re-added by us), retries what is safe to retry, and returns a response whose
 * `url` and `headers` are redacted: a successful one streamed as it arrives, an error one
 * buffered (capped) and redacted.
 */
export function createTransport(options: TransportOptions) {
  const { redactor, log, limiter } = options;
  const keyParam = `api_key=${encodeURIComponent(options.apiKey)}`;
  const withKey = (u: string) => u + (u.includes("?") ? "&" : "?") + keyParam;

  return async (request: Request, call: CallSettings = {}): Promise<Response> => {
    const timeoutMs = call.timeoutMs ?? options.timeoutMs;
    const retry =
      call.retry === undefined ? options.retry : call.retry && { ...(options.retry || RETRY_DEFAULTS), ...call.retry };
    const { method, url: rawUrl } = request;
    // Shown (errors, log events, `response.url`) only once something needs it.
    let shown: string | undefined;
    const safeUrl = () => (shown ??= redactor.text(rawUrl));
    const body = request.body ? await request.arrayBuffer() : undefined;
    const headers = new Headers(request.headers);
    if (options.userAgent) headers.set("user-agent", options.userAgent);
    const may = !retry
      ? 0
      : method === "GET" || method === "HEAD"
        ? R429 | R5XX | RNET
        : method === "POST"
          ? call.dedupes && hasTopLevelUid(body)
            ? R429 | R409 | R5XX | RNET
            : 0 // a POST that the server cannot de-duplicate is sent exactly once, whatever happens
          : call.repeatable === false
            ? 0 // e-mails a document or changes a state: once it may have arrived, never again
            : R429;
    // The rest of RequestInit, as the caller gave it.
    const { credentials, cache, keepalive, mode, referrerPolicy, integrity } = request;
    const extra: RequestInit = { credentials, cache, keepalive, mode, referrerPolicy, integrity };
    const outer = call.signal !== undefined ? call.signal : (request.signal as AbortSignal | null);
    const send = call.fetch ?? options.fetch ?? globalThis.fetch;
    const started = retry ? performance.now() : 0;
    const maxWait = retry ? clampWait(retry.maxWaitMs ?? MAX_WAIT_MS) : 0;

    for (let attempt = 1; ; attempt++) {
      if (limiter) {
        // The limiter's own error (an abort while waiting) is replaced by one naming the request.
        const wait = limiter(outer);
        if (wait) await wait.catch(() => Promise.reject(abortedError(method, safeUrl())));
      }
      if (outer?.aborted) throw abortedError(method, safeUrl());
      const timer = timeoutMs > 0 && timeoutMs < Infinity ? AbortSignal.timeout(timeoutMs) : undefined;
      const signal = timer && outer ? AbortSignal.any([outer, timer]) : (timer ?? outer ?? undefined);
      const failed = (error: unknown) => {
        // The kind comes from the signal's reason: our timeout's, or the caller's abort.
        const timedOut = !!timer && signal!.aborted && signal!.reason === timer.reason;
        return new InvoiceXpressError({
          kind: timedOut ? "timeout" : outer?.aborted ? "aborted" : "network",
          request: { method, url: safeUrl() },
          attempts: attempt,
          cause: scrubError(error, redactor),
          detail: timedOut
            ? `no complete response within ${timeoutMs} ms`
            : redactor.text(String((error as Error)?.message ?? error)),
        });
      };
      const sentAt = log ? performance.now() : 0;
      const emit =
        log &&
        ((type: LogEvent["type"], more?: Partial<LogEvent>) => log({ type, method, url: safeUrl(), attempt, ...more }));
      emit?.("request");
      let response: Response | undefined;
      let buffer: ArrayBuffer | null = null;
      let cut = false;
      let failure: InvoiceXpressError | undefined;
      try {
        response = await sendFollowing(send, withKey(rawUrl), method, body, headers, extra, signal, request.redirect);
        if (response.ok) {
          emit?.("response", { status: response.status, durationMs: Math.round(performance.now() - sentAt) });
          call.fail = (error) =>
            error instanceof InvoiceXpressError
              ? error
              : signal?.aborted || error instanceof TypeError
                ? failed(error)
                : error instanceof SyntaxError
                  ? parseError(response!.status, method, safeUrl(), attempt)
                  : error;
          return streamed(response, { method, url: safeUrl(), redactor, attempts: attempt }, safeUrl);
        }
        if (response.status !== 304) ({ buffer, cut } = await readCapped(response, ERROR_BODY_LIMIT));
      } catch (error) {
        failure =
          error instanceof Refused
            ? new InvoiceXpressError({
                kind: "redirect",
                status: error.status,
                request: { method, url: safeUrl() },
                attempts: attempt,
                detail: error.message,
              })
            : failed(error);
      }

      const status = response?.status ?? 0;
      if (emit) {
        if (failure) emit("error", { error: failure });
        else
          emit("response", {
            status,
            durationMs: Math.round(performance.now() - sentAt),
            body: logBody(response!, buffer, cut, redactor),
          });
      }
      const reason = failure
        ? failure.kind === "aborted" || failure.kind === "redirect"
          ? 0
          : RNET
        : status === 429
          ? R429
          : status === 409
            ? R409
            : status >= 500
              ? R5XX
              : 0;
      let note: string | undefined;
      if (retry && may & reason && attempt < retry.attempts) {
        const exp = Math.min(retry.maxDelayMs, maxWait, retry.baseDelayMs * 2 ** (attempt - 1));
        const asked = retryAfterMs(response?.headers.get("retry-after"));
        const delay = asked ?? exp / 2 + (Math.random() * exp) / 2;
        const left = retry.maxElapsedMs - (performance.now() - started);
        if (delay <= maxWait && delay <= left) {
          emit?.("retry", { status: status || undefined, delayMs: Math.round(delay) });
          await sleep(delay, outer, method, safeUrl());
          continue;
        }
        if (asked !== undefined)
          note = `not retried: the server asks to wait ${Math.ceil(asked / 1000)} s (Retry-After), more than ${
            asked > maxWait
              ? `retry.maxWaitMs (${maxWait} ms)`
              : `is left of retry.maxElapsedMs (${Math.max(0, Math.floor(left))} ms)`
          }`;
      }
      if (failure) throw failure;
      if (cut) note = `${note ? `${note}; ` : ""}body cut at ${ERROR_BODY_LIMIT} bytes`;
      return finish(response!, buffer, cut, { method, url: safeUrl(), redactor, attempts: attempt, note });
    }
  };

  /**
   * Sends with `redirect: "manual"` when the caller left openapi-fetch's `"follow"`: a redirect to
   * the same origin is followed here, with the key re-added (any `api_key` in `Location` dropped);
   * any other one (another host, port or scheme, https → http, or a browser's opaque redirect)
   * ends in a `redirect` error showing the redacted `Location`, and its body is never re-sent.
   */
  async function sendFollowing(
    send: typeof fetch,
    url: string,
    method: string,
    body: ArrayBuffer | undefined,
    headers: Headers,
    extra: RequestInit,
    signal: AbortSignal | undefined,
    redirect: RequestRedirect,
  ): Promise<Response> {
    const follow = redirect === "follow";
    for (let hops = 0; ; hops++) {
      const response = await send(url, {
        ...extra,
        method,
        headers,
        body,
        signal,
        redirect: follow ? "manual" : redirect,
      });
      const location = response.headers.get("location");
      if (!follow || !(response.type === "opaqueredirect" || (REDIRECTS.has(response.status) && location !== null)))
        return response;
      await response.body?.cancel().catch(() => undefined);
      let next: URL | undefined;
      try {
        next = new URL(location ?? "", url);
      } catch {
        // refused below
      }
      const shown = location === null ? "(not shown to this runtime)" : redactor.text(location);
      if (!next || next.origin !== new URL(url).origin || hops >= MAX_REDIRECTS)
        throw new Refused(
          response.status || undefined,
          `${hops >= MAX_REDIRECTS && next ? `more than ${MAX_REDIRECTS} redirects` : "a redirect to another origin, not followed (the key stays here)"}: Location ${shown}`,
        );
      next.searchParams.delete("api_key");
      url = withKey(next.href);
      const s = response.status;
      if (s === 303 || ((s === 301 || s === 302) && method === "POST")) {
        method = method === "HEAD" ? "HEAD" : "GET";
        body = undefined;
        headers = new Headers(headers);
        headers.delete("content-type");
      }
    }
  }
}

/** A redirect refused by `sendFollowing`, made into a `redirect` error naming the request. */
class Refused extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** A successful response as it arrived (its body streamed, never read here) with a redacted `url` and `headers`. */
function streamed(response: Response, info: Parameters<typeof responseInfo.set>[1], url: () => string): Response {
  const s = response.status;
  const out = new Response(s === 204 || s === 205 ? null : response.body, {
    status: s,
    statusText: response.statusText,
    headers: redactHeaders(response.headers, info.redactor),
  });
  Object.defineProperty(out, "url", { get: url });
  responseInfo.set(out, info);
  return out;
}

/** The error for a body that does not parse: it says what and where, never what the body held. */
function parseError(status: number, method: string, url: string, attempts: number): InvoiceXpressError {
  return new InvoiceXpressError({
    kind: "parse",
    status,
    request: { method, url },
    attempts,
    detail: `the ${status} response body is not valid JSON (the body is not shown: it could hold a secret)`,
  });
}

function logBody(response: Response, buffer: ArrayBuffer | null, cut: boolean, redactor: Redactor): unknown {
  if (!buffer?.byteLength) return undefined;
  const body = text(buffer);
  if (cut) return (redactor.cut ?? redactor.text)(body);
  try {
    if (/json/i.test(response.headers.get("content-type") ?? "")) return redactor.value(JSON.parse(body));
  } catch {
    // not JSON after all: log the text
  }
  return redactor.text(body);
}

/** An error response, buffered: its body redacted (text, then values once parsed), its info kept. */
function finish(
  response: Response,
  buffer: ArrayBuffer | null,
  cut: boolean,
  info: Parameters<typeof responseInfo.set>[1],
): Response {
  const { redactor } = info;
  let body: ArrayBuffer | string | null = buffer;
  let headers = redactHeaders(response.headers, redactor);
  if (buffer?.byteLength) {
    // An error body that echoes a secret (the key, a sensitive field) is redacted before anyone
    // sees it: on the text, and on the values once parsed (a key the server wrote `\u`-escaped).
    const raw = text(buffer);
    let safe = cut ? (redactor.cut ?? redactor.text)(raw) : redactor.text(raw);
    if (!cut) {
      try {
        safe = JSON.stringify(redactor.value(JSON.parse(safe)));
      } catch {
        // not JSON: the redacted text stands
      }
    }
    if (safe !== raw) {
      body = safe;
      if (headers === response.headers) headers = new Headers(headers);
      headers.delete("content-length");
    }
  }
  const s = response.status;
  const out = new Response(s === 304 ? null : body, { status: s, statusText: response.statusText, headers });
  Object.defineProperty(out, "url", { value: info.url });
  responseInfo.set(out, info);
  return out;
}
