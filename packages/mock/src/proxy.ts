/**
 * The validating proxy: forwards every request to a real account, checks request and response
 * against the description, and reports each violation (a log line and a JSON report file),
 * with the API key and the `x-sensitive` fields redacted everywhere.
 */
import { writeFileSync } from "node:fs";
import type http from "node:http";
import { type OpenAPIDocument, REDACTED, Refusal, sensitiveFields } from "@ixpress/openapi";
import type { SpecValidator } from "@ixpress/openapi/validate";

export interface Violation {
  at: string;
  /** `upstream`: the account did not answer (unreachable, reset, timed out); the caller got a 502 or 504. */
  side: "request" | "response" | "upstream";
  method: string;
  path: string;
  status?: number;
  where: string;
  message: string;
}

export interface Proxy {
  violations: Violation[];
  forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    request: { method: string; path: string; body: Buffer; validator: SpecValidator },
  ): Promise<void>;
}

const HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
  "content-encoding",
  "proxy-connection",
  "te",
  "trailer",
]);

/** A query key as the server reads it; a malformed escape is kept as written (never throws). */
function queryKey(raw: string): string {
  const spaced = raw.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

export function redactPath(path: string, sensitive: Set<string>): string {
  return path.replace(/([?&])([^=&#\s?]*)=([^&#\s]*)/g, (all, sep: string, key: string) =>
    sensitive.has(queryKey(key)) ? `${sep}${key}=${REDACTED}` : all,
  );
}

export function createProxy(options: {
  upstream: string;
  spec: OpenAPIDocument;
  reportFile?: string;
  timeoutMs?: number;
  log(line: string): void;
  /** Called for each upstream failure (the front answered 502 or 504). */
  onUpstreamFailure?(error: Error): void;
}): Proxy {
  const upstream = new URL(options.upstream);
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(upstream.hostname);
  if (upstream.protocol !== "https:" && !(upstream.protocol === "http:" && loopback)) {
    throw new Error(`proxy: the upstream must be https:// (http:// only for 127.0.0.1), got ${options.upstream}`);
  }
  const sensitive = new Set(sensitiveFields(options.spec));
  const violations: Violation[] = [];
  const secrets = new Set<string>();
  const scrub = (text: string) => {
    let out = text;
    for (const s of secrets) if (s.length >= 4) out = out.split(s).join(REDACTED);
    return out;
  };
  const record = (v: Violation) => {
    const last =
      v.where
        .split(/[.[\]]/)
        .filter(Boolean)
        .pop() ?? "";
    if (sensitive.has(last)) v.message = v.message.replace(/, got .*$/s, `, got ${REDACTED}`);
    violations.push(v);
    options.log(
      scrub(
        `ixpress-mock proxy: ${v.side} ${v.method} ${v.path}${v.status ? ` -> ${v.status}` : ""}: ${v.where}: ${v.message}`,
      ),
    );
    if (options.reportFile)
      writeFileSync(
        options.reportFile,
        `${scrub(JSON.stringify({ upstream: upstream.origin, violations }, null, 2))}\n`,
      );
  };
  return {
    violations,
    async forward(req, res, { method, path, body, validator }) {
      const key = new URLSearchParams(path.split("?")[1] ?? "").get("api_key");
      if (key) secrets.add(key);
      const shownPath = redactPath(path, sensitive);
      let parsed: unknown;
      if (body.length > 0) {
        try {
          parsed = JSON.parse(body.toString("utf8"));
        } catch {
          parsed = body.toString("utf8");
        }
      }
      const at = new Date().toISOString();
      const checked = validator.validateRequest({ method, path, body: parsed });
      for (const issue of checked.issues) {
        record({
          at,
          side: "request",
          method: method.toUpperCase(),
          path: shownPath,
          where: issue.at,
          message: issue.message,
        });
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && !HOP.has(k)) headers[k] = v;
      const target = new URL(path, upstream);
      const timeoutMs = options.timeoutMs ?? 60_000;
      /** The account did not answer: 504 when it timed out, 502 when it could not be reached or reset; recorded. */
      const failed = (err: unknown): never => {
        const timedOut = (err as Error)?.name === "TimeoutError" || (err as Error)?.name === "AbortError";
        const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
        const reason = timedOut
          ? `no answer within ${timeoutMs} ms`
          : (cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err));
        const message = scrub(
          `${upstream.origin} ${timedOut ? "did not answer in time" : "could not be reached"} (${reason})`,
        );
        record({ at, side: "upstream", method: method.toUpperCase(), path: shownPath, where: "upstream", message });
        options.onUpstreamFailure?.(new Error(`proxy: ${method.toUpperCase()} ${shownPath}: ${message}`));
        throw new Refusal(timedOut ? 504 : 502, `ixpress mock proxy: ${message}`);
      };
      const answer = await fetch(target, {
        method: method.toUpperCase(),
        headers,
        ...(body.length > 0 && method !== "get" && method !== "head" ? { body: new Uint8Array(body) } : {}),
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      }).catch(failed);
      const bytes = Buffer.from(await answer.arrayBuffer().catch(failed));
      let responseBody: unknown;
      const type = answer.headers.get("content-type") ?? "";
      if (bytes.length > 0 && /json/.test(type)) {
        try {
          responseBody = JSON.parse(bytes.toString("utf8"));
        } catch {
          responseBody = bytes.toString("utf8");
        }
      }
      if (method !== "head") {
        const checkedResponse = validator.validateResponse({ method, path, status: answer.status, body: responseBody });
        for (const issue of checkedResponse.issues) {
          record({
            at,
            side: "response",
            method: method.toUpperCase(),
            path: shownPath,
            status: answer.status,
            where: issue.at,
            message: issue.message,
          });
        }
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!HOP.has(name)) out[name] = value;
      });
      out["content-length"] = String(bytes.length);
      res.writeHead(answer.status, out);
      res.end(method === "head" ? undefined : bytes);
    },
  };
}
