/**
 * Error bodies in the API's own shapes, and the one refusal a server built on this description
 * throws (the mock's front and its sandbox alike). The InvoiceXpress API answers errors in
 * several shapes, by resource; an operation's documented example for a status says which.
 */
import type { Finding } from "./findings.js";
import { deref, type OpenAPIDocument } from "./toolkit.js";

/**
 * The shape of an error body:
 * - `"errors"`: `{"errors":{"error":"a; b"}}` (documents; the default)
 * - `"errors-list"`: `{"errors":["a","b"]}` (clients)
 * - `"errors-objects"`: `{"errors":[{"error":"a"},{"error":"b"}]}` (items, treasury)
 * - `"list"`: `["a","b"]` (a bare array)
 * - `{ code }`: `{"errors":{"code":"005","message":"a; b"}}` (sequences)
 * - `{ key }`: `{"error":"a; b"}`, `{"message":…}`, `{"reason":…}`
 * - `{ field }`: `{"name":["a","b"]}` (a field map; `base` for the whole record)
 */
export type ErrorShape =
  | "errors"
  | "errors-list"
  | "errors-objects"
  | "list"
  | { code: string }
  | { key: "error" | "message" | "reason" }
  | { field: string };

/** The error body for these messages, in this shape. */
export function errorBody(messages: string | readonly string[], shape: ErrorShape = "errors"): unknown {
  const list = typeof messages === "string" ? [messages] : [...messages];
  const joined = list.join("; ");
  if (shape === "errors") return { errors: { error: joined } };
  if (shape === "errors-list") return { errors: list };
  if (shape === "errors-objects") return { errors: list.map((error) => ({ error })) };
  if (shape === "list") return list;
  if ("code" in shape) return { errors: { code: shape.code, message: joined } };
  if ("key" in shape) return { [shape.key]: joined };
  return { [shape.field]: list };
}

type Json = Record<string, unknown>;

/** The example an operation documents for a status (its first named one), if any. */
function documentedExample(spec: OpenAPIDocument, operation: Json, status: number): unknown {
  const response = deref(spec, (operation.responses as Json | undefined)?.[String(status)]);
  const media = deref(spec, (response?.content as Json | undefined)?.["application/json"]);
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values((media.examples ?? {}) as Json)[0];
  return deref(spec, first)?.value;
}

/** The error shape an operation documents for a status, read from its example; `undefined` when it documents none. */
export function documentedErrorShape(
  spec: OpenAPIDocument,
  operation: Record<string, unknown>,
  status: number,
): ErrorShape | undefined {
  const example = documentedExample(spec, operation, status);
  if (Array.isArray(example)) return "list";
  if (!example || typeof example !== "object") return undefined;
  const errors = (example as Json).errors;
  if (Array.isArray(errors))
    return typeof errors[0] === "object" && errors[0] !== null ? "errors-objects" : "errors-list";
  if (errors && typeof errors === "object" && "code" in (errors as Json)) return { code: String(status) };
  if (errors === undefined) {
    const key = Object.keys(example as Json)[0];
    if (key === undefined) return undefined;
    if (key === "error" || key === "message" || key === "reason") return { key };
    return { field: "base" };
  }
  return "errors";
}

export interface RefusalOptions {
  /** The shape of the body; by default the one `operation` documents for the status, else `"errors"`. */
  shape?: ErrorShape;
  /** The operation refused, whose documented error shape the body takes. */
  operation?: Record<string, unknown>;
  /** The findings behind the refusal (the mock sends them in `sl-violations`). */
  findings?: Finding[];
  /** Extra response headers (`allow` on a 405). */
  headers?: Record<string, string>;
}

/**
 * A request refused with an HTTP status and its reasons, in the API's own error shape. Thrown
 * by whatever answers a request; the server catches it and sends {@link Refusal.body}.
 */
export class Refusal extends Error {
  readonly status: number;
  readonly messages: string[];
  readonly shape: ErrorShape | undefined;
  readonly operation: Record<string, unknown> | undefined;
  readonly findings: Finding[];
  readonly headers: Record<string, string>;

  constructor(status: number, messages: string | readonly string[], options: RefusalOptions = {}) {
    const list = typeof messages === "string" ? [messages] : [...messages];
    super(list.join("; "));
    this.name = "Refusal";
    this.status = status;
    this.messages = list;
    this.shape = options.shape;
    this.operation = options.operation;
    this.findings = options.findings ?? [];
    this.headers = options.headers ?? {};
  }

  /** The error body: the explicit shape, else the one the operation documents for the status (needs `spec`), else `"errors"`. */
  body(spec?: OpenAPIDocument): unknown {
    const shape =
      this.shape ??
      (spec && this.operation ? documentedErrorShape(spec, this.operation, this.status) : undefined) ??
      "errors";
    return errorBody(this.messages, shape);
  }
}
