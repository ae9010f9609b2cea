import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import formatsPlugin from "ajv-formats";
import type { Finding } from "./findings.js";
import { loadSpec } from "./index.js";
import {
  closest,
  deref,
  escapePointer,
  HTTP_METHODS,
  type HttpMethod,
  type OpenAPIDocument,
  operationParameters,
  type ParameterEntry,
  parseApiDate,
  preview,
  unescapePointer,
} from "./toolkit.js";

export type { Finding } from "./findings.js";

/** One problem found in a request or response: a {@link Finding}. */
export type ValidationIssue = Finding;

/** A value with more than this many parts (keys, items, values) is checked up to its first problem. */
export const ALL_ERRORS_UP_TO = 5_000;

/** Whether a JSON value has more than `limit` parts; stops counting there. */
function isLarger(value: unknown, limit: number): boolean {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (++count > limit) return true;
    if (v !== null && typeof v === "object") {
      if (Array.isArray(v)) for (const x of v) stack.push(x);
      else for (const k in v) stack.push((v as Record<string, unknown>)[k]);
      if (count + stack.length > limit) return true;
    }
  }
  return false;
}

/** At most this many findings per check: a hostile body cannot make the answer (or its work) grow without bound. */
export const MAX_FINDINGS = 100;

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

/** One thing the live server would ignore or coerce, found by strict mode: a {@link Finding} (`at: "body.client.nmae"`). */
export type StrictFinding = Finding;

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

