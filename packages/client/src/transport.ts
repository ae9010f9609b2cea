import { InvoiceXpressError, scrubError } from "./errors.js";
import { INFO, type ResponseInfo, responseInfo, retryAfterMs } from "./internal.js";
import type { RateLimiter } from "./rate-limit.js";
import { type Redactor, redactHeaders } from "./redact.js";
import { abortedError, clampWait, createDeadlines, MAX_WAIT_MS, onAbort, sleep, TIMER_LIMIT_MS } from "./sleep.js";

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
  /** `response`: the body (parsed JSON, or text), sensitive fields redacted. */
  body?: unknown;
  /** `error`: the failure (network, timeout, aborted). */
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

const decoder = new TextDecoder();
const text = (body: BodyInit | ArrayBuffer): string =>
  typeof body === "string" ? body : body instanceof ArrayBuffer ? decoder.decode(body) : "";

// What may be retried, as bits: 429, 409, 5xx, no response (network error or timeout).
const R429 = 1;
const R409 = 2;
const R5XX = 4;
const RNET = 8;

/**
 * Per-call context, handed from the client's method wrapper to the transport through the
 * request (openapi-fetch copies unknown init keys onto it). Lets a successful response go back
 * unbuffered while its timeout keeps running until openapi-fetch has read the body.
 */
export interface CallContext {
  /** Set by the transport: stops the timeout of a response returned unbuffered. */
  done?: () => void;
  /** Set by the transport: the error for a failure while openapi-fetch reads that body. */
  fail?: (error: unknown) => unknown;
}

/** What the transport reads from the request (a `Request`, or the client's lighter stand-in). */
export interface OutgoingRequest extends CallOptions {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
  signal?: AbortSignal | null;
  redirect?: RequestRedirect;
  ixpressContext?: CallContext;
  /** The client's stand-in request keeps the whole init. */
  init?: RequestInit;
  /**
   * Set by the client: the operation de-duplicates on a top-level `proprietary_uid` (from the
   * spec). Only then may a POST be retried, and only when its body has one.
   */
  ixpressDedupes?: boolean;
}

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
  if (!reader) return { buffer: new ArrayBuffer(0), cut: false };
  const chunks: Uint8Array[] = [];
  let total = 0;
  let cut = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - total));
      total = limit;
      cut = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    total += value.byteLength;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return { buffer: out.buffer, cut };
}

/**
 * The `fetch` beneath openapi-fetch's middleware: adds the API key, waits for the rate limiter,
 * applies the per-attempt timeout together with the caller's signal, retries what is safe to
 * retry, and returns a response whose `url` is redacted. Error responses are buffered (and
 * redacted); successful ones are buffered only when there is no call context (or a log hook).
 */
