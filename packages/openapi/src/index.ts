import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { listOperations as listOperationsOf, type OpenAPIDocument, type OperationEntry } from "./toolkit.js";

export { documentedErrorShape, type ErrorShape, errorBody, Refusal, type RefusalOptions } from "./errors.js";
export { type Finding, findingLine, placeOf, plainMessage } from "./findings.js";
export {
  type ApiDate,
  CLOSEST_MAX_KEY,
  closest,
  type DerefOptions,
  deref,
  escapePointer,
  formatApiDate,
  HTTP_METHODS,
  type HttpMethod,
  type OpenAPIDocument,
  type OperationEntry,
  operationParameters,
  type ParameterEntry,
  parseApiDate,
  preview,
  REDACTED,
  resolvePointer,
  sensitiveFields,
  unescapePointer,
} from "./toolkit.js";

/** Absolute path of the bundled description, JSON form (`@ixpress/openapi/openapi.json`). */
export const specJsonPath: string = fileURLToPath(new URL("../openapi.json", import.meta.url));
/** Absolute path of the bundled description, YAML form (`@ixpress/openapi/openapi.yaml`). */
export const specYamlPath: string = fileURLToPath(new URL("../openapi.yaml", import.meta.url));

let cached: OpenAPIDocument | undefined;

/** The bundled description, parsed once and shared. Treat it as read-only. */
export function loadSpec(): OpenAPIDocument {
  cached ??= JSON.parse(readFileSync(specJsonPath, "utf8")) as OpenAPIDocument;
  return cached;
}

/** Every operation of a description (the bundled one by default), in path order. */
export function listOperations(spec: OpenAPIDocument = loadSpec()): OperationEntry[] {
  return listOperationsOf(spec);
}
