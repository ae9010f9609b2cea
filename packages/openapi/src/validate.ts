import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import formatsPlugin from "ajv-formats";
import { HTTP_METHODS, type HttpMethod, loadSpec, type OpenAPIDocument } from "./index.js";

/** One problem found in a request or response, with the place it was found. */
export interface ValidationIssue {
  /** Where: `body`, `body.invoice.items[0].unit_price`, `query.page`, `path.document-id`, `status`, … */
  at: string;
  /** What is wrong, e.g. `must be >= 0`. */
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  /** The operation the method and path resolved to, when one did. */
  operationId?: string;
  /** The path template the concrete path matched, e.g. `/quotes/{document-id}.json`. */
  pathTemplate?: string;
  issues: ValidationIssue[];
  /** The issues as readable lines: `body.invoice.items[0].unit_price: must be >= 0`. */
  errors: string[];
  /**
   * Strict mode only (`{ strict: true }`): what the live server would silently ignore or
   * coerce. Warnings never make a request invalid.
   */
  warnings?: StrictFinding[];
}

/** One thing the live server would ignore or coerce, found by strict mode. */
export interface StrictFinding {
  /** Where: `body.client.nmae`, `body.invoice.date`. */
  path: string;
  /** What the server would do with it. */
  message: string;
  /** A close known key, or the canonical form of the value. */
  suggestion?: string;
}

export interface ValidateOptions {
  /**
   * Also report, as `warnings`, what the server accepts but ignores or coerces: unknown keys
   * (with a "did you mean" when a known key is close), numbers written as strings, flags
   * written as booleans, one-digit days and months, blank optional fields.
   */
  strict?: boolean;
}

/** A query value: text, a number, a flag, a list of them, or a nested group (`date[from]`). */
export type QueryValue =
  | string
  | number
  | boolean
  | undefined
  | null
  | Array<string | number | boolean>
  | { [key: string]: QueryValue };

export interface RequestToValidate {
  method: string;
  /**
   * A concrete path (`/credit_notes/42.json`), optionally with a query string. A full URL
   * (`https://acme.app.invoicexpress.com/clients.json?…`) is accepted too; only its path and
   * query are read.
   */
  path: string;
  /**
   * Query parameters; values may be strings, numbers, booleans or arrays of them, as parsed from
   * a URL. Bracketed names may be given as written (`"date[from]"`, `"type[]"`) or nested
   * (`{ date: { from: "01/12/2017" } }`).
   */
  query?: Record<string, QueryValue> | URLSearchParams;
  /** The parsed JSON body; `undefined` or `""` for none. */
  body?: unknown;
  /** Require the `api_key` query parameter (the API's security scheme). Defaults to false. */
  requireApiKey?: boolean;
}

export interface ResponseToValidate {
  method: string;
  path: string;
  status: number;
  /**
   * The parsed JSON body; `undefined` or `""` for an empty body (`null` counts as empty too
   * where the response documents no body).
   */
  body?: unknown;
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Record<string, unknown>;
}

interface Route {
  method: HttpMethod;
  template: string;
  regex: RegExp;
  names: string[];
  literalLength: number;
  pointer: string;
  operation: Record<string, unknown>;
}

const BASE = "https://ixpress.invalid/openapi.json";

function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function formatPath(instancePath: string): string {
  let out = "";
  for (const raw of instancePath.split("/").slice(1)) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(token) ? `[${token}]` : `.${token}`;
  }
  return out;
}

/**
 * Keeps the errors of the alternative the value came closest to. When a `oneOf`/`anyOf`
 * fails at some place and errors were also found deeper inside the value (the body chose a
 * branch by its root key and then broke a rule inside it), the errors at that place itself
 * (the other branches' "must have the property …", and the `oneOf` error) are noise. An
 * `if` error is dropped when its `then` error is reported beside it.
 */
function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** The `Blank` branch (`null` or `""`) of an optional field: its failures only repeat that the value is not blank. */
function isBlankBranchError(error: ErrorObject): boolean {
  return (error.parentSchema as { title?: unknown } | undefined)?.title === "Blank";
}

function pruneAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const blankForks = new Set(errors.filter(isBlankBranchError).map((e) => e.instancePath));
  errors = errors.filter(
    (e) =>
      !isBlankBranchError(e) &&
      !(
        e.keyword === "anyOf" &&
        blankForks.has(e.instancePath) &&
        errors.some(
          (o) => o !== e && o.instancePath === e.instancePath && !isBlankBranchError(o) && o.keyword !== "anyOf",
        )
      ),
  );
  const forks = new Set(
    errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf").map((e) => e.instancePath),
  );
  const deeper = (at: string) => errors.some((e) => e.instancePath.startsWith(`${at}/`));
  return errors.filter((e) => {
    if (forks.has(e.instancePath) && deeper(e.instancePath)) return false;
    if (e.keyword === "if")
      return !errors.some((o) => o !== e && o.instancePath === e.instancePath && o.keyword !== "if");
    return true;
  });
}

function describe(error: ErrorObject): string {
  if (error.keyword === "additionalProperties") {
    return `must not have the property "${String((error.params as { additionalProperty: string }).additionalProperty)}"`;
  }
  if (error.keyword === "required") {
    return `must have the property "${String((error.params as { missingProperty: string }).missingProperty)}"`;
  }
  if (error.keyword === "enum") {
    // `1` and `"1"` read the same in a message: each shown once.
    const allowed = [...new Set((error.params as { allowedValues: unknown[] }).allowedValues.map(String))];
    const shown = allowed.length > 12 ? `${allowed.slice(0, 12).join(", ")}, …` : allowed.join(", ");
    return `must be one of: ${shown}`;
  }
  if (error.keyword === "pattern" || error.keyword === "format") {
    const title = (error.parentSchema as { title?: unknown } | undefined)?.title;
    const got =
      typeof error.data === "string"
        ? `, got ${JSON.stringify(error.data.length > 60 ? `${error.data.slice(0, 60)}…` : error.data)}`
        : "";
    if (title === "DocumentDate") return `must be a date written dd/mm/yyyy${got}`;
    if (title === "PortugueseNif") return `must be a Portuguese NIF (nine digits)${got}`;
    return `${error.message ?? error.keyword}${got}`;
  }
  return error.message ?? error.keyword;
}