export function createTransport(options: TransportOptions): (request: OutgoingRequest) => Promise<Response> {
  const { redactor, log, limiter } = options;
  const keyParam = `api_key=${encodeURIComponent(options.apiKey)}`;
  const deadline = createDeadlines();

  return async (request) => {
    const timeoutMs = request.timeoutMs ?? options.timeoutMs;
    const retry =
      request.retry === undefined
        ? options.retry
        : request.retry && { ...(options.retry || RETRY_DEFAULTS), ...request.retry };
    const { method, ixpressContext: context, url: rawUrl } = request;
    // The URL with secrets redacted, computed when something shows it (an error, a log event,
    // `response.url`): a call that succeeds without a log hook may never need it.
    let shown: string | undefined;
    const safeUrl = () => (shown ??= redactor.text(rawUrl));
    const url = rawUrl + (rawUrl.includes("?") ? "&" : "?") + keyParam;
    const body = (
      request instanceof Request
        ? request.body
          ? await request.arrayBuffer()
          : undefined
        : (request.body ?? undefined)
    ) as BodyInit | undefined;
    let headers: Headers = request.headers;
    if (options.userAgent) {
      headers = new Headers(headers);
      headers.set("user-agent", options.userAgent);
    }
    const may = !retry
      ? 0
      : method === "GET" || method === "HEAD"
        ? R429 | R5XX | RNET
        : method === "POST"
          ? request.ixpressDedupes === true && hasTopLevelUid(body)
            ? R429 | R409 | R5XX | RNET
            : 0 // a POST that the server cannot de-duplicate is sent exactly once, whatever happens
          : R429;
    // The rest of RequestInit (credentials, cache, keepalive, mode, …), as the caller gave it.
    const extra: RequestInit | undefined =
      request instanceof Request
        ? {
            credentials: request.credentials,
            cache: request.cache,
            keepalive: request.keepalive,
            mode: request.mode,
            referrerPolicy: request.referrerPolicy,
          }
        : request.init;
    const outer = request.signal;
    const send = options.fetch ?? globalThis.fetch;
    const started = retry ? performance.now() : 0;
    const maxWait = retry ? Math.min(clampWait(retry.maxWaitMs ?? MAX_WAIT_MS), TIMER_LIMIT_MS) : 0;

    for (let attempt = 1; ; attempt++) {
      if (limiter) {
        // The limiter's own error (an abort while waiting) is replaced by one naming the request.
        const wait = limiter(outer);
        if (wait) await wait.catch(() => Promise.reject(abortedError(method, safeUrl())));
      }
      if (outer?.aborted) throw abortedError(method, safeUrl());
      // A signal for fetch only when something may abort the attempt: the timeout or the caller.
      const timed = timeoutMs > 0 && timeoutMs < Infinity;
      const controller = timed || outer ? new AbortController() : undefined;
      let timedOut = false;
      const stopWatching = outer ? onAbort(outer, () => controller!.abort()) : undefined;
      const stopTimer = timed
        ? deadline(timeoutMs, () => {
            timedOut = true;
            controller!.abort();
          })
        : undefined;
      const cleanup =
        stopTimer && stopWatching
          ? () => {
              stopTimer();
              stopWatching();
            }
          : (stopTimer ?? stopWatching);
      const failed = (error: unknown) =>
        new InvoiceXpressError({
          kind: timedOut ? "timeout" : outer?.aborted ? "aborted" : "network",
          request: { method, url: safeUrl() },
          attempts: attempt,
          cause: scrubError(error, redactor),
          detail: timedOut
            ? `no complete response within ${timeoutMs} ms`
            : redactor.text(String((error as Error)?.message ?? error)),
        });
      const sentAt = log ? performance.now() : 0;
      const emit =
        log &&
        ((type: LogEvent["type"], more?: Partial<LogEvent>) => log({ type, method, url: safeUrl(), attempt, ...more }));
      emit?.("request");
      let response: Response | undefined;
      let buffer: ArrayBuffer | null = null;
      let cut = false;
      let failure: InvoiceXpressError | undefined;
      let unbuffered = false;
      try {
        response = await send(url, {
          ...extra,
          method,
          headers,
          body,
          signal: controller?.signal,
          redirect: request.redirect,
        });
        const s = response.status;
        if (context && response.ok && !log) {
          // openapi-fetch reads this body next; the timeout runs until the client's wrapper calls done().
          unbuffered = true;
          if (cleanup) context.done = cleanup;
          context.fail = (error) =>
            error instanceof InvoiceXpressError
              ? error
              : timedOut || outer?.aborted || error instanceof TypeError
                ? failed(error)
                : error instanceof SyntaxError
                  ? parseError(s, method, safeUrl(), attempt)
                  : error;
        } else if (s === 204 || s === 205 || s === 304) {
          buffer = null;
        } else if (response.ok) {
          buffer = await response.arrayBuffer();
        } else {
          ({ buffer, cut } = await readCapped(response, ERROR_BODY_LIMIT));
        }
      } catch (error) {
        failure = failed(error);
      } finally {
        if (!unbuffered) cleanup?.();
      }
      if (unbuffered) {
        return unbufferedResponse(response!, new CallInfo(method, safeUrl, redactor, attempt));
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
        ? failure.kind === "aborted"
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
      const out = finish(response!, buffer, cut, method, safeUrl(), attempt, redactor, note);
      if (context)
        context.fail = (error) =>
          error instanceof SyntaxError ? parseError(status, method, safeUrl(), attempt) : error;
      return out;
    }
  };
}

/**
 * What an unbuffered response keeps (under `INFO`): its request, and its redacted headers once
 * read. A class, not an object literal with a getter: made once per call, it is the cheaper shape.
 */
class CallInfo implements ResponseInfo {
  headers?: Headers;
  /** For a response of another kind (see below): its own headers and its own `clone`. */
  raw?: Headers;
  cloneOf?: () => Response;
  constructor(
    readonly method: string,
    private readonly safeUrl: () => string,
    readonly redactor: Redactor,
    readonly attempts: number,
  ) {}
  get url(): string {
    return this.safeUrl();
  }
  /** The same request, for a clone (which reads its own headers). */
  copy(): CallInfo {
    return new CallInfo(this.method, this.safeUrl, this.redactor, this.attempts);
  }
}

type WithInfo = Response & { [INFO]: CallInfo };
const { clone } = Response.prototype;
// The response's own headers (the getter of `Response.prototype`), read only when redacting them.
// A runtime whose Response has no such getter gets the other path below.
const rawHeaders = Object.getOwnPropertyDescriptor(Response.prototype, "headers")?.get;

/**
 * What an unbuffered response shows: its `url` is the redacted one and its `headers` a redacted
 * copy (the same object when nothing needed redacting), both worked out when first read.
 */
const SAFE: PropertyDescriptorMap = {
  url: {
    get(this: WithInfo) {
      return this[INFO].url;
    },
    configurable: true,
  },
  headers: {
    get(this: WithInfo) {
      const u = this[INFO];
      u.headers ??= redactHeaders(u.raw ?? (rawHeaders!.call(this) as Headers), u.redactor);
      return u.headers;
    },
    configurable: true,
  },
  // A clone (a middleware's, before openapi-fetch reads the body) is made from the response's
  // inner state, the URL with the key: it gets the same redacted url and headers.
  clone: {
    value(this: WithInfo) {
      const u = this[INFO];
      return unbufferedResponse((u.cloneOf ?? clone).call(this), u.copy());
    },
    configurable: true,
    writable: true,
  },
};

/**
 * The prototype of plain unbuffered responses. One prototype for all: swapping it in costs less
 * than defining {@link SAFE} on each response (that was about two thirds of the client's own
 * time per call, measured).
 */
const SafeResponse: Response = Object.create(Response.prototype, SAFE);

/** A successful response handed to openapi-fetch unbuffered, showing {@link SAFE}. */
function unbufferedResponse(response: Response, info: CallInfo): Response {
  if (
    rawHeaders &&
    Object.getPrototypeOf(response) === Response.prototype &&
    !Object.hasOwn(response, "url") &&
    !Object.hasOwn(response, "headers")
  ) {
    Object.setPrototypeOf(response, SafeResponse);
    (response as WithInfo)[INFO] = info;
    return response;
  }
  // A response of another kind (a subclass, another library's fetch, own `url` or `headers`
  // properties): it keeps its prototype, and gets the same url, headers and clone as its own.
  info.raw = response.headers;
  info.cloneOf = response.clone;
  Object.defineProperties(response, { [INFO]: { value: info, configurable: true }, ...SAFE });
  return response;
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

function finish(
  response: Response,
  buffer: ArrayBuffer | null,
  cut: boolean,
  method: string,
  url: string,
  attempts: number,
  redactor: Redactor,
  note: string | undefined,
): Response {
  let body: ArrayBuffer | string | null = buffer;
  let headers = redactHeaders(response.headers, redactor);
  if (!response.ok && buffer?.byteLength) {
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
  const out = new Response(body, { status: response.status, statusText: response.statusText, headers });
  Object.defineProperty(out, "url", { value: url });
  responseInfo.set(out, { method, url, redactor, attempts, note });
  return out;
}
