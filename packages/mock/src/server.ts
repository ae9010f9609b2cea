/**
 * The mock's HTTP front: one node:http server, in the caller's process, around Prism's engine.
 * Every request is normalised and checked here (Host, Origin, path, content type, JSON, Prefer,
 * the description's rules) and refused in the API's own error shape; only accepted requests
 * reach Prism, which picks the response. No exception escapes a handler.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import {
  errorBody,
  type Finding,
  HTTP_METHODS,
  type OpenAPIDocument,
  placeOf,
  plainMessage,
  Refusal,
  sensitiveFields,
} from "@ixpress/openapi";
import type { SpecValidator } from "@ixpress/openapi/validate";
import { answerKey, type Engine, type MockConfig } from "./engine.js";
import { asciiJson, violationsHeader } from "./messages.js";
import { redactPath, type Proxy as ValidatingProxy } from "./proxy.js";
import type { Sandbox, SandboxAnswer } from "./sandbox/index.js";

/** The control endpoints' own OpenAPI description, served at /__sandbox/openapi.json. */
export const controlSpecPath = new URL("../control-openapi.json", import.meta.url);
let controlSpec: Buffer | undefined;

type Json = Record<string, unknown>;

export interface FrontOptions {
  engine: Engine;
  validator: SpecValidator;
  spec: OpenAPIDocument;
  strict: boolean;
  dynamic: boolean;
  seed?: number;
  /** The host the server is bound to, accepted in `Host` besides the loopback names. */
  host: string;
  proxy?: ValidatingProxy;
  /** The stateful sandbox: answers the operations it models after validation, instead of Prism. */
  sandbox?: Sandbox;
  onInternalError(error: unknown, where: string): void;
  /** How long an idle keep-alive connection is kept (tests shorten it). Default {@link KEEP_ALIVE_MS}. */
  keepAliveMs?: number;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
const MAX_BODY = 10 * 1024 * 1024;
const MAX_DEPTH = 64;
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const CONTENT_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"\\\\]*"))*\\s*;?\\s*$`);
/** Our keep-alive promise: Node sends `Keep-Alive: timeout=5` from this very setting. */
export const KEEP_ALIVE_MS = 5_000;

function hostName(value: string): string {
  const v = value.trim().toLowerCase();
  if (v.startsWith("[")) return v.slice(0, v.indexOf("]") + 1);
  return v.replace(/:\d*$/, "");
}

function loopbackOrigin(origin: string, host: string): boolean {
  try {
    const u = new URL(origin);
    return (u.protocol === "http:" || u.protocol === "https:") && (LOOPBACK.has(u.hostname) || u.hostname === host);
  } catch {
    return false;
  }
}

function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > MAX_DEPTH) return max;
    if (v !== null && typeof v === "object") for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** `Prefer: code=404, example=name, dynamic=true, seed=1`; unknown preferences are ignored (RFC 7240). */
function parsePrefer(raw: string | undefined): MockConfig {
  const out: MockConfig = {};
  if (raw === undefined || raw.trim() === "") return out;
  for (const part of raw.split(/[,;]/)) {
    const item = part.trim();
    if (item === "") continue;
    const eq = item.indexOf("=");
    const key = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    const value =
      eq < 0
        ? ""
        : item
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, "$1");
    if (key === "code") {
      if (!/^[1-5]\d\d$/.test(value))
        throw new Refusal(400, [`Prefer: code must be an HTTP status such as 404, got ${JSON.stringify(value)}`]);
      out.code = Number(value);
    } else if (key === "example") {
      if (value === "") throw new Refusal(400, ["Prefer: example needs the name of an example"]);
      out.exampleKey = value;
    } else if (key === "dynamic") {
      if (value !== "true" && value !== "false")
        throw new Refusal(400, [`Prefer: dynamic must be true or false, got ${JSON.stringify(value)}`]);
      out.dynamic = value === "true";
    } else if (key === "seed") {
      if (!/^\d{1,15}$/.test(value))
        throw new Refusal(400, [`Prefer: seed must be a whole number, got ${JSON.stringify(value)}`]);
      out.seed = Number(value);
    }
  }
  return out;
}

/**
 * The body of a control request, parsed. `PUT`/`POST /__sandbox/state` take the account as a
 * JSON object and nothing else: never a path (a seed file is read only from the option or the
 * flag of whoever starts the mock), so no body can make the mock read or probe a file. The
 * refusal names the JSON type received, never anything of the disk.
 */
function controlBody(method: string, pathname: string, bytes: Buffer): unknown {
  if (bytes.length === 0) {
    if (pathname === "/__sandbox/state" && (method === "put" || method === "post"))
      throw new Refusal(400, [`${STATE_EXPECTED}; the body is empty`]);
    return undefined;
  }
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw new Refusal(400, [`the body is not valid JSON (${(err as Error).message})`]);
  }
  if (depthOf(body) > MAX_DEPTH) throw new Refusal(400, [`the body is nested more than ${MAX_DEPTH} levels deep`]);
  if (pathname === "/__sandbox/state" && (method === "put" || method === "post")) {
    const kind =
      body === null ? "null" : Array.isArray(body) ? "an array" : typeof body === "object" ? "" : `a ${typeof body}`;
    if (kind !== "") throw new Refusal(400, [`${STATE_EXPECTED}; got ${kind}`]);
  }
  return body;
}

const STATE_EXPECTED =
  "PUT /__sandbox/state takes the account as a JSON object (a dump from GET /__sandbox/state, or a part of one)";

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Refusal(413, [`the body is larger than ${MAX_BODY} bytes`]));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

function safeHeaderValue(value: string): string {
  return /^[\x20-\x7e\t]*$/.test(value) ? value : asciiJson(value).slice(1, -1);
}

export function createFront(options: FrontOptions): http.Server {
  const { spec, validator } = options;
  const sensitive = new Set(sensitiveFields(spec));
  /** The request's path as it may be logged: the API key and `x-sensitive` values redacted. */
  const shownUrl = (url: string | undefined) => redactPath(url ?? "", sensitive);
  const security = (operation: Json) => (operation.security ?? spec.security ?? []) as unknown[];

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const host = req.headers.host;
    if (host !== undefined && !LOOPBACK.has(hostName(host)) && hostName(host) !== options.host) {
      throw new Refusal(403, [
        `this mock answers loopback names only (127.0.0.1, localhost, [::1]), not Host ${JSON.stringify(host)}`,
      ]);
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!loopbackOrigin(origin, options.host)) {
        throw new Refusal(403, [`this mock answers pages of this machine only, not Origin ${JSON.stringify(origin)}`]);
      }
      res.setHeader("access-control-allow-origin", origin);
      res.setHeader("access-control-allow-credentials", "true");
      res.setHeader("access-control-expose-headers", "sl-violations, content-disposition, x-ixpress-sandbox");
      res.setHeader("vary", "Origin");
      if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
        res.setHeader("access-control-allow-methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
        res.setHeader(
          "access-control-allow-headers",
          safeHeaderValue(req.headers["access-control-request-headers"] ?? "*"),
        );
        res.setHeader("access-control-max-age", "600");
        res.writeHead(204, { "content-length": "0" });
        res.end();
        req.resume();
        return;
      }
    }
    const raw = req.url ?? "/";
    if (!raw.startsWith("/"))
      throw new Refusal(400, [`the request target must be a path, got ${JSON.stringify(raw.slice(0, 80))}`]);
    // The URL parser resolves `..`, `%2e%2e` and backslashes; double slashes collapse. All checks see this path.
    const url = new URL(raw.replace(/^\/+/, "/"), "http://mock.invalid");
    const pathname = url.pathname.replace(/\/{2,}/g, "/");
    const search = url.search;
    const requestMethod = (req.method ?? "GET").toLowerCase();
    const head = requestMethod === "head";
    const method = head ? "get" : requestMethod;
    const bodyBytes = await readBody(req);

    if (options.proxy) {
      await options.proxy.forward(req, res, {
        method: requestMethod,
        path: pathname + search,
        body: bodyBytes,
        validator,
      });
      return;
    }

    if (pathname === "/__sandbox" || pathname.startsWith("/__sandbox/")) {
      if (!options.sandbox) {
        throw new Refusal(404, [
          `${pathname}: the sandbox is off; start the mock with --stateful (startMock({ stateful: true }))`,
        ]);
      }
      if (pathname === "/__sandbox/openapi.json" && method === "get") {
        controlSpec ??= readFileSync(controlSpecPath);
        const headers = { "content-type": "application/json; charset=utf-8", "x-ixpress-sandbox": "control" };
        send(res, 200, headers, controlSpec, head);
        return;
      }
      sendSandbox(
        res,
        options.sandbox.control(method, pathname, controlBody(method, pathname, bodyBytes)),
        "control",
        head,
      );
      return;
    }

    const found = validator.findOperation(method, pathname);
    if (!found) {
      const allowed = HTTP_METHODS.filter((m) => validator.findOperation(m, pathname)).map((m) => m.toUpperCase());
      if (allowed.includes("GET")) allowed.push("HEAD");
      if (allowed.length > 0) {
        throw new Refusal(
          405,
          `${pathname} does not take ${requestMethod.toUpperCase()} (it takes ${allowed.join(", ")})`,
          {
            headers: { allow: allowed.join(", ") },
          },
        );
      }
      const hint =
        !pathname.endsWith(".json") && HTTP_METHODS.some((m) => validator.findOperation(m, `${pathname}.json`))
          ? ` (paths end in .json: did you mean ${pathname}.json?)`
          : "";
      throw new Refusal(404, [`no such path: ${pathname}${hint}`]);
    }
    const operation = found.route.operation as Json;
    const params = new URLSearchParams(search);
    if (security(operation).length > 0 && !params.get("api_key")) {
      throw new Refusal(401, "Invalid API key", { operation });
    }
    const prefer = parsePrefer(typeof req.headers.prefer === "string" ? req.headers.prefer : undefined);
    const strict =
      options.strict || req.headers["x-ixpress-strict"] === "1" || req.headers["x-ixpress-strict"] === "true";

    let body: unknown;
    const requestBody = operation.requestBody as Json | undefined;
    if (bodyBytes.length > 0 && requestBody) {
      const type = req.headers["content-type"];
      if (type === undefined || !CONTENT_TYPE.test(type)) {
        throw new Refusal(
          400,
          `Content-Type must be a media type such as application/json, got ${JSON.stringify(type ?? "")}`,
          { operation },
        );
      }
      const media = type.split(";")[0]!.trim().toLowerCase();
      if (media !== "application/json" && !/^application\/[^/]+\+json$/.test(media)) {
        throw new Refusal(415, `the body must be sent as application/json, got ${JSON.stringify(media)}`, {
          operation,
        });
      }
      try {
        body = JSON.parse(bodyBytes.toString("utf8"));
      } catch (err) {
        throw new Refusal(400, `the body is not valid JSON (${(err as Error).message})`, { operation });
      }
      if (depthOf(body) > MAX_DEPTH)
        throw new Refusal(400, `the body is nested more than ${MAX_DEPTH} levels deep`, { operation });
    }

    const result = validator.validateRequest({ method, path: pathname + search, body });
    const query = new Map<string, string | string[]>();
    for (const [k, v] of params) {
      const prev = query.get(k);
      query.set(k, prev === undefined ? v : ([] as string[]).concat(prev, v));
    }
    const issues: Finding[] = [...result.issues];
    const messages = result.issues.map(plainMessage);
    if (strict) {
      // The validators' strict mode: unknown keys and query parameters (with a "did you mean")
      // and non-canonical forms, which the live server would ignore or coerce, are refused here.
      // A finding at a place that already has a message takes its place (one line per place).
      const byPlace = new Map<string, number>();
      messages.forEach((_, i) => {
        const place = placeOf(result.issues[i]!.at);
        if (!byPlace.has(place)) byPlace.set(place, i);
      });
      for (const finding of validator.strictFindings({ method, path: pathname + search, body })) {
        const place = placeOf(finding.at);
        const same = finding.at.startsWith("query.") ? undefined : byPlace.get(place);
        if (same !== undefined) {
          messages[same] = plainMessage(finding);
          continue;
        }
        issues.push(finding);
        messages.push(plainMessage(finding));
      }
    }
    if (issues.length > 0) throw new Refusal(422, messages, { operation, findings: issues });

    if (options.sandbox) {
      // A request that asks Prism for a scenario (a status or a named example) gets it, stateless.
      const asked = prefer.code !== undefined || prefer.exampleKey !== undefined;
      const answer = asked
        ? undefined
        : options.sandbox.handle({
            method,
            operationId: String(operation.operationId ?? ""),
            params: found.params,
            query: params,
            body,
            origin: `http://${req.headers.host ?? `${options.host}:${String((req.socket.address() as { port?: number }).port ?? "")}`}`,
          });
      if (answer) {
        sendSandbox(res, answer, "stateful", head);
        return;
      }
      res.setHeader("x-ixpress-sandbox", asked ? "stateless-prefer" : "stateless-fallback");
    }

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    const query4prism: Record<string, string | string[]> = {};
    for (const [k, v] of query) query4prism[k] = v;
    const mockConfig: MockConfig = {
      ...prefer,
      ...(options.seed !== undefined && prefer.seed === undefined ? { seed: options.seed } : {}),
    };
    // Served from examples, an answer depends only on the operation, Prefer and Accept: asked of Prism once.
    const dynamic = prefer.dynamic ?? options.dynamic;
    const key = dynamic
      ? undefined
      : answerKey(method, found.route.template, prefer.code, prefer.exampleKey, headers.accept);
    const answer = await withTimeout(
      options.engine.respond(
        { method, url: { path: pathname, query: query4prism }, headers, ...(body !== undefined ? { body } : {}) },
        mockConfig,
        key,
      ),
      10_000,
      "Prism did not produce a response within 10 s",
    );
    if (!answer.ok) {
      const status = answer.error.status ?? prismStatus(`${answer.error.name ?? ""} ${answer.error.message ?? ""}`);
      if (status >= 500)
        throw new Error(
          `Prism failed: ${answer.error.name ?? ""} ${answer.error.detail ?? answer.error.message ?? ""}`,
        );
      const problem = {
        type: answer.error.name,
        title: answer.error.message,
        status,
        detail: answer.error.detail ?? answer.error.message,
      };
      send(res, status, { "content-type": "application/problem+json" }, asciiJson(problem), head);
      return;
    }
    const out = answer.output;
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(out.headers ?? {})) {
      outHeaders[k.toLowerCase()] = safeHeaderValue(Array.isArray(v) ? v.join(", ") : String(v));
    }
    let payload: string | Buffer = "";
    if (out.body !== undefined && out.body !== null && out.body !== "") {
      if (Buffer.isBuffer(out.body)) payload = out.body;
      else if (typeof out.body === "string" && !/json/.test(outHeaders["content-type"] ?? "")) payload = out.body;
      else payload = JSON.stringify(out.body);
    } else if (out.body === null && /json/.test(outHeaders["content-type"] ?? "")) {
      payload = "null";
    }
    send(res, out.statusCode, outHeaders, payload, head);
  }

  function refuse(res: http.ServerResponse, refusal: Refusal, head: boolean): void {
    const body = refusal.body(spec);
    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", ...refusal.headers };
    if (refusal.findings.length > 0) headers["sl-violations"] = violationsHeader(refusal.findings);
    send(res, refusal.status, headers, JSON.stringify(body), head);
  }

  const server = http.createServer((req, res) => {
    const head = req.method === "HEAD";
    handle(req, res).catch((err: unknown) => {
      try {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (err instanceof Refusal) {
          if (err.status === 413) res.setHeader("connection", "close");
          refuse(res, err, head);
          if (!req.complete) req.resume();
          return;
        }
        options.onInternalError(err, `${req.method} ${shownUrl(req.url)}`);
        send(
          res,
          500,
          { "content-type": "application/json; charset=utf-8" },
          asciiJson(errorBody(`ixpress mock internal error: ${shownUrl((err as Error)?.message ?? String(err))}`)),
          head,
        );
      } catch (again) {
        options.onInternalError(again, `${req.method} ${shownUrl(req.url)} (while answering)`);
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = options.keepAliveMs ?? KEEP_ALIVE_MS;
  keepIdleConnectionsUntilRead(server);
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.destroy();
  });
  return server;
}

/**
 * Node closes a keep-alive connection when its idle timer fires. After the event loop was busy
 * for longer than the keep-alive timeout, that timer fires before the loop reads the requests
 * that arrived meanwhile, and they are reset. With a `timeout` listener Node leaves the decision
 * to us: the connection is closed only after the loop had one more turn to read from it, and only
 * when nothing arrived and no request is in flight on it.
 */
function keepIdleConnectionsUntilRead(server: http.Server): void {
  const busy = new WeakMap<net.Socket, number>();
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    res.once("close", () => busy.set(socket, (busy.get(socket) ?? 1) - 1));
  });
  server.on("timeout", (socket: net.Socket) => {
    const read = socket.bytesRead;
    setImmediate(() => {
      if (socket.destroyed || socket.bytesRead !== read || (busy.get(socket) ?? 0) > 0) return;
      socket.destroy();
    });
  });
}

