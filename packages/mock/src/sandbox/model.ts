/**
 * What the sandbox knows of the API, read from the spec once: the document kinds (their path
 * segment, response root key and family key, from the paths, `x-root-aliases` and the
 * `DocumentType` enum), the family lists that hold them (the `type` enums of the list
 * operations), the operations of each kind, the state machines (`x-transitions` on each
 * change-state operation) and the counters a series shows. Nothing here is a second table:
 * a document type the spec describes is a document type the sandbox serves.
 */
import {
  listOperations,
  loadSpec,
  type OpenAPIDocument,
  type OperationEntry,
  operationParameters,
  deref as toolkitDeref,
} from "@ixpress/openapi";

/** One row of a state machine: the status left, the event sent, the status reached. */
export interface TransitionRow {
  from: string;
  event: string;
  to: string;
  /** A field the event needs (`message` to cancel), refused with `refusal` when blank. */
  requires?: string;
  refusal?: string;
}

/** A change-state operation's machine, as its `x-transitions` says. */
export interface Machine {
  /** The API's message for a transition not in `rows`. */
  refusal: string;
  /** Events the family's body schema carries that this type refuses from every status. */
  refuses?: string[];
  rows: TransitionRow[];
}

/** The operations a document kind has, by what they do (absent when the spec has none). */
export interface KindOperations {
  list?: string;
  create?: string;
  get?: string;
  update?: string;
  change?: string;
  send?: string;
}

export interface KindInfo {
  /** The response root key (`credit_note`). */
  kind: string;
  /** The `type` field of responses (`CreditNote`). */
  type: string;
  /** URL segment (`credit_notes`). */
  segment: string;
  /** The request root key of the family (`invoice`, `quote`, `shipping`, …). */
  familyKey: string;
  /** The family list that holds the kind (`invoices`, `estimates`, `guides`, `purchase_orders`). */
  family: string;
  ops: KindOperations;
  /** The path parameter naming the document (`document-id`, `receipt-id`). */
  idParam: string;
  /** Whether update and change-state answer with the document (purchase orders answer empty). */
  answersBody: { update: boolean; change: boolean };
}

/** A family list operation and the types it holds. */
export interface FamilyList {
  operationId: string;
  /** Its response root key and family name (`invoices`). */
  key: string;
  types: string[];
}

