import { deref, type OpenAPIDocument, resolvePointer } from "@ixpress/openapi";

type Json = Record<string, unknown>;

/** Keys an agent does not need to fill in an argument: examples, evidence, validator-only titles. */
const DROPPED = new Set(["examples", "example", "title", "$comment", "if", "then", "else", "readOnly", "xml"]);

/** Longest description kept, in characters (cut at a sentence end when there is one). */
const DESCRIPTION_LIMIT = 160;

/** An enum longer than this (the 251 country names) is described, not listed: the validators still check it. */
const ENUM_LIMIT = 40;

/** The first sentence(s) of a description's first paragraph, as one line, at most {@link DESCRIPTION_LIMIT} characters. */
export function trimDescription(text: string, limit = DESCRIPTION_LIMIT, sentences = 1): string {
  let flat = text
    .split(/\n\s*\n/)[0]!
    .replace(/\s+/g, " ")
    .trim();
  const ends = [...flat.matchAll(/\. (?=[A-Z`(*])/g)];
  if (ends.length >= sentences) flat = flat.slice(0, ends[sentences - 1]!.index + 1);
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit);
  const end = cut.lastIndexOf(". ");
  return end > limit / 3 ? cut.slice(0, end + 1) : `${cut.slice(0, limit - 1).trimEnd()}…`;
}

const isBlank = (node: Json | undefined) => node?.title === "Blank";

/** Merges `allOf` parts that are plain object schemas (properties and required lists joined). */
function mergeAllOf(node: Json, parts: Json[]): Json {
  const merged: Json = { ...node };
  delete merged.allOf;
  const properties: Record<string, unknown> = { ...((merged.properties as Json | undefined) ?? {}) };
  const required = new Set<string>((merged.required as string[] | undefined) ?? []);
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === "properties") {
        for (const [name, schema] of Object.entries(value as Json)) {
          const before = properties[name] as Json | undefined;
          properties[name] = before && before !== schema ? { ...before, ...(schema as Json) } : schema;
        }
      } else if (key === "required") {
        for (const name of value as string[]) required.add(name);
      } else if (key === "description") {
        merged.description ??= value;
      } else if (!(key in merged)) {
        merged[key] = value;
      }
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

/**
 * A JSON Schema for an agent, from a schema of the description: `$ref`s inlined (a schema that
 * refers back to itself stops at `{ "type": "object" }`), `allOf` parts merged, the `Blank`
 * alternatives (`null` or `""`, which the server reads as absent) left out, conditional rules,
 * examples and titles dropped, and descriptions cut to their first sentences. What the schema no
 * longer says, the validators still check before anything is sent.
 */
export function compactSchema(spec: OpenAPIDocument, node: unknown, seen: readonly string[] = []): Json {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return {};
  let n = node as Json;
  if (typeof n.$ref === "string") {
    const ref = n.$ref;
    if (seen.includes(ref)) return { type: "object" };
    const { $ref: _, ...siblings } = n;
    const target = compactSchema(spec, resolvePointer(spec, ref) ?? {}, [...seen, ref]);
    return Object.keys(siblings).length > 0 ? { ...target, ...compactSchema(spec, siblings, [...seen, ref]) } : target;
  }
  const out: Json = {};
  let enumNote: string | undefined;
  for (const [key, value] of Object.entries(n)) {
    if (DROPPED.has(key) || key.startsWith("x-")) continue;
    if (key === "description" && typeof value === "string") out.description = trimDescription(value);
    else if (key === "enum" && Array.isArray(value) && value.length > ENUM_LIMIT) {
      const shown = value
        .slice(0, 5)
        .map((v) => JSON.stringify(v))
        .join(", ");
      enumNote = `One of ${value.length} values: ${shown}, …`;
    } else if (key === "properties" || key === "patternProperties" || key === "$defs") {
      const props: Json = {};
      for (const [name, schema] of Object.entries(value as Json)) props[name] = compactSchema(spec, schema, seen);
      out[key] = props;
    } else if (key === "items" || key === "additionalProperties" || key === "not" || key === "contains") {
      out[key] = typeof value === "object" ? compactSchema(spec, value, seen) : value;
    } else if (key === "prefixItems") {
      out[key] = (value as unknown[]).map((v) => compactSchema(spec, v, seen));
    } else if (key === "allOf" || key === "anyOf" || key === "oneOf") {
      const parts = (value as unknown[])
        .map((v) => compactSchema(spec, v, seen))
        .filter((p, i) => !(key !== "allOf" && isBlank(deref(spec, (value as unknown[])[i]))) && p);
      out[key] = parts;
    } else out[key] = value;
  }
  if (enumNote) out.description = out.description ? `${out.description} ${enumNote}` : enumNote;
  n = out;
  for (const key of ["anyOf", "oneOf"] as const) {
    const parts = n[key] as Json[] | undefined;
    if (parts?.length === 1) {
      const { [key]: _, ...rest } = n;
      n = { ...parts[0], ...rest, description: rest.description ?? parts[0]!.description };
      if (n.description === undefined) delete n.description;
    }
  }
  const allOf = n.allOf as Json[] | undefined;
  if (allOf?.every((p) => !p.anyOf && !p.oneOf && !p.allOf)) n = mergeAllOf(n, allOf!);
  return n;
}
