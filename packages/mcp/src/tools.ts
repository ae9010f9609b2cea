import { PROPRIETARY_UID_PATHS, ROOT_ALIASES } from "@ixpress/client";
import {
  deref,
  type HttpMethod,
  listOperations,
  loadSpec,
  type OpenAPIDocument,
  operationParameters,
} from "@ixpress/openapi";
import { compactSchema, trimDescription } from "./schema.js";

type Json = Record<string, unknown>;

/** The hints a tool carries (MCP `ToolAnnotations`). */
export interface ToolHints {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** One operation of the description as an MCP tool, with what is needed to call it. */
export interface ToolDefinition {
  /** The operation's `operationId`. */
  name: string;
  description: string;
  inputSchema: { type: "object"; properties: Json; required?: string[]; additionalProperties: false };
  annotations: ToolHints;
  method: HttpMethod;
  /** The path template, e.g. `/invoices/{document-id}.json`. */
  path: string;
  tags: string[];
  pathParams: string[];
  /** Whether the operation takes a body, and whether it must have one. */
  body: "none" | "optional" | "required";
  /** A document creation that takes `proprietary_uid`: the server fills it from the arguments. */
  takesUid: boolean;
  /** Answers 202 while a file is generated (PDF, QR code, SAF-T): the server polls. */
  polls: boolean;
}

/** Irreversible: deletions, every state change (finalize, cancel, settle, delete), registering a series with the AT. */
function isDestructive(method: HttpMethod, path: string, operationId: string): boolean {
  return method === "delete" || /\/change-state\.json$/.test(path) || operationId === "registerSequence";
}

/** Same arguments, same effect: reads, deletions, updates in place; creations that carry `proprietary_uid`. */
function isIdempotent(method: HttpMethod, path: string, takesUid: boolean): boolean {
  if (method === "get" || method === "delete") return true;
  if (method === "post") return takesUid;
  return method === "put" && !/\/(change-state|email-document|register|set_current)\.json$/.test(path);
}

/** A tag as written in `IXPRESS_TOOLSETS`: `purchase-orders` for "Purchase Orders". */
export function toolsetName(tag: string): string {
  return tag
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** The toolset names of a description (one per tag), in the order the tags first appear. */
export function toolsetNames(spec: OpenAPIDocument = loadSpec()): string[] {
  return [...new Set(listOperations(spec).flatMap((op) => op.tags.map(toolsetName)))];
}

export interface BuildToolsOptions {
  spec?: OpenAPIDocument;
  /** Toolset names or tags (`invoices`, `Purchase Orders`); absent or empty for every tool. Unknown names throw. */
  toolsets?: readonly string[];
  /** Whether calls reach the outside world (false for the in-process sandbox). Default true. */
  openWorld?: boolean;
}

/** Every operation of the description (or of the chosen toolsets) as a tool. */
export function buildTools(options: BuildToolsOptions = {}): ToolDefinition[] {
  const spec = options.spec ?? loadSpec();
  const known = toolsetNames(spec);
  const wanted = new Set((options.toolsets ?? []).map(toolsetName).filter(Boolean));
  const unknown = [...wanted].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown toolset ${unknown.map((u) => `"${u}"`).join(", ")} (toolsets: ${known.join(", ")})`);
  }
  const uidPaths = new Set(PROPRIETARY_UID_PATHS);
  const tools: ToolDefinition[] = [];
  for (const op of listOperations(spec)) {
    if (wanted.size > 0 && !op.tags.some((tag) => wanted.has(toolsetName(tag)))) continue;
    const operation = op.operation;
    const properties: Json = {};
    const required: string[] = [];
    const params = operationParameters(spec, op.path, op.method);
    const pathParams: string[] = [];
    for (const where of ["path", "query"] as const) {
      const group = params.filter((p) => p.in === where && p.name !== "api_key");
      if (group.length === 0) continue;
      const props: Json = {};
      const req: string[] = [];
      for (const p of group) {
        const name = p.name;
        const schema = compactSchema(spec, p.schema);
        const description = p.parameter.description;
        if (typeof description === "string") schema.description = trimDescription(description);
        props[name] = schema;
        if (p.required) req.push(name);
        if (where === "path") pathParams.push(name);
      }
      properties[where] = {
        type: "object",
        description: where === "path" ? "Path parameters." : "Query parameters (filters, paging).",
        properties: props,
        ...(req.length > 0 ? { required: req } : {}),
      };
      if (req.length > 0) required.push(where);
    }
    const requestBody = operation.requestBody ? deref<Json>(spec, operation.requestBody) : undefined;
    const bodySchema = (requestBody?.content as Json | undefined)?.["application/json"] as Json | undefined;
    const takesUid = op.method === "post" && uidPaths.has(op.path);
    if (bodySchema) {
      let schema = compactSchema(spec, bodySchema.schema);
      // A document the API takes under its family key or its type's (`invoice` or `credit_note`):
      // the tool shows the canonical family key only (the validators accept both).
      const family = ROOT_ALIASES[op.method.toUpperCase()]?.[op.path]?.[1];
      const alternatives = schema.oneOf as Json[] | undefined;
      const canonical = family && alternatives?.find((alt) => (alt.required as string[] | undefined)?.includes(family));
      if (canonical) {
        const { oneOf: _, ...rest } = schema;
        schema = { ...canonical, ...rest };
      }
      if (typeof requestBody?.description === "string") schema.description = trimDescription(requestBody.description);
      if (takesUid) {
        const props = (schema.properties as Json | undefined) ?? {};
        props.proprietary_uid = {
          type: "string",
          description:
            "Leave it out: the server sets one made from the arguments, so repeating this call never makes a second document. Give a new one only to create an identical document on purpose.",
        };
        schema.properties = props;
      }
      properties.body = schema;
      if (requestBody?.required) required.push("body");
    }
    const polls = Object.hasOwn((operation.responses as Json | undefined) ?? {}, "202");
    const destructive = isDestructive(op.method, op.path, op.operationId);
    const notes: string[] = [];
    if (destructive)
      notes.push("Irreversible: a finalized, canceled or deleted document cannot be taken back (ask the user first).");
    if (takesUid) notes.push("Safe to retry: a repeated call with the same arguments never makes a second document.");
    if (polls) notes.push("Waits while the file is generated (202), then answers its URL.");
    const description = [
      op.summary,
      typeof operation.description === "string" ? trimDescription(operation.description, 400, 2) : "",
      ...notes,
      `(${op.method.toUpperCase()} ${op.path})`,
    ]
      .filter(Boolean)
      .join(" ");
    tools.push({
      name: op.operationId,
      description,
      inputSchema: {
        type: "object",
        properties,
        ...(required.length > 0 ? { required } : {}),
        additionalProperties: false,
      },
      annotations: {
        title: op.summary,
        readOnlyHint: op.method === "get",
        destructiveHint: destructive,
        idempotentHint: isIdempotent(op.method, op.path, takesUid),
        openWorldHint: options.openWorld ?? true,
      },
      method: op.method,
      path: op.path,
      tags: op.tags,
      pathParams,
      body: bodySchema ? (requestBody?.required ? "required" : "optional") : "none",
      takesUid,
      polls,
    });
  }
  return tools;
}
