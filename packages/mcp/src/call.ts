import { createHash } from "node:crypto";
import { type InvoiceXpressClient, InvoiceXpressError, poll, type Redactor, unwrap } from "@ixpress/client";
import type { SpecValidator } from "@ixpress/openapi/validate";
import type { ToolDefinition } from "./tools.js";

type Json = Record<string, unknown>;

/** What a tool call answers (an MCP `CallToolResult`). */
export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: "text"; text: string }>;
  structuredContent?: Json;
  isError?: boolean;
}

export interface CallContext {
  client: InvoiceXpressClient;
  validator: SpecValidator;
  redactor: Redactor;
  /** Polling of 202 answers (PDF, QR code, SAF-T): wait between attempts and most attempts. */
  poll: { intervalMs: number; maxAttempts: number };
  signal?: AbortSignal;
}

const ARGUMENTS = ["path", "query", "body"];

/**
 * The most the server reads of one call's arguments. A real document is far below (an invoice
 * of a thousand lines nests 5 deep and holds some 60 000 characters); hostile sizes are refused
 * before the validators, whose work grows faster than the input for long query lists.
 */
export const ARGUMENT_LIMITS = { depth: 32, values: 100_000, characters: 2_000_000, queryList: 100 } as const;

/** Walks the arguments without recursion and names the first limit they pass, if any. */
function oversize(args: unknown): { at: string; message: string } | undefined {
  const stack: Array<[unknown, string, number]> = [[args, "arguments", 0]];
  let values = 0;
  let characters = 0;
  while (stack.length > 0) {
    const [value, at, depth] = stack.pop()!;
    values += 1;
    if (values > ARGUMENT_LIMITS.values)
      return { at: "arguments", message: `hold more than ${ARGUMENT_LIMITS.values} values` };
    if (typeof value === "string") {
      characters += value.length;
      if (characters > ARGUMENT_LIMITS.characters)
        return { at, message: `the arguments hold more than ${ARGUMENT_LIMITS.characters} characters` };
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= ARGUMENT_LIMITS.depth) return { at, message: `nests deeper than ${ARGUMENT_LIMITS.depth} levels` };
    if (Array.isArray(value)) {
      if (at.startsWith("query.") && value.length > ARGUMENT_LIMITS.queryList)
        return { at, message: `lists more than ${ARGUMENT_LIMITS.queryList} values` };
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${at}[${i}]`, depth + 1]);
    } else {
      for (const [key, child] of Object.entries(value)) {
        characters += key.length;
        stack.push([child, at === "arguments" ? key : `${at}.${key}`, depth + 1]);
      }
    }
  }
  return undefined;
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** JSON with object keys sorted, so the same arguments always read the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * The `proprietary_uid` of a creation, made from the tool and its arguments: a retried tool call
 * (the agent timed out, the client restarted) carries the same one, so the server refuses the
 * repeat instead of making a second document.
 */
export function proprietaryUid(tool: string, args: Json): string {
  return `ixpress-mcp-${createHash("sha256")
    .update(`${tool}\n${canonical(args)}`)
    .digest("hex")
    .slice(0, 40)}`;
}

function text(value: string, structured?: Json, isError = false): ToolResult {
  return {
    content: [{ type: "text", text: value }],
    ...(structured ? { structuredContent: structured } : {}),
    ...(isError ? { isError: true } : {}),
  };
}

/**
 * A tool error that names each problem, `<where>: <what>`, and says that nothing was sent. The
 * validators quote a bad value (cut at 60 characters): a cut value loses the tail that could
 * hold the start of the key, then everything is redacted.
 */
function invalid(tool: string, found: Array<{ at: string; message: string }>, redactor: Redactor): ToolResult {
  const issues = redactor.value(
    found.map(({ at, message }) => ({
      at,
      message: message.replace(/(got ")(.*)(…")$/, (_, open: string, value: string, close: string) => {
        return `${open}${redactor.cut ? redactor.cut(value) : ""}${close}`;
      }),
    })),
  );
  return text(
    `Invalid arguments for ${tool}; nothing was sent.\n${issues.map((i) => `- ${i.at}: ${i.message}`).join("\n")}`,
    { error: { kind: "invalid_arguments", issues } },
    true,
  );
}

/** Checks the arguments' shape and fills the path template; returns the issues found. */
function readArguments(tool: ToolDefinition, args: unknown) {
  const issues: Array<{ at: string; message: string }> = [];
  const a = args === undefined || args === null ? {} : args;
  if (!isObject(a)) return { issues: [{ at: "arguments", message: "must be an object { path, query, body }" }] };
  const tooLarge = oversize(a);
  if (tooLarge) return { issues: [{ ...tooLarge, message: `${tooLarge.message}: too large to be a request` }] };
  for (const key of Object.keys(a)) {
    if (!ARGUMENTS.includes(key))
      issues.push({ at: key, message: `is not an argument of ${tool.name}: arguments are { path, query, body }` });
  }
  for (const key of ARGUMENTS) {
    if (a[key] !== undefined && a[key] !== null && !isObject(a[key]))
      issues.push({ at: key, message: "must be an object" });
  }
  const path = (isObject(a.path) ? a.path : {}) as Json;
  const query = isObject(a.query) ? a.query : undefined;
  const body = a.body ?? undefined;
  if (tool.body === "none" && body !== undefined) issues.push({ at: "body", message: `${tool.name} takes no body` });
  if (tool.body === "required" && body === undefined) issues.push({ at: "body", message: "is required" });
  let concrete = tool.path;
  for (const name of tool.pathParams) {
    const value = path[name];
    if (value === undefined || value === null || value === "") {
      issues.push({ at: `path.${name}`, message: "is required" });
      continue;
    }
    if (typeof value !== "string" && typeof value !== "number") {
      issues.push({ at: `path.${name}`, message: "must be a number or a string" });
      continue;
    }
    concrete = concrete.replace(`{${name}}`, encodeURIComponent(String(value)));
  }
  for (const name of Object.keys(path)) {
    if (!tool.pathParams.includes(name))
      issues.push({
        at: `path.${name}`,
        message: `is not a path parameter of ${tool.name}${tool.pathParams.length ? ` (${tool.pathParams.join(", ")})` : ""}`,
      });
  }
  return { issues, path, query, body, concrete };
}

function describeError(tool: ToolDefinition, error: InvoiceXpressError, body: unknown): string {
  let line = error.toString();
  if (error.status === 409 && tool.takesUid && isObject(body) && typeof body.proprietary_uid === "string") {
    line += `\nThis creation carried proprietary_uid "${body.proprietary_uid}", made from the arguments: the same call was made before, so no second document was created. Look the first one up (a list tool) before trying again; to create an identical document on purpose, pass another body.proprietary_uid.`;
  }
  return line;
}

/** Runs a tool: checks the arguments with the project's validators, then calls the API through the client. */
export async function callTool(tool: ToolDefinition, args: unknown, ctx: CallContext): Promise<ToolResult> {
  const read = readArguments(tool, args);
  if (read.issues.length > 0) return invalid(tool.name, read.issues, ctx.redactor);
  const { path, query, concrete } = read as Required<typeof read>;
  let body = read.body;
  const checked = ctx.validator.validateRequest(
    { method: tool.method, path: concrete, query: query as never, body },
    { strict: true },
  );
  // What the server would silently ignore (a misspelt field, a parameter it does not take) is
  // refused too: an agent never means to send it. Coercions it accepts (numbers as strings) pass.
  const ignored = (checked.warnings ?? [])
    .filter((w) => /ignores it/.test(w.message))
    .map((w) => ({ at: w.at, message: w.message }));
  if (!checked.valid || ignored.length > 0) return invalid(tool.name, [...checked.issues, ...ignored], ctx.redactor);
  if (tool.takesUid && isObject(body) && (body.proprietary_uid === undefined || body.proprietary_uid === null)) {
    body = { ...body, proprietary_uid: proprietaryUid(tool.name, { path, query, body }) };
  }
  const init = {
    params: { path, ...(query ? { query } : {}) },
    ...(body !== undefined ? { body } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  const request = () =>
    ctx.client.request(tool.method.toUpperCase() as never, tool.path as never, init as never) as Promise<{
      data?: unknown;
      error?: unknown;
      response: Response;
    }>;
  let attempts = 1;
  try {
    const result = tool.polls
      ? await poll(
          (attempt) => {
            attempts = attempt;
            return request();
          },
          { ...ctx.poll, ...(ctx.signal ? { signal: ctx.signal } : {}) },
        )
      : await request();
    const data = ctx.redactor.value(unwrap(result as never) as unknown);
    const status = result.response.status;
    const notes = attempts > 1 ? [`(ready after ${attempts} attempts)`] : [];
    if (data === undefined || data === null || data === "") {
      return text([`Done (${status}).`, ...notes].join("\n"), { status });
    }
    const structured = isObject(data) ? data : { data };
    return text([JSON.stringify(data), ...notes].join("\n"), structured);
  } catch (error) {
    if (error instanceof InvoiceXpressError) {
      if (tool.polls && error.kind === "timeout" && error.status === 202) {
        return text(`Still being generated after ${attempts} attempts: call ${tool.name} again in a few seconds.`, {
          status: 202,
          pending: true,
        });
      }
      return text(
        ctx.redactor.text(describeError(tool, error, body)),
        { error: ctx.redactor.value(error.toJSON()) },
        true,
      );
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return text(ctx.redactor.text(`${tool.name} failed: ${message}`), { error: { kind: "internal" } }, true);
  }
}
