import {
  type ErrorKind,
  InvoiceXpressError,
  type ResponseInfo,
  responseInfo,
  retryAfterMs,
  scrubError,
} from "./errors.js";
import type { RateLimiter } from "./rate-limit.js";
import { type Redactor, redactHeaders } from "./redact.js";
import { abortedError, clampWait, MAX_WAIT_MS, sleep } from "./sleep.js";

/** How failed requests are retried (see the README). */
export interface RetryOptions {
  /** Most times one call is sent, the first included. Default 4. */
  attempts?: number;
  /** First backoff delay; it doubles on each retry, with jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** Largest backoff delay (a `Retry-After` may ask for more). Default 10 000 ms. */
  maxDelayMs?: number;
  /** No retry starts when it would end later than this after the first send. Default 60 000 ms. */
  maxElapsedMs?: number;
  /** The longest single wait: a longer `Retry-After` is not waited for. Default 300 000 ms; at most 2^31 - 1. */
  maxWaitMs?: number;
}

export const RETRY_DEFAULTS: Required<RetryOptions> = {
  ...{ attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, maxElapsedMs: 60_000, maxWaitMs: MAX_WAIT_MS },
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

/** One event of the log hook. URLs and bodies are redacted. `attempt` is 1 for the first send. */
export interface LogEvent {
  type: "request" | "response" | "retry" | "error";
  method: string;
  url: string;
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
 * One call's settings, from the method wrapper (closed over in the per-call `fetch` it gives openapi-fetch): its
 * options and `fetch`, the caller's signal (kept out of openapi-fetch's `Request`, which would listen to it), whether a
 * POST de-duplicates on a top-level `proprietary_uid` and whether the operation may be repeated (`x-idempotent`). The
 * transport sets `fail`: the error for a failure after it returned (while the body is read).
 */
export interface CallSettings extends CallOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal | null;
  dedupes?: boolean;
  repeatable?: boolean;
  fail?: (error: unknown) => unknown;
}

const decoder = new TextDecoder();

// What may be retried, as bits: 429, 409, 5xx, no response (network error or timeout).
const [R429, R409, R5XX, RNET] = [1, 2, 4, 8];
const RETRIED: Record<number, number> = { 429: R429, 409: R409 };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Whether a body is JSON with a **top-level** `proprietary_uid` that is a non-empty string. */
const hasTopLevelUid = (body?: ArrayBuffer) => {
  const uid = body && (parse(decoder.decode(body)) as { proprietary_uid?: unknown } | null)?.proprietary_uid;
  return typeof uid === "string" && uid.trim() !== "";
};

/** Reads at most `limit` bytes of a body and cancels the rest. */
async function readCapped(response: Response, limit: number): Promise<{ raw: string; cut: boolean }> {
  const reader = response.body?.getReader();
  const out = new Uint8Array(limit);
  let total = 0;
  let cut = false;
  while (reader && !cut) {
    const { done, value } = await reader.read();
    if (done) break;
    const take = Math.min(value.byteLength, limit - total);
    out.set(value.subarray(0, take), total);
    total += take;
    if (take < value.byteLength) {
      cut = true;
      await reader.cancel().catch(() => undefined);
    }
  }
  return { raw: decoder.decode(out.subarray(0, total)), cut };
}

/**
 * The `fetch` beneath openapi-fetch's middleware (passed as its per-call `fetch` option): adds the API key, waits for
 * the rate limiter, applies the per-attempt timeout together with the caller's signal (`AbortSignal.any`, so it also
 * covers reading the body), follows only same-origin redirects, retries what is safe to retry, and returns a plain
 * `Response` whose `url` and `headers` are redacted: a successful one streamed as it arrives, an error one read
 * (capped) and redacted.
 */
