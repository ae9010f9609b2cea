import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of the bundled description, JSON form (`@ixpress/openapi/openapi.json`). */
export const specJsonPath: string = fileURLToPath(new URL("../openapi.json", import.meta.url));
/** Absolute path of the bundled description, YAML form (`@ixpress/openapi/openapi.yaml`). */
export const specYamlPath: string = fileURLToPath(new URL("../openapi.yaml", import.meta.url));

/** The HTTP methods an OpenAPI path item can hold, in the order they are reported. */
export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The parts of an OpenAPI 3.1 document this package reads. */
export interface OpenAPIDocument {
  openapi: string;
  info: { title: string; version: string; [key: string]: unknown };
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** One operation of the description, flattened. */
export interface OperationEntry {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  operation: Record<string, unknown>;
}

let cached: OpenAPIDocument | undefined;

/** The bundled description, parsed once and shared. Treat it as read-only. */
export function loadSpec(): OpenAPIDocument {
  cached ??= JSON.parse(readFileSync(specJsonPath, "utf8")) as OpenAPIDocument;
  return cached;
}

/** Every operation of a description (the bundled one by default), in path order. */
export function listOperations(spec: OpenAPIDocument = loadSpec()): OperationEntry[] {
  const out: OperationEntry[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (!operation) continue;
      out.push({
        method,
        path,
        operationId: String(operation.operationId ?? ""),
        summary: String(operation.summary ?? ""),
        tags: (operation.tags as string[] | undefined) ?? [],
        operation,
      });
    }
  }
  return out;
}
