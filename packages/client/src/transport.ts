import { InvoiceXpressError, type ResponseInfo, responseInfo, retryAfterMs, scrubError } from "./errors.js";
import { type Redactor, redactHeaders } from "./redact.js";
import { abortedError, clampWait, MAX_WAIT_MS, type RateLimiter, sleep } from "./sleep.js";

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
 * One call's settings from the method wrapper: options, `fetch`, signal (kept out of openapi-fetch's `Request`, whose
 * listener on it undici never removes: nodejs/node#52635), whether a POST de-duplicates, whether it may be repeated,
 * whether the body is a stream. The transport sets `end` (clears the deadline) and `fail` (an error while it is read).
 */
export interface CallSettings extends CallOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal | null;
  dedupes?: boolean;
  repeatable?: boolean;
  stream?: boolean;
  end?: () => void;
  fail?: (error: unknown) => unknown;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Reads at most `limit` bytes of a body, cancelling the rest. */
async function readCapped(response: Response, limit: number) {
  const reader = response.body?.getReader();
  const out = new Uint8Array(limit);
  let [total, cut] = [0, false];
  for (let next = await reader?.read(); next && !next.done; next = cut ? undefined : await reader!.read()) {
    const take = Math.min(next.value.byteLength, limit - total);
    out.set(next.value.subarray(0, take), total);
    total += take;
    cut = take < next.value.byteLength;
  }
  if (cut) await reader!.cancel().catch(() => undefined);
  return { raw: new TextDecoder().decode(out.subarray(0, total)), cut };
}

/**
 * The `fetch` beneath openapi-fetch's middleware (its per-call `fetch` option): adds the API key, waits for the rate
 * limiter, gives each attempt a deadline joined to the caller's signal, follows only same-origin redirects, retries what
 * is safe to retry, and returns a plain `Response` with redacted `url` and `headers`: a success's body streamed, an
 * error's read (capped) and redacted.
 */