export function createTransport(options: TransportOptions) {
  const { redactor, log, limiter } = options;
  const keyParam = `api_key=${encodeURIComponent(options.apiKey)}`;
  const withKey = (u: string) => u + (u.includes("?") ? "&" : "?") + keyParam;

  return async (request: Request, call: CallSettings = {}): Promise<Response> => {
    const timeoutMs = call.timeoutMs ?? options.timeoutMs;
    const retry =
      call.retry === undefined ? options.retry : call.retry && { ...(options.retry || RETRY_DEFAULTS), ...call.retry };
    const { method: method0, url: rawUrl, redirect } = request;
    // Shown (errors, log events, `response.url`) only once something needs it.
    let shown: string | undefined;
    const safeUrl = () => (shown ??= redactor.text(rawUrl));
    const body0 = request.body ? await request.arrayBuffer() : undefined;
    const headers0 = options.userAgent ? new Headers(request.headers) : request.headers;
    if (options.userAgent) headers0.set("user-agent", options.userAgent);
    // A POST the server cannot de-duplicate, and an operation that e-mails a document or changes a state
    // (`x-idempotent: false`), are sent once whatever happens; other PUTs, on 429 only.
    let may = !retry || call.repeatable === false ? 0 : R429;
    if (method0 === "GET" || method0 === "HEAD") may &&= R429 | R5XX | RNET;
    else if (method0 === "POST") may &&= call.dedupes && hasTopLevelUid(body0) ? R429 | R409 | R5XX | RNET : 0;
    const { credentials, cache, keepalive, mode, referrerPolicy, integrity } = request;
    const outer = call.signal !== undefined ? call.signal : (request.signal as AbortSignal | null);
    const send = call.fetch ?? options.fetch ?? globalThis.fetch;
    const started = retry ? performance.now() : 0;
    const maxWait = retry ? clampWait(retry.maxWaitMs ?? MAX_WAIT_MS) : 0;
    const where = () => ({ method: method0, url: safeUrl() });

    for (let attempt = 1; ; attempt++) {
      if (limiter) {
        // The limiter's own error (an abort while waiting) is replaced by one naming the request.
        const wait = limiter(outer);
        if (wait) await wait.catch(() => Promise.reject(abortedError(method0, safeUrl())));
      }
      if (outer?.aborted) throw abortedError(method0, safeUrl());
      const timer = timeoutMs > 0 && timeoutMs < Infinity ? AbortSignal.timeout(timeoutMs) : undefined;
      const signal = timer && outer ? AbortSignal.any([outer, timer]) : (timer ?? outer ?? undefined);
      const failed = (error: unknown, kind?: ErrorKind, status?: number) => {
        // The kind comes from the signal's reason: our timeout's, or the caller's abort.
        const timedOut = !!timer?.aborted && signal!.reason === timer.reason;
        return new InvoiceXpressError({
          kind: kind ?? (timedOut ? "timeout" : outer?.aborted ? "aborted" : "network"),
          status,
          request: where(),
          attempts: attempt,
          cause: kind ? undefined : scrubError(error, redactor),
          detail:
            timedOut && !kind
              ? `no complete response within ${timeoutMs} ms`
              : redactor.text(String((error as Error)?.message ?? error)),
        });
      };
      const sentAt = performance.now();
      const emit = (type: LogEvent["type"], more?: Partial<LogEvent>) =>
        log?.({ type, method: method0, url: safeUrl(), attempt, ...more });
      emit("request");
      let response: Response | undefined;
      let failure: InvoiceXpressError | undefined;
      let safe: string | undefined;
      let cut = false;
      try {
        // `redirect: "manual"` when the caller left openapi-fetch's "follow": a redirect to the same origin is followed
        // here with the key re-added (an `api_key` in `Location` dropped); any other (another host, port or scheme, or
        // a browser's opaque redirect) is a `redirect` error showing the redacted `Location`, and nothing, body
        // included, is sent there.
        let [url, method, body, headers] = [withKey(rawUrl), method0, body0, headers0];
        for (let hops = 0; ; hops++) {
          response = await send(url, {
            ...{ credentials, cache, keepalive, mode, referrerPolicy, integrity },
            ...{ method, headers, body, signal },
            redirect: redirect === "follow" ? "manual" : redirect,
          });
          const s = response.status;
          const location = response.headers.get("location");
          if (redirect !== "follow" || !(response.type === "opaqueredirect" || (REDIRECTS.has(s) && location !== null)))
            break;
          await response.body?.cancel().catch(() => undefined);
          const next = URL.canParse(location ?? "", url) ? new URL(location ?? "", url) : undefined;
          const same = next?.origin === new URL(url).origin;
          if (!same || hops >= MAX_REDIRECTS) {
            const shownAt = location === null ? "hidden by the runtime" : redactor.text(location);
            const why = same ? `more than ${MAX_REDIRECTS} redirects` : "a redirect to another origin, not followed";
            failure = failed(`${why} (Location: ${shownAt})`, "redirect", s || undefined);
            break;
          }
          next!.searchParams.delete("api_key");
          url = withKey(next!.href);
          if (s === 303 || ((s === 301 || s === 302) && method === "POST")) {
            [method, body, headers] = [method === "HEAD" ? "HEAD" : "GET", undefined, new Headers(headers)];
            headers.delete("content-type");
          }
        }
        if (!failure && response!.ok) {
          emit("response", { status: response!.status, durationMs: Math.round(performance.now() - sentAt) });
          const ok = response!;
          call.fail = (error) =>
            error instanceof InvoiceXpressError
              ? error
              : error instanceof SyntaxError
                ? failed("the body is not valid JSON (not shown: it could hold a secret)", "parse", ok.status)
                : signal?.aborted || error instanceof TypeError
                  ? failed(error)
                  : error;
          return hand(
            ok,
            ok.status === 204 || ok.status === 205 ? null : ok.body,
            { ...where(), redactor, attempts: attempt },
            safeUrl,
          );
        }
        if (!failure && response!.status !== 304) {
          const read = await readCapped(response!, ERROR_BODY_LIMIT);
          cut = read.cut;
          safe = redactBody(read.raw, cut, redactor);
        }
      } catch (error) {
        failure = failed(error);
      }

      const status = failure ? 0 : response!.status;
      if (failure) emit("error", { error: failure });
      else if (log) {
        const body =
          safe && /json/i.test(response!.headers.get("content-type") ?? "") ? parse(safe) : safe || undefined;
        emit("response", { status, durationMs: Math.round(performance.now() - sentAt), body });
      }
      const reason = failure
        ? Number(failure.kind === "network" || failure.kind === "timeout") * RNET
        : (RETRIED[status] ?? (status >= 500 ? R5XX : 0));
      let note: string | undefined;
      if (retry && may & reason && attempt < retry.attempts) {
        const exp = Math.min(retry.maxDelayMs, maxWait, retry.baseDelayMs * 2 ** (attempt - 1));
        const asked = retryAfterMs(response?.headers.get("retry-after"));
        const delay = asked ?? exp / 2 + (Math.random() * exp) / 2;
        const left = retry.maxElapsedMs - (performance.now() - started);
        if (delay <= maxWait && delay <= left) {
          emit("retry", { status: status || undefined, delayMs: Math.round(delay) });
          await sleep(delay, outer, method0, safeUrl());
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
      return hand(response!, safe ?? null, { ...where(), redactor, attempts: attempt, note }, safeUrl);
    }
  };
}

/**
 * An error body as anyone may see it: a secret it echoes (the key, a sensitive field) redacted on the text, and on the
 * values once parsed (a key the server wrote `\u`-escaped).
 */
function redactBody(raw: string, cut: boolean, redactor: Redactor): string {
  if (cut) return (redactor.cut ?? redactor.text)(raw);
  const safe = redactor.text(raw);
  const value = parse(safe);
  return value === safe ? safe : JSON.stringify(redactor.value(value));
}

/**
 * What the transport hands back: a plain `Response` with the body given (a success's stream, never read here, or an
 * error's redacted text), redacted `headers`, the redacted `url`, and its info in {@link responseInfo}.
 */
function hand(response: Response, body: ReadableStream | string | null, info: ResponseInfo, url: () => string) {
  let headers = redactHeaders(response.headers, info.redactor);
  if (typeof body === "string") {
    headers = new Headers(headers);
    headers.delete("content-length"); // the redacted body may be shorter
  }
  const out = new Response(body, { status: response.status, statusText: response.statusText, headers });
  Object.defineProperty(out, "url", { get: url });
  responseInfo.set(out, info);
  return out;
}