/** A validator bound to one OpenAPI 3.1 description. Compiled schemas are cached. */
export class SpecValidator {
  readonly spec: OpenAPIDocument;
  private readonly ajv: Ajv2020;
  private readonly routes: Route[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(spec: OpenAPIDocument = loadSpec()) {
    this.spec = spec;
    this.ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      verbose: true,
      validateSchema: false,
      validateFormats: true,
    });
    (formatsPlugin as unknown as { default: (ajv: Ajv2020) => void }).default(this.ajv);
    this.ajv.addSchema(
      { $id: BASE, paths: spec.paths, components: spec.components ?? {} },
      undefined,
      undefined,
      false,
    );
    for (const [template, item] of Object.entries(spec.paths)) {
      const names: string[] = [];
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const m = /^\{([^}]+)\}$/.exec(part);
          if (m) {
            names.push(m[1]!);
            return "([^/]+)";
          }
          return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("");
      for (const method of HTTP_METHODS) {
        const operation = item[method] as Record<string, unknown> | undefined;
        if (!operation) continue;
        this.routes.push({
          method,
          template,
          regex: new RegExp(`^${source}$`),
          names,
          literalLength: template.replace(/\{[^}]+\}/g, "").length,
          pointer: `#/paths/${escapePointer(template)}/${method}`,
          operation,
        });
      }
    }
    // Concrete paths win over templated ones: `/clients/find-by-name.json` before `/clients/{id}.json`.
    this.routes.sort((a, b) => a.names.length - b.names.length || b.literalLength - a.literalLength);
  }

  /** Finds the operation for a method and concrete path. */
  findOperation(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const m = method.toLowerCase();
    const pathname = splitPath(path).pathname;
    for (const route of this.routes) {
      if (route.method !== m) continue;
      const match = route.regex.exec(pathname);
      if (!match) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(match[i + 1]!);
      });
      return { route, params };
    }
    return undefined;
  }

  /** Explains why no operation matched: wrong method, a missing `.json`, or no such path. */
  private unknownOperation(method: string, path: string): ValidationIssue {
    const pathname = splitPath(path).pathname;
    const m = method.toUpperCase();
    const methodsFor = (p: string) => HTTP_METHODS.filter((x) => this.findOperation(x, p)).map((x) => x.toUpperCase());
    let hint = "";
    const here = methodsFor(pathname);
    if (here.length > 0) hint = ` (${pathname} has ${here.join(", ")})`;
    else if (!pathname.endsWith(".json") && methodsFor(`${pathname}.json`).length > 0)
      hint = ` (paths end in .json: did you mean ${pathname}.json?)`;
    return { at: "path", message: `no operation ${m} ${pathname} in the description${hint}` };
  }

  private validator(pointer: string): ValidateFunction {
    let fn = this.compiled.get(pointer);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${BASE}${pointer}` });
      this.compiled.set(pointer, fn);
    }
    return fn;
  }

  private check(pointer: string, value: unknown, at: string, issues: ValidationIssue[]): void {
    const fn = this.validator(pointer);
    if (fn(value)) return;
    const seen = new Set<string>();
    for (const error of pruneAlternatives(fn.errors ?? [])) {
      const issue = { at: `${at}${formatPath(error.instancePath)}`, message: describe(error) };
      const key = `${issue.at}|${issue.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push(issue);
    }
  }

  /** Follows a local `$ref` (parameter, request body or response) to what it points at. */
  private resolveRef<T = Record<string, unknown>>(node: Record<string, unknown>): T {
    const ref = node.$ref;
    if (typeof ref === "string" && ref.startsWith("#/")) {
      let target: unknown = this.spec;
      for (const token of ref.slice(2).split("/")) {
        target = (target as Record<string, unknown>)[token.replace(/~1/g, "/").replace(/~0/g, "~")];
      }
      return target as T;
    }
    return node as T;
  }

  private parameters(route: Route): Array<{ param: Parameter; pointer: string }> {
    const out: Array<{ param: Parameter; pointer: string }> = [];
    const item = this.spec.paths[route.template] as Record<string, unknown>;
    const lists: Array<[unknown, string]> = [
      [item.parameters, `#/paths/${escapePointer(route.template)}/parameters`],
      [route.operation.parameters, `${route.pointer}/parameters`],
    ];
    for (const [list, base] of lists) {
      if (!Array.isArray(list)) continue;
      list.forEach((raw, i) => {
        const param = this.resolveRef<Parameter>(raw as Record<string, unknown>);
        const index = out.findIndex((p) => p.param.name === param.name && p.param.in === param.in);
        const entry = { param, pointer: `${base}/${i}/schema` };
        if (typeof (raw as Record<string, unknown>).$ref === "string") {
          entry.pointer = `${String((raw as Record<string, unknown>).$ref)}/schema`;
        }
        if (index >= 0) out[index] = entry;
        else out.push(entry);
      });
    }
    return out;
  }

  /** Checks a request against the operation its method and path resolve to. */
  validateRequest(request: RequestToValidate, options: ValidateOptions = {}): ValidationResult {
    const out = this.checkRequest(request);
    if (options.strict) out.warnings = this.strictFindings(request);
    return out;
  }

  /**
   * What the live server would silently ignore or coerce in a request: unknown body keys
   * (with the closest known key), numeric strings where a number is the canonical form,
   * booleans where the API writes `1`/`0`, `d/m/yyyy` dates, blank optional fields. The mock's
   * strict mode reuses this.
   */
  strictFindings(request: RequestToValidate): StrictFinding[] {
    const found = this.findOperation(request.method, request.path);
    if (!found) return [];
    const findings = this.queryFindings(found.route, request);
    const body = found.route.operation.requestBody as Record<string, unknown> | undefined;
    if (!body || request.body === undefined || request.body === "") return findings;
    const resolved = this.resolveRef(body);
    const schema = (resolved.content as Record<string, { schema?: unknown }> | undefined)?.["application/json"]?.schema;
    if (!schema) return findings;
    this.walkStrict([schema], request.body, "body", findings);
    return findings;
  }

  /** Query parameters the operation does not take, and flags written `1`/`0` instead of `true`/`false`. */
  private queryFindings(route: Route, request: RequestToValidate): StrictFinding[] {
    const findings: StrictFinding[] = [];
    const query = collectQuery(request);
    const declared = this.parameters(route).filter((d) => d.param.in === "query");
    const known = declared.map((d) => d.param.name);
    for (const [name, raw] of query) {
      if (name === "api_key" || /^__/.test(name)) continue;
      const param = declared.find((d) => d.param.name === name)?.param;
      if (!param) {
        const base = (n: string) => n.replace(/\[.*$/, "");
        const near = known.find((k) => base(k) === base(name)) ?? closest(base(name), known);
        findings.push({
          path: `query.${name}`,
          message: `is not a parameter of ${String(route.operation.operationId ?? route.template)}; the server ignores it${near ? ` (did you mean "${near}"?)` : known.length > 0 ? ` (it takes ${known.join(", ")})` : ""}`,
          ...(near ? { suggestion: near } : {}),
        });
        continue;
      }
      if (raw === "") {
        findings.push({ path: `query.${name}`, message: "is blank; the server treats it as absent (leave it out)" });
        continue;
      }
      const schema = param.schema as Record<string, unknown> | undefined;
      const flag = schema && this.resolveRef(schema).title === "QueryFlag";
      if (flag && (raw === "1" || raw === "0")) {
        findings.push({
          path: `query.${name}`,
          message: "is a flag written 1 or 0; the documented form is true or false",
          suggestion: raw === "1" ? "true" : "false",
        });
      }
    }
    return findings;
  }

  /** Resolves `$ref`s and flattens `allOf`/`anyOf`/`oneOf` into the plain schemas a value may meet. */
  private branches(schemas: unknown[], depth = 0): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const raw of schemas) {
      if (!raw || typeof raw !== "object" || depth > 12) continue;
      const schema = this.resolveRef(raw as Record<string, unknown>);
      out.push(schema);
      for (const key of ["allOf", "anyOf", "oneOf"]) {
        const list = schema[key];
        if (Array.isArray(list)) out.push(...this.branches(list, depth + 1));
      }
      if (schema.then) out.push(...this.branches([schema.then], depth + 1));
    }
    return out;
  }

  private walkStrict(schemas: unknown[], value: unknown, at: string, findings: StrictFinding[]): void {
    const all = this.branches(schemas);
    if (all.length === 0) return;
    if (Array.isArray(value)) {
      const items = all.map((s) => s.items).filter(Boolean);
      value.forEach((v, i) => this.walkStrict(items, v, `${at}[${i}]`, findings));
      return;
    }
    if (value && typeof value === "object") {
      const known = new Map<string, unknown[]>();
      let open = false;
      for (const s of all) {
        const props = s.properties as Record<string, unknown> | undefined;
        if (props) for (const [k, v] of Object.entries(props)) known.set(k, [...(known.get(k) ?? []), v]);
        if (s.additionalProperties && typeof s.additionalProperties === "object") open = true;
      }
      if (known.size === 0) return;
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const sub = known.get(key);
        if (sub) {
          this.walkStrict(sub, v, `${at}.${key}`, findings);
          continue;
        }
        if (open) continue;
        const near = closest(key, [...known.keys()]);
        findings.push({
          path: `${at}.${key}`,
          message: `is not a field the API knows; the server ignores it${near ? ` (did you mean "${near}"?)` : ""}`,
          ...(near ? { suggestion: near } : {}),
        });
      }
      return;
    }
    const types = new Set(all.flatMap((s) => ([] as unknown[]).concat(s.type ?? [])));
    const titles = new Set(all.map((s) => s.title));
    if (value === null || value === "") {
      if (titles.has("Blank") || types.has("null"))
        findings.push({ path: at, message: "is blank; the server treats it as absent (leave it out)" });
      return;
    }
    if (typeof value === "boolean" && titles.has("BinaryFlag")) {
      findings.push({
        path: at,
        message: "is a boolean; the API writes this flag 1 or 0",
        suggestion: value ? "1" : "0",
      });
      return;
    }
    if (typeof value === "string") {
      const date = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
      if (date && titles.has("DocumentDate") && (date[1]!.length === 1 || date[2]!.length === 1)) {
        const canonical = `${date[1]!.padStart(2, "0")}/${date[2]!.padStart(2, "0")}/${date[3]}`;
        findings.push({
          path: at,
          message: "is a d/m/yyyy date; the canonical form is dd/mm/yyyy",
          suggestion: canonical,
        });
        return;
      }
      const numeric = all.some((s) => {
        const first = ([] as unknown[]).concat(s.type ?? [])[0];
        return first === "number" || first === "integer";
      });
      if (numeric && /^-?\d+(\.\d+)?$/.test(value) && !titles.has("BinaryFlag") && !titles.has("SendOptions")) {
        findings.push({
          path: at,
          message: "is a number written as a string; the server converts it",
          suggestion: String(Number(value)),
        });
      }
    }
  }

  private checkRequest(request: RequestToValidate): ValidationResult {
    const issues: ValidationIssue[] = [];
    const found = this.findOperation(request.method, request.path);
    if (!found) return result([this.unknownOperation(request.method, request.path)]);
    const { route, params } = found;
    const query = collectQuery(request);
    const declared = this.parameters(route);
    // A query parameter the operation does not take is ignored by the server (a Rails app reads
    // the parameters it knows): strict mode reports it, with the one meant (`queryFindings`).
    for (const { param, pointer } of declared) {
      if (param.in !== "path" && param.in !== "query") continue;
      const raw = param.in === "path" ? params[param.name] : query.get(param.name);
      const at = `${param.in}.${param.name}`;
      // A blank query value (`page=`) is what form builders send for an empty field; Rails reads
      // it as absent (strict mode reports it).
      const blank = param.in === "query" && raw === "";
      if (raw === undefined || blank) {
        if (param.required) issues.push({ at, message: blank ? "is required, and is blank" : "is required" });
        continue;
      }
      this.check(pointer, coerce(raw, param.schema), at, issues);
    }
    if (request.requireApiKey && !query.has("api_key")) {
      issues.push({ at: "query.api_key", message: "is required (the API key travels in the query string)" });
    }
    const body = route.operation.requestBody as Record<string, unknown> | undefined;
    const bodyPointer = body && typeof body.$ref === "string" ? String(body.$ref) : `${route.pointer}/requestBody`;
    const resolvedBody = body && typeof body.$ref === "string" ? this.resolveRef(body) : body;
    const requestBody = request.body === "" ? undefined : request.body;
    if (resolvedBody) {
      const content = resolvedBody.content as Record<string, unknown> | undefined;
      if (requestBody === undefined) {
        if (resolvedBody.required) issues.push({ at: "body", message: "is required" });
      } else if (content?.["application/json"]) {
        this.check(`${bodyPointer}/content/application~1json/schema`, requestBody, "body", issues);
      }
    } else if (requestBody !== undefined && !isEmptyObject(requestBody)) {
      // `{}` is what JSON clients send by default on a body-less PUT (cookiebytespt/n8n-invoiceXpress
      // sends its empty "Body (JSON)" field); the server ignores it.
      issues.push({ at: "body", message: "must be absent: the operation takes no body" });
    }
    return result(issues, route);
  }

  /** Checks a response (status and body) against the operation's documented responses. */
  validateResponse(response: ResponseToValidate): ValidationResult {
    const found = this.findOperation(response.method, response.path);
    if (!found) return result([this.unknownOperation(response.method, response.path)]);
    const { route } = found;
    const responses = (route.operation.responses ?? {}) as Record<string, Record<string, unknown>>;
    const code = String(response.status);
    const key = [code, `${code[0]}XX`, "default"].find((k) => k in responses);
    if (!key) {
      return result(
        [
          {
            at: "status",
            message: `${code} is not a documented response (documented: ${Object.keys(responses).join(", ")})`,
          },
        ],
        route,
      );
    }
    const issues: ValidationIssue[] = [];
    let entry = responses[key]!;
    let pointer = `${route.pointer}/responses/${key}`;
    if (typeof entry.$ref === "string") {
      pointer = entry.$ref;
      entry = this.resolveRef(entry);
    }
    const content = entry.content as Record<string, unknown> | undefined;
    const documentsJson = Boolean(content?.["application/json"]);
    const body = response.body === "" || (response.body === null && !documentsJson) ? undefined : response.body;
    if (body !== undefined) {
      if (!content?.["application/json"]) {
        issues.push({ at: "body", message: `must be empty: response ${key} documents no body` });
      } else {
        this.check(`${pointer}/content/application~1json/schema`, body, "body", issues);
      }
    } else if (content?.["application/json"] && code.startsWith("2") && code !== "202") {
      issues.push({ at: "body", message: `is empty, but response ${key} documents a body` });
    }
    return result(issues, route);
  }
}