export function createTransport(options: TransportOptions) {
  const { redactor, log, limiter } = options;
  const keyParam = `api_key=${encodeURIComponent(options.apiKey)}`;
  const withKey = (u: string) => `${u}${u.includes("?") ? "&" : "?"}${keyParam}`;

  return async (request: Request, call: CallSettings = {}): Promise<Response> => {
    const timeoutMs = call.timeoutMs ?? options.timeoutMs;
    const retry =
      call.retry === undefined ? options.retry : call.retry && { ...(options.retry || RETRY_DEFAULTS), ...call.retry };
    const { method: method0, url: rawUrl, redirect, credentials, cache, keepalive, mode, referrerPolicy } = request;
    const where = { method: method0, url: redactor.text(rawUrl) };
    const body0 = request.body ? await request.arrayBuffer() : undefined;
    const headers0 = options.userAgent ? new Headers(request.headers) : request.headers;
    if (options.userAgent) headers0.set("user-agent", options.userAgent);
    // A POST the server de-duplicates: to a path that takes `proprietary_uid`, with one at the top of its JSON body.
    const uid =
      body0 && call.dedupes && (parse(new TextDecoder().decode(body0)) as Record<string, unknown>)?.proprietary_uid;
    const dedupes = typeof uid === "string" && uid.trim() !== "";
    // Status 0: no response (a network error or a timeout). Other POSTs, and what e-mails a document or changes a state
    // (`x-idempotent: false`), are sent once whatever happens; other PUTs and DELETEs are sent again on 429 only.
    const retried = (status: number) =>
      call.repeatable !== false &&
      (status === 429
        ? method0 !== "POST" || dedupes
        : (method0 === "GET" || method0 === "HEAD" || dedupes) &&
          (!status || status >= 500 || (dedupes && status === 409)));
    const init = { credentials, cache, keepalive, mode, referrerPolicy, integrity: request.integrity };
    const outer = call.signal !== undefined ? call.signal : (request.signal as AbortSignal | null);
    const send = call.fetch ?? options.fetch ?? globalThis.fetch;
    const started = performance.now();

    for (let attempt = 1; ; attempt++) {
      const aborted = () => abortedError(method0, where.url);
      const wait = limiter?.(outer); // its own error (an abort while waiting) is replaced by one naming the request
      if (wait) await wait.catch(() => Promise.reject(aborted()));
      if (outer?.aborted) throw aborted();
      // The attempt's deadline: its own controller, aborted by an unref'd timer with a "TimeoutError" reason, joined to
      // the caller's signal by `AbortSignal.any` (no listener added to it, however many calls share it).
      let signal = outer ?? undefined;
      let ours: AbortSignal | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const end = () => clearTimeout(timer);
      if (timeoutMs > 0 && timeoutMs < Infinity) {
        const ctrl = new AbortController();
        ours = ctrl.signal;
        const expire = () => ctrl.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
        timer = setTimeout(expire, clampWait(timeoutMs));
        (timer as { unref?: () => void }).unref?.();
        signal = outer ? AbortSignal.any([outer, ours]) : ours;
      }
      const failed = (error: unknown, kind?: "redirect" | "parse", status?: number) => {
        const timedOut = !kind && !!ours?.aborted && signal!.reason === ours.reason; // not the caller's abort
        return new InvoiceXpressError({
          kind: kind ?? (timedOut ? "timeout" : outer?.aborted ? "aborted" : "network"),
          ...{ status, request: { ...where }, attempts: attempt },
          cause: kind ? undefined : scrubError(error, redactor),
          detail: timedOut
            ? `no complete response within ${timeoutMs} ms`
            : redactor.text(String((error as Error)?.message ?? error)),
        });
      };
      const sentAt = performance.now();
      const emit = (type: LogEvent["type"], more?: Partial<LogEvent>) => log?.({ type, ...where, attempt, ...more });
      const took = () => Math.round(performance.now() - sentAt);
      emit("request");
      let response: Response | undefined;
      let failure: InvoiceXpressError | undefined;
      let text: string | undefined;
      let cut = false;
      try {
        // "follow" is sent as "manual": a same-origin redirect is followed here with the key re-added (an `api_key` in
        // `Location` dropped); any other is a `redirect` error showing the redacted `Location`, and nothing is sent there.
        let [url, method, body, headers] = [withKey(rawUrl), method0, body0, headers0];
        for (let hops = 0; ; hops++) {
          const manual = redirect === "follow" ? "manual" : redirect;
          response = await send(url, { ...init, method, headers, body, signal, redirect: manual });
          const { status: s } = response;
          const location = response.headers.get("location");
          // A browser's opaque redirect (its `Location` hidden) is never followed, whatever `redirect` asked.
          const hop = redirect === "follow" && location !== null && /^30[12378]$/.test(`${s}`);
          if (!hop && response.type !== "opaqueredirect") break;
          await response.body?.cancel().catch(() => undefined);
          const next = location !== null && URL.canParse(location, url) ? new URL(location, url) : undefined;
          const same = next?.origin === new URL(url).origin;
          if (!same || hops >= 5) {
            const to = next ? "to another origin" : "whose Location cannot be read";
            const why = same ? "more than 5 redirects" : `a redirect ${to}, not followed`;
            const shown = location === null ? "hidden by the runtime" : redactor.text(location);
            failure = failed(`${why} (Location: ${shown})`, "redirect", s || undefined);
            break;
          }
          next!.searchParams.delete("api_key");
          url = withKey(next!.href);
          if (s === 303 || (s < 303 && method === "POST")) {
            [method, body, headers] = [method === "HEAD" ? "HEAD" : "GET", undefined, new Headers(headers)];
            headers.delete("content-type");
          }
        }
        if (!failure && response.ok) {
          const { status } = response;
          emit("response", { status, durationMs: took() });
          call.fail = (error) =>
            error instanceof InvoiceXpressError
              ? error
              : error instanceof SyntaxError
                ? failed("the body is not valid JSON (not shown: it could hold a secret)", "parse", status)
                : signal?.aborted || error instanceof TypeError
                  ? failed(error)
                  : error;
          // The wrapper ends the deadline once openapi-fetch has read the body; a stream, when it ends.
          const body = status === 204 || status === 205 ? null : response.body;
          call.end = end;
          if (!body) end();
          return hand(response, body && call.stream && timer ? watch(body, end) : body, {
            ...where,
            redactor,
            attempts: attempt,
          });
        }
        if (!failure && response.status !== 304) {
          ({ raw: text, cut } = await readCapped(response, ERROR_BODY_LIMIT));
          // Redacted as text, and again as values once parsed (a secret or field name written with `\u` escapes).
          text = cut ? redactor.cut(text) : redactor.text(text);
          const value = cut ? text : parse(text);
          if (value !== text) text = JSON.stringify(redactor.value(value));
        }
      } catch (error) {
        failure = failed(error);
      }
      end();

      const status = failure ? 0 : response!.status;
      if (failure) emit("error", { error: failure });
      else if (log) {
        const json = /json/i.test(response!.headers.get("content-type") ?? "");
        emit("response", { status, durationMs: took(), body: text && json ? parse(text) : text || undefined });
      }
      let note = cut ? `body cut at ${ERROR_BODY_LIMIT} bytes` : undefined;
      if (
        retry &&
        attempt < retry.attempts &&
        (failure ? /^(network|timeout)$/.test(failure.kind) : true) &&
        retried(status)
      ) {
        const maxWait = clampWait(retry.maxWaitMs ?? MAX_WAIT_MS);
        const exp = Math.min(retry.maxDelayMs, maxWait, retry.baseDelayMs * 2 ** (attempt - 1));
        const asked = retryAfterMs(response?.headers.get("retry-after"));
        const delay = asked ?? exp / 2 + (Math.random() * exp) / 2;
        const left = retry.maxElapsedMs - (performance.now() - started);
        if (delay <= maxWait && delay <= left) {
          emit("retry", { status: status || undefined, delayMs: Math.round(delay) });
          await sleep(delay, outer, method0, where.url);
          continue;
        }
        if (asked !== undefined) {
          const over =
            asked > maxWait
              ? `retry.maxWaitMs (${maxWait}`
              : `is left of retry.maxElapsedMs (${Math.max(0, Math.floor(left))}`;
          const why = `not retried: the server asks to wait ${Math.ceil(asked / 1000)} s (Retry-After), more than ${over} ms)`;
          note = note ? `${why}; ${note}` : why;
        }
      }
      if (failure) throw failure;
      return hand(response!, text ?? null, { ...where, redactor, attempts: attempt, note });
    }
  };
}

/** `body`, read only when the caller reads (nothing ahead), calling `end` once it ends, is cancelled or fails. */
function watch(body: ReadableStream<Uint8Array>, end: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const pull = async (out: ReadableStreamDefaultController<Uint8Array>) => {
    try {
      const next = await reader.read();
      if (!next.done) return out.enqueue(next.value);
      out.close();
    } catch (error) {
      out.error(error);
    }
    end();
  };
  const cancel = (reason: unknown) => {
    end();
    return reader.cancel(reason);
  };
  return new ReadableStream({ pull, cancel }, { highWaterMark: 0 });
}

/** A plain `Response` with the body given, redacted `headers` and `url`, and its info in {@link responseInfo}. */
function hand(response: Response, body: ReadableStream | string | null, info: ResponseInfo) {
  const headers = redactHeaders(response.headers, info.redactor);
  const out = new Response(body, { status: response.status, statusText: response.statusText, headers });
  if (typeof body === "string") out.headers.delete("content-length"); // the redacted body may be shorter
  Object.defineProperty(out, "url", { value: info.url });
  responseInfo.set(out, info);
  return out;
}