/** What strict mode knows of the schemas a value may meet (see `shapeOf`). */
interface StrictShape {
  empty: boolean;
  known: string[];
  open: boolean;
  child(key: string): StrictShape | undefined;
  items(): StrictShape;
  itemShape?: StrictShape;
  blankable: boolean;
  binaryFlag: boolean;
  documentDate: boolean;
  numeric: boolean;
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

function formatPath(instancePath: string): string {
  let out = "";
  for (const raw of instancePath.split("/").slice(1)) {
    const token = unescapePointer(raw);
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
  // Linear in the number of errors: every test below reads a set built in one pass.
  const blankForks = new Set<string>();
  const otherAt = new Set<string>();
  for (const e of errors) {
    if (isBlankBranchError(e)) blankForks.add(e.instancePath);
    else if (e.keyword !== "anyOf") otherAt.add(e.instancePath);
  }
  errors = errors.filter(
    (e) =>
      !isBlankBranchError(e) &&
      !(e.keyword === "anyOf" && blankForks.has(e.instancePath) && otherAt.has(e.instancePath)),
  );
  const forks = new Set<string>();
  const notIf = new Set<string>();
  for (const e of errors) {
    if (e.keyword === "oneOf" || e.keyword === "anyOf") forks.add(e.instancePath);
    if (e.keyword !== "if") notIf.add(e.instancePath);
  }
  // The forks that have errors deeper inside: walk each error's ancestors up to the nearest fork.
  const forksWithDeeper = new Set<string>();
  if (forks.size > 0) {
    for (const e of errors) {
      let at = e.instancePath;
      for (let depth = 0; depth < 256; depth++) {
        const cut = at.lastIndexOf("/");
        if (cut < 0) break;
        at = at.slice(0, cut);
        if (forks.has(at)) forksWithDeeper.add(at);
      }
    }
  }
  return errors.filter((e) => {
    if (forksWithDeeper.has(e.instancePath)) return false;
    if (e.keyword === "if") return !notIf.has(e.instancePath);
    return true;
  });
}

const SPECIAL_TITLES: Record<string, string> = {
  DocumentDate: "must be a date written dd/mm/yyyy",
  PortugueseNif: "must be a Portuguese NIF (nine digits)",
};

/** An Ajv error as a finding: its keyword and params, the value's preview, the validator's words. */
function findingOf(error: ErrorObject, at: string): Finding {
  const params: Record<string, unknown> = { ...(error.params as Record<string, unknown>) };
  if (error.data !== undefined && typeof error.data !== "function") params.got = preview(error.data);
  let message = error.message ?? error.keyword;
  if (error.keyword === "additionalProperties") {
    message = `must not have the property "${String(params.additionalProperty)}"`;
  } else if (error.keyword === "required") {
    message = `must have the property "${String(params.missingProperty)}"`;
  } else if (error.keyword === "enum") {
    // `1` and `"1"` read the same in a message: each shown once.
    const allowed = [...new Set((params.allowedValues as unknown[]).map(String))];
    message = `must be one of: ${allowed.length > 12 ? `${allowed.slice(0, 12).join(", ")}, …` : allowed.join(", ")}`;
  } else if (error.keyword === "pattern" || error.keyword === "format") {
    const title = (error.parentSchema as { title?: unknown } | undefined)?.title;
    const got =
      typeof error.data === "string"
        ? `, got ${JSON.stringify(error.data.length > 60 ? `${error.data.slice(0, 60)}…` : error.data)}`
        : "";
    const special = typeof title === "string" ? SPECIAL_TITLES[title] : undefined;
    if (special !== undefined) params.title = title;
    message = `${special ?? message}${got}`;
  }
  return { at, keyword: error.keyword, params, message };
}

/** A finding of the validators' own (no JSON Schema keyword behind it). */
function own(at: string, keyword: string, message: string, extra: Partial<Finding> = {}): Finding {
  return { at, keyword, params: {}, message, ...extra };
}

/** A validator bound to one OpenAPI 3.1 description. Compiled schemas are cached. */
export class SpecValidator {
  readonly spec: OpenAPIDocument;
  private readonly ajv: Ajv2020;
  /** The same schemas, stopping at the first error: for large values (Ajv's all-errors mode grows faster than linearly). */
  private readonly ajvFirst: Ajv2020;
  private readonly routes: Route[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly compiledFirst = new Map<string, ValidateFunction>();

  constructor(spec: OpenAPIDocument = loadSpec()) {
    this.spec = spec;
    const ajv = (allErrors: boolean) => {
      const instance = new Ajv2020({
        strict: false,
        allErrors,
        verbose: true,
        validateSchema: false,
        validateFormats: true,
      });
      (formatsPlugin as unknown as { default: (ajv: Ajv2020) => void }).default(instance);
      instance.addSchema(
        { $id: BASE, paths: spec.paths, components: spec.components ?? {} },
        undefined,
        undefined,
        false,
      );
      return instance;
    };
    this.ajv = ajv(true);
    this.ajvFirst = ajv(false);
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
    return own("path", "operation", `no operation ${m} ${pathname} in the description${hint}`);
  }

  private validator(pointer: string, first = false): ValidateFunction {
    const cache = first ? this.compiledFirst : this.compiled;
    let fn = cache.get(pointer);
    if (!fn) {
      fn = (first ? this.ajvFirst : this.ajv).compile({ $ref: `${BASE}${pointer}` });
      cache.set(pointer, fn);
    }
    return fn;
  }

  private check(pointer: string, value: unknown, at: string, issues: ValidationIssue[]): void {
    // A large value is checked up to its first problem: listing all of them would cost more
    // than linear time (Ajv gathers the errors of each referenced schema by copying the list).
    const large = isLarger(value, ALL_ERRORS_UP_TO);
    const fn = this.validator(pointer, large);
    if (fn(value)) return;
    const seen = new Set<string>();
    if (large) {
      issues.push(
        own(at, "truncated", `is large (more than ${ALL_ERRORS_UP_TO} values): only its first problem is listed`),
      );
    }
    for (const error of pruneAlternatives(fn.errors ?? [])) {
      if (issues.length >= MAX_FINDINGS) {
        issues.push(own(at, "truncated", `and more: only the first ${MAX_FINDINGS} problems are listed`));
        return;
      }
      const issue = findingOf(error, `${at}${formatPath(error.instancePath)}`);
      const key = `${issue.at}|${issue.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push(issue);
    }
  }

  /** Follows a local `$ref` (parameter, request body or response) to what it points at. */
  private resolveRef<T = Record<string, unknown>>(node: Record<string, unknown>): T {
    return (deref<T>(this.spec, node) ?? node) as T;
  }

  private parameters(route: Route): Array<{ param: ParameterEntry; pointer: string }> {
    return operationParameters(this.spec, route.template, route.method).map((param) => ({
      param,
      pointer: param.schemaPointer,
    }));
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
    this.walkStrict(this.shapeOf([schema]), request.body, "body", findings);
    return findings;
  }

  /** Adds a strict finding; false once {@link MAX_FINDINGS} are there (with a last one saying so). */
  private add(findings: StrictFinding[], finding: StrictFinding): boolean {
    if (findings.length > MAX_FINDINGS) return false;
    if (findings.length === MAX_FINDINGS) {
      findings.push(own("body", "truncated", `and more: only the first ${MAX_FINDINGS} findings are listed`));
      return false;
    }
    findings.push(finding);
    return true;
  }

  /** Query parameters the operation does not take, and flags written `1`/`0` instead of `true`/`false`. */
  private queryFindings(route: Route, request: RequestToValidate): StrictFinding[] {
    const findings: StrictFinding[] = [];
    const query = collectQuery(request);
    const declared = this.parameters(route).filter((d) => d.param.in === "query");
    const known = declared.map((d) => d.param.name);
    const base = (n: string) => n.replace(/\[.*$/, "");
    for (const [name, raw] of query) {
      if (name === "api_key" || name.startsWith("__")) continue;
      const at = `query.${name}`;
      const param = declared.find((d) => d.param.name === name)?.param;
      if (!param) {
        const near = known.find((k) => base(k) === base(name)) ?? closest(base(name), known);
        const finding = own(
          at,
          "unknownParameter",
          `is not a parameter of ${String(route.operation.operationId ?? route.template)}; the server ignores it${near ? ` (did you mean "${near}"?)` : known.length > 0 ? ` (it takes ${known.join(", ")})` : ""}`,
          near ? { suggestion: near } : {},
        );
        finding.params = { name };
        if (!this.add(findings, finding)) break;
        continue;
      }
      if (raw === "") {
        if (!this.add(findings, own(at, "blank", "is blank; the server treats it as absent (leave it out)"))) break;
        continue;
      }
      const flag = param.schema && this.resolveRef(param.schema).title === "QueryFlag";
      if (flag && (raw === "1" || raw === "0")) {
        const finding = own(at, "flagAsNumber", "is a flag written 1 or 0; the documented form is true or false", {
          suggestion: raw === "1" ? "true" : "false",
        });
        if (!this.add(findings, finding)) break;
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

  private readonly shapes = new Map<unknown, StrictShape>();

  /**
   * What strict mode needs to know of the schemas a value may meet, worked out once per set of
   * schemas and kept: the walk then costs the same for every element of a long list.
   */
  private shapeOf(schemas: unknown[]): StrictShape {
    const id = schemas.length === 1 ? schemas[0] : undefined;
    const cached = id !== undefined ? this.shapes.get(id) : undefined;
    if (cached) return cached;
    const all = this.branches(schemas);
    const properties = new Map<string, unknown[]>();
    let open = false;
    for (const s of all) {
      const props = s.properties as Record<string, unknown> | undefined;
      if (props) for (const [k, v] of Object.entries(props)) properties.set(k, [...(properties.get(k) ?? []), v]);
      if (s.additionalProperties && typeof s.additionalProperties === "object") open = true;
    }
    const items = all.map((s) => s.items).filter(Boolean);
    const titles = new Set(all.map((s) => s.title));
    const children = new Map<string, StrictShape>();
    const shape: StrictShape = {
      empty: all.length === 0,
      known: [...properties.keys()],
      open,
      child: (key) => {
        let c = children.get(key);
        if (!c) {
          const sub = properties.get(key);
          if (!sub) return undefined;
          c = this.shapeOf(sub);
          children.set(key, c);
        }
        return c;
      },
      items: () => (shape.itemShape ??= this.shapeOf(items)),
      blankable: titles.has("Blank") || all.some((s) => ([] as unknown[]).concat(s.type ?? []).includes("null")),
      binaryFlag: titles.has("BinaryFlag"),
      documentDate: titles.has("DocumentDate"),
      numeric:
        !titles.has("BinaryFlag") &&
        !titles.has("SendOptions") &&
        all.some((s) => {
          const first = ([] as unknown[]).concat(s.type ?? [])[0];
          return first === "number" || first === "integer";
        }),
    };
    if (id !== undefined && this.shapes.size < 10_000) this.shapes.set(id, shape);
    return shape;
  }

  private walkStrict(shape: StrictShape, value: unknown, at: string, findings: StrictFinding[]): boolean {
    if (shape.empty) return true;
    if (Array.isArray(value)) {
      const items = shape.items();
      for (let i = 0; i < value.length; i++)
        if (!this.walkStrict(items, value[i], `${at}[${i}]`, findings)) return false;
      return true;
    }
    if (value && typeof value === "object") {
      if (shape.known.length === 0) return true;
      for (const key of Object.keys(value)) {
        const sub = shape.child(key);
        if (sub) {
          if (!this.walkStrict(sub, (value as Record<string, unknown>)[key], `${at}.${key}`, findings)) return false;
          continue;
        }
        if (shape.open) continue;
        const near = closest(key, shape.known);
        const finding = own(
          `${at}.${key}`,
          "unknownKey",
          `is not a field the API knows; the server ignores it${near ? ` (did you mean "${near}"?)` : ""}`,
          near ? { suggestion: near } : {},
        );
        finding.params = { name: key.length > 200 ? `${key.slice(0, 200)}…` : key };
        if (!this.add(findings, finding)) return false;
      }
      return true;
    }
    if (value === null || value === "") {
      if (shape.blankable)
        return this.add(findings, own(at, "blank", "is blank; the server treats it as absent (leave it out)"));
      return true;
    }
    if (typeof value === "boolean" && shape.binaryFlag) {
      return this.add(
        findings,
        own(at, "flagAsBoolean", "is a boolean; the API writes this flag 1 or 0", { suggestion: value ? "1" : "0" }),
      );
    }
    if (typeof value === "string") {
      const date = shape.documentDate ? parseApiDate(value) : undefined;
      if (date?.short) {
        return this.add(
          findings,
          own(at, "shortDate", "is a d/m/yyyy date; the canonical form is dd/mm/yyyy", { suggestion: date.canonical }),
        );
      }
      if (shape.numeric && value.length <= 64 && /^-?\d+(\.\d+)?$/.test(value)) {
        return this.add(
          findings,
          own(at, "numberAsString", "is a number written as a string; the server converts it", {
            suggestion: String(Number(value)),
          }),
        );
      }
    }
    return true;
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
        if (param.required) issues.push(own(at, "required", blank ? "is required, and is blank" : "is required"));
        continue;
      }
      this.check(pointer, coerce(raw, param.schema), at, issues);
    }
    if (request.requireApiKey && !query.has("api_key")) {
      issues.push(own("query.api_key", "apiKey", "is required (the API key travels in the query string)"));
    }
    const body = route.operation.requestBody as Record<string, unknown> | undefined;
    const bodyPointer = body && typeof body.$ref === "string" ? String(body.$ref) : `${route.pointer}/requestBody`;
    const resolvedBody = body && typeof body.$ref === "string" ? this.resolveRef(body) : body;
    const requestBody = request.body === "" ? undefined : request.body;
    if (resolvedBody) {
      const content = resolvedBody.content as Record<string, unknown> | undefined;
      if (requestBody === undefined) {
        if (resolvedBody.required) issues.push(own("body", "required", "is required"));
      } else if (content?.["application/json"]) {
        this.check(`${bodyPointer}/content/application~1json/schema`, requestBody, "body", issues);
      }
    } else if (requestBody !== undefined && !isEmptyObject(requestBody)) {
      // `{}` is what JSON clients send by default on a body-less PUT (cookiebytespt/n8n-invoiceXpress
      // sends its empty "Body (JSON)" field); the server ignores it.
      issues.push(own("body", "body", "must be absent: the operation takes no body"));
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
          own(
            "status",
            "status",
            `${code} is not a documented response (documented: ${Object.keys(responses).join(", ")})`,
          ),
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
        issues.push(own("body", "body", `must be empty: response ${key} documents no body`));
      } else {
        this.check(`${pointer}/content/application~1json/schema`, body, "body", issues);
      }
    } else if (content?.["application/json"] && code.startsWith("2") && code !== "202") {
      issues.push(own("body", "body", `is empty, but response ${key} documents a body`));
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

/** Checks a response against the bundled InvoiceXpress description. */
export function validateResponse(response: ResponseToValidate): ValidationResult {
  return defaultValidator().validateResponse(response);
}