/** A sandbox answer: JSON, a file, or an empty body; `x-ixpress-sandbox` says where it came from. */
function sendSandbox(res: http.ServerResponse, answer: SandboxAnswer, source: string, head: boolean): void {
  const headers: Record<string, string> = { "x-ixpress-sandbox": source };
  let payload: string | Buffer = "";
  if (answer.file) {
    headers["content-type"] = answer.file.contentType;
    payload = answer.file.bytes;
  } else if (answer.body !== undefined) {
    headers["content-type"] = "application/json; charset=utf-8";
    payload = JSON.stringify(answer.body);
  }
  send(res, answer.status, headers, payload, head);
}

/** Prism's refusals of what was asked (an unknown example or status), by name, when it gives no status. */
function prismStatus(name: string | undefined): number {
  const kind = /#([A-Z_]+)/.exec(name ?? "")?.[1] ?? "";
  if (/NOT_FOUND|NO_PATH_MATCHED|NO_SERVER_MATCHED/.test(kind)) return 404;
  if (/NO_METHOD_MATCHED/.test(kind)) return 405;
  if (/NOT_ACCEPTABLE/.test(kind)) return 406;
  if (/INVALID_CONTENT_TYPE/.test(kind)) return 415;
  if (/UNPROCESSABLE_ENTITY|UNPROCESSABLE/.test(kind)) return 422;
  if (/UNAUTHORIZED/.test(kind)) return 401;
  return 500;
}

function send(
  res: http.ServerResponse,
  status: number,
  headers: Record<string, string>,
  payload: string | Buffer,
  head: boolean,
) {
  const bytes = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  res.writeHead(status, { ...headers, "content-length": String(bytes.length) });
  res.end(head ? undefined : bytes);
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
