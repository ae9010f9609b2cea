import { InvoiceXpressError, type ResponseInfo, responseInfo, retryAfterMs, scrubError } from "./errors.js";
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
 * One call's settings, from the method wrapper, closed over in the per-call `fetch` it gives openapi-fetch: its options,
 * `fetch` and signal (kept out of openapi-fetch's `Request`, which would listen to it), whether a POST de-duplicates on
 * a top-level `proprietary_uid`, whether the operation may be repeated (`x-idempotent`) and whether the caller reads
 * the body as a stream. The transport sets `end` (clears the deadline once openapi-fetch has read the body) and `fail`
 * (the error for a failure while it reads).
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

/** Reads at most `limit` bytes of a body and cancels the rest. */
async function readCapped(response: Response, limit: number) {
  const reader = response.body?.getReader();
  const out = new Uint8Array(limit);
  let [total, cut] = [0, false];
  while (reader && !cut) {
    const next = await reader.read();
    if (next.done) break;
    const take = Math.min(next.value.byteLength, limit - total);
    out.set(next.value.subarray(0, take), total);
    total += take;
    cut = take < next.value.byteLength;
  }
  if (cut) await reader!.cancel().catch(() => undefined);
  return { raw: new TextDecoder().decode(out.subarray(0, total)), cut };
}

/**
 * The `fetch` beneath openapi-fetch's middleware (passed as its per-call `fetch` option): adds the API key, waits for
 * the rate limiter, applies the per-attempt timeout together with the caller's signal, follows only same-origin
 * redirects, retries what is safe to retry, and returns a plain `Response` with redacted `url` and `headers`: a
 * successful one streamed as it arrives, an error one read (capped) and redacted.
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
    const shown = redactor.text(rawUrl);
    const where = () => ({ method: method0, url: shown });
    const body0 = request.body ? await request.arrayBuffer() : undefined;
    const headers0 = options.userAgent ? new Headers(request.headers) : request.headers;
    if (options.userAgent) headers0.set("user-agent", options.userAgent);
    // A POST the server de-duplicates: to a path that takes `proprietary_uid`, with one at the top of its JSON body.
    const uid =
      body0 &&
      call.dedupes &&
      (parse(new TextDecoder().decode(body0)) as { proprietary_uid?: unknown })?.proprietary_uid;
    const dedupes = typeof uid === "string" && uid.trim() !== "";
    const safe = method0 === "GET" || method0 === "HEAD" || dedupes;
    // `status` 0: no response (a network error or a timeout). Other POSTs, and operations that e-mail a document or
    // change a state (`x-idempotent: false`), are sent once whatever happens; other PUTs and DELETEs, again on 429 only.
    const retried = (status: number) =>
      !!retry &&
      call.repeatable !== false &&
      (status === 429
        ? method0 !== "POST" || dedupes
        : safe && (status === 0 || status >= 500 || (dedupes && status === 409)));
    const { credentials, cache, keepalive, mode, referrerPolicy, integrity } = request;
    const outer = call.signal !== undefined ? call.signal : (request.signal as AbortSignal | null);
    const send = call.fetch ?? options.fetch ?? globalThis.fetch;
    const started = performance.now();
    const maxWait = retry ? clampWait(retry.maxWaitMs) : 0;

    for (let attempt = 1; ; attempt++) {
      const info = (note?: string): ResponseInfo => ({ ...where(), redactor, attempts: attempt, note });
      // The limiter's own error (an abort while waiting) is replaced by one naming the request.
      const wait = limiter?.(outer);
      if (wait) await wait.catch(() => Promise.reject(abortedError(method0, where().url)));
      if (outer?.aborted) throw abortedError(method0, where().url);
      // This attempt's deadline: a controller aborted by its own unref'd timer with a "TimeoutError" reason, joined to
      // the caller's signal by `AbortSignal.any` (which adds no listener to it, however many calls share it).
      let signal = outer ?? undefined;
      let ours: AbortSignal | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const end = () => clearTimeout(timer);
      if (timeoutMs > 0 && timeoutMs < Infinity) {
        const ctrl = new AbortController();
        ours = ctrl.signal;
        timer = setTimeout(() => ctrl.abort(new DOMException("timeout", "TimeoutError")), clampWait(timeoutMs));
        (timer as { unref?: () => void }).unref?.();
        signal = outer ? AbortSignal.any([outer, ctrl.signal]) : ctrl.signal;
      }
      const failed = (error: unknown, kind?: "redirect" | "parse", status?: number) => {
        const timedOut = !kind && !!ours?.aborted && signal!.reason === ours.reason; // the reason tells our timeout from an abort
        return new InvoiceXpressError({
          kind: kind ?? (timedOut ? "timeout" : outer?.aborted ? "aborted" : "network"),
          status,
          request: where(),
          attempts: attempt,
          cause: kind ? undefined : scrubError(error, redactor),
          detail: timedOut
            ? `no complete response within ${timeoutMs} ms`
            : redactor.text(String((error as Error)?.message ?? error)),
        });
      };
      const sentAt = performance.now();
      const emit = (type: LogEvent["type"], more?: Partial<LogEvent>) => log?.({ type, ...where(), attempt, ...more });
      const took = () => Math.round(performance.now() - sentAt);
      emit("request");
      let response: Response | undefined;
      let failure: InvoiceXpressError | undefined;
      let text: string | undefined;
      let cut = false;
      try {
        // With openapi-fetch's `redirect: "follow"`, sent as "manual": a redirect to the same origin is followed here
        // with the key re-added (an `api_key` in `Location` dropped); any other (another host, port or scheme, or a
        // browser's opaque redirect) is a `redirect` error showing the redacted `Location`, and nothing is sent there.
        let [url, method, body, headers] = [withKey(rawUrl), method0, body0, headers0];
        for (let hops = 0; ; hops++) {
          response = await send(url, {
            ...{ credentials, cache, keepalive, mode, referrerPolicy, integrity, method, headers, body, signal },
            redirect: redirect === "follow" ? "manual" : redirect,
          });
          const { status: s, type } = response;
          const location = response.headers.get("location");
          if (
            redirect !== "follow" ||
            (type !== "opaqueredirect" && (location === null || !/^30[12378]$/.test(`${s}`)))
          )
            break;
          await response.body?.cancel().catch(() => undefined);
          const next = URL.canParse(location ?? "", url) ? new URL(location ?? "", url) : undefined;
          if (next?.origin !== new URL(url).origin || hops >= 5) {
            const why =
              next?.origin === new URL(url).origin
                ? "more than 5 redirects"
                : "a redirect to another origin, not followed";
            failure = failed(
              `${why} (Location: ${location === null ? "hidden by the runtime" : redactor.text(location)})`,
              "redirect",
              s || undefined,
            );
            break;
          }
          next.searchParams.delete("api_key");
          url = withKey(next.href);
          if (s === 303 || (s < 303 && method === "POST")) {
            [method, body, headers] = [method === "HEAD" ? "HEAD" : "GET", undefined, new Headers(headers)];
            headers.delete("content-type");
          }
        }
        if (!failure && response.ok) {
          emit("response", { status: response.status, durationMs: took() });
          const { status } = response;
          call.fail = (error) =>
            error instanceof InvoiceXpressError
              ? error
              : error instanceof SyntaxError
                ? failed("the body is not valid JSON (not shown: it could hold a secret)", "parse", status)
                : signal?.aborted || error instanceof TypeError
                  ? failed(error)
                  : error;
          // openapi-fetch reads the body before the wrapper calls `end`; a stream ends the deadline when it ends.
          const body = status === 204 || status === 205 ? null : response.body;
          call.end = end;
          if (!body) end();
          return hand(response, body && call.stream && timer ? watch(body, end) : body, info(), where);
        }
        if (!failure && response.status !== 304) {
          ({ raw: text, cut } = await readCapped(response, ERROR_BODY_LIMIT));
          // Redacted as text, and (a key the server wrote `\u`-escaped) as values once parsed.
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
      let note: string | undefined;
      if (
        retry &&
        attempt < retry.attempts &&
        (failure ? /^(network|timeout)$/.test(failure.kind) && retried(0) : retried(status))
      ) {
        const exp = Math.min(retry.maxDelayMs, maxWait, retry.baseDelayMs * 2 ** (attempt - 1));
        const asked = retryAfterMs(response?.headers.get("retry-after"));
        const delay = asked ?? exp / 2 + (Math.random() * exp) / 2;
        const left = retry.maxElapsedMs - (performance.now() - started);
        if (delay <= maxWait && delay <= left) {
          emit("retry", { status: status || undefined, delayMs: Math.round(delay) });
          await sleep(delay, outer, method0, where().url);
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
      return hand(response!, text ?? null, info(note), where);
    }
  };
}

/** `body`, read only when the caller reads (nothing ahead), calling `end` once it ends, is cancelled or fails. */
function watch(body: ReadableStream<Uint8Array>, end: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream(
    {
      async pull(out) {
        try {
          const next = await reader.read();
          if (!next.done) return out.enqueue(next.value);
          out.close();
        } catch (error) {
          out.error(error);
        }
        end();
      },
      cancel(reason) {
        end();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A plain `Response` with the body given (a success's stream, never read here, or an error's redacted text), redacted
 * `headers` and `url`, and its info in {@link responseInfo}.
 */
function hand(
  response: Response,
  body: ReadableStream | string | null,
  info: ResponseInfo,
  where: () => { url: string },
) {
  const headers = redactHeaders(response.headers, info.redactor);
  const out = new Response(body, { status: response.status, statusText: response.statusText, headers });
  if (typeof body === "string") out.headers.delete("content-length"); // the redacted body may be shorter
  Object.defineProperty(out, "url", { get: () => where().url });
  responseInfo.set(out, info);
  return out;
}