export interface SandboxModel {
  kinds: KindInfo[];
  byType: ReadonlyMap<string, KindInfo>;
  families: FamilyList[];
  /** Machine per document type (types without a change-state operation have none). */
  machines: ReadonlyMap<string, Machine>;
  /** The document kinds a series keeps a `current_<kind>_number` for, in the spec's order. */
  sequenceKinds: string[];
  /** Every status a document can be in (`DocumentStatus`). */
  statuses: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: the spec's JSON, read by the shape OpenAPI gives it
type Json = Record<string, any>;

/** A node with its `$ref` chain followed (`{}` when it dangles). */
const deref = (spec: OpenAPIDocument, node: unknown): Json => toolkitDeref<Json>(spec, node) ?? {};

const pascal = (s: string) => s.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/** The response root keys of an operation's success answer. */
function rootKeys(spec: OpenAPIDocument, op: Json): string[] {
  const ok = deref(spec, op.responses?.["200"] ?? op.responses?.["201"]);
  const schema = deref(spec, ok.content?.["application/json"]?.schema);
  const aliases = schema["x-root-aliases"] as string[] | undefined;
  return aliases ?? Object.keys(schema.properties ?? {});
}

const hasBody = (spec: OpenAPIDocument, op: Json | undefined) =>
  op !== undefined && deref(spec, op.responses?.["200"]).content !== undefined;

/** Reads the model from a spec (the bundled one by default). */
export function readModel(spec: OpenAPIDocument = loadSpec()): SandboxModel {
  const schemas = (spec.components?.schemas ?? {}) as Json;
  const documentTypes = new Set<string>(deref(spec, schemas.DocumentType).enum ?? []);
  const statuses: string[] = deref(spec, schemas.DocumentStatus).enum ?? [];
  const ops = listOperations(spec);
  const at = (method: string, path: string): OperationEntry | undefined =>
    ops.find((o) => o.method === method && o.path === path);

  const families: FamilyList[] = [];
  for (const o of ops) {
    if (o.method !== "get" || !/^\/[a-z_]+\.json$/.test(o.path)) continue;
    const typeParam = operationParameters(spec, o.path, o.method).find(
      (p) => p.in === "query" && (p.name === "type[]" || p.name === "type"),
    );
    if (!typeParam) continue;
    const schema = deref(spec, typeParam.schema);
    const types = (deref(spec, schema.items ?? schema).enum ?? []) as string[];
    families.push({ operationId: o.operationId, key: o.path.slice(1, -".json".length), types });
  }

  const kinds: KindInfo[] = [];
  for (const o of ops) {
    const m = /^\/([a-z_]+)s\/\{([a-z-]+)\}\.json$/.exec(o.path);
    if (o.method !== "get" || !m) continue;
    const [, singular, idParam] = m as unknown as [string, string, string];
    const type = pascal(singular);
    if (!documentTypes.has(type)) continue;
    const segment = `${singular}s`;
    const roots = rootKeys(spec, o.operation);
    const family = families.find((f) => f.types.includes(type));
    if (!family || !roots.includes(singular)) continue;
    const id = `/${segment}/{${idParam}}`;
    const update = at("put", `${id}.json`);
    const change = at("put", `${id}/change-state.json`);
    const opIds: KindOperations = {
      list: at("get", `/${segment}.json`)?.operationId,
      create: at("post", `/${segment}.json`)?.operationId,
      get: o.operationId,
      update: update?.operationId,
      change: change?.operationId,
      send: at("put", `${id}/email-document.json`)?.operationId,
    };
    for (const k of Object.keys(opIds) as Array<keyof KindOperations>) if (!opIds[k]) delete opIds[k];
    kinds.push({
      kind: singular,
      type,
      segment,
      familyKey: roots[roots.length - 1]!,
      family: family.key,
      ops: opIds,
      idParam,
      answersBody: { update: hasBody(spec, update?.operation), change: hasBody(spec, change?.operation) },
    });
  }
  // Kinds the spec lists but does not serve one by one (VAT MOSS invoices): seeds and lists only.
  for (const o of ops) {
    const m = /^\/([a-z_]+)s\.json$/.exec(o.path);
    if (o.method !== "get" || !m || kinds.some((k) => k.segment === `${m[1]}s`)) continue;
    const type = pascal(m[1]!);
    const family = families.find((f) => f.types.includes(type));
    if (!documentTypes.has(type) || !family) continue;
    kinds.push({
      kind: m[1]!,
      type,
      segment: `${m[1]}s`,
      familyKey: m[1]!,
      family: family.key,
      ops: { list: o.operationId },
      idParam: "document-id",
      answersBody: { update: false, change: false },
    });
  }

  const machines = new Map<string, Machine>();
  for (const k of kinds) {
    const change = k.ops.change ? ops.find((o) => o.operationId === k.ops.change) : undefined;
    const machine = change?.operation["x-transitions"] as Machine | undefined;
    if (machine) machines.set(k.type, machine);
  }

  const sequence = deref(spec, schemas.Sequence);
  const sequenceKinds = Object.keys(sequence.properties ?? {})
    .map((p) => /^current_(.+)_number$/.exec(p)?.[1])
    .filter((k): k is string => k !== undefined);

  return {
    kinds,
    byType: new Map(kinds.map((k) => [k.type, k])),
    families,
    machines,
    sequenceKinds,
    statuses,
  };
}

let cached: SandboxModel | undefined;

/** The model of the bundled spec, read once. */
export function model(): SandboxModel {
  cached ??= readModel();
  return cached;
}