function collectQuery(request: RequestToValidate): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  const add = (key: string, value: string) => {
    const prev = out.get(key);
    if (prev === undefined) out.set(key, value);
    else out.set(key, Array.isArray(prev) ? [...prev, value] : [prev, value]);
  };
  for (const [k, v] of new URLSearchParams(splitPath(request.path).search)) add(k, v);
  const walk = (key: string, value: QueryValue): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) value.forEach((x) => add(key, String(x)));
    else if (typeof value === "object") for (const [sub, v] of Object.entries(value)) walk(`${key}[${sub}]`, v);
    else add(key, String(value));
  };
  if (request.query instanceof URLSearchParams) {
    for (const [k, v] of request.query) add(k, v);
  } else if (request.query) {
    for (const [k, v] of Object.entries(request.query)) walk(k, v);
  }
  return out;
}

/** Splits a path or full URL into its path and query string (without `?`). */
function splitPath(input: string): { pathname: string; search: string } {
  let rest = input;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length) || "/";
  rest = rest.split("#")[0]!;
  const q = rest.indexOf("?");
  return q < 0 ? { pathname: rest, search: "" } : { pathname: rest.slice(0, q), search: rest.slice(q + 1) };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Query and path values arrive as text: turn them into what the schema expects where they read as such. */
function coerce(raw: string | string[], schema: Record<string, unknown> | undefined): unknown {
  const types = ([] as unknown[]).concat(schema?.type ?? []);
  if (types.includes("array"))
    return Array.isArray(raw)
      ? raw.map((v) => coerce(v, schema?.items as Record<string, unknown>))
      : [coerce(raw, schema?.items as Record<string, unknown>)];
  if (Array.isArray(raw)) return raw;
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (types.includes("boolean") && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

function result(issues: ValidationIssue[], route?: Route): ValidationResult {
  const out: ValidationResult = {
    valid: issues.length === 0,
    issues,
    errors: issues.map((i) => `${i.at}: ${i.message}`),
  };
  if (route) {
    out.operationId = String(route.operation.operationId ?? "");
    out.pathTemplate = route.template;
  }
  return out;
}

let shared: SpecValidator | undefined;
function defaultValidator(): SpecValidator {
  shared ??= new SpecValidator();
  return shared;
}

/** Checks a request against the bundled InvoiceXpress description; `{ strict: true }` adds warnings. */
export function validateRequest(request: RequestToValidate, options: ValidateOptions = {}): ValidationResult {
  return defaultValidator().validateRequest(request, options);
}

/**
 * Strict-mode findings for a request against the bundled description: what the live server
 * would silently ignore or coerce (see {@link SpecValidator.strictFindings}).
 */
export function strictFindings(request: RequestToValidate): StrictFinding[] {
  return defaultValidator().strictFindings(request);
}

/** Edit distance between two keys (insertions, deletions, substitutions, adjacent swaps). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known key closest to `key`, when it is close enough to be a slip (or differs only in case, `-` or `_`). */
function closest(key: string, known: string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, "");
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const score = norm(k) === norm(key) ? 0 : distance(key.toLowerCase(), k.toLowerCase());
    if (score < bestScore) {
      best = k;
      bestScore = score;
    }
  }
  const limit = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
  return bestScore <= limit ? best : undefined;
}

/** Checks a response against the bundled InvoiceXpress description. */
export function validateResponse(response: ResponseToValidate): ValidationResult {
  return defaultValidator().validateResponse(response);
}
