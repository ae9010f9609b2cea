// Code samples for every operation, generated from the operation's own examples, so they
// cannot drift from the spec:
//   - TypeScript with @ixpress/client (type-checked by the docs tests),
//   - curl (sent to the mock by the docs tests).
// One TypeScript and one curl sample per named request-body example (one pair when the operation
// has no body), labelled with the example's summary. An operation that answers 202 is polled
// with `poll`. Parameters take their `example`; a required parameter or body without an
// example is an error, so a new operation cannot ship without samples.

import { deref, HTTP_METHODS, listOperations as operationsOf } from "@ixpress/openapi";

export { HTTP_METHODS };
/** The base URL the samples use: the spec's server with its default account name. */
export const SAMPLE_ACCOUNT = "your-account";
export const SAMPLE_BASE_URL = `https://${SAMPLE_ACCOUNT}.app.invoicexpress.com`;
/** How every TypeScript sample creates its client (the tests swap it for the mock). */
export const TS_CLIENT_LINE = `const ix = createClient({\n  accountName: "${SAMPLE_ACCOUNT}",\n  apiKey: process.env.IX_API_KEY!,\n});`;

/** Follows local `$ref`s with the spec toolkit; one that is not local, dangles or loops is an error. */
function resolver(spec) {
  return (node) => deref(spec, node, { strict: true });
}

/**
 * Every operation of the spec, in path order: { path, method, operationId, operation, pathItem, … }.
 * The scripts and their tests read the operation object freely (tags, responses, x-codeSamples).
 * @returns {Array<import("@ixpress/openapi").OperationEntry & { operation: any }>}
 */
export function listOperations(spec) {
  return operationsOf(spec);
}

function exampleOf(param, deref) {
  if (param.example !== undefined) return param.example;
  const named = Object.values(param.examples ?? {});
  if (named.length > 0) return deref(named[0]).value;
  const schema = param.schema ? deref(param.schema) : {};
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  return schema.default;
}

/** The inputs of one sample: parameters by location and the named body examples. */
export function sampleInputs(spec, op) {
  const deref = resolver(spec);
  const where = `${op.method.toUpperCase()} ${op.path} (${op.operationId})`;
  const params = [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])].map(deref);
  const byName = new Map(params.map((p) => [`${p.in}:${p.name}`, p])); // operation-level wins
  const path = {};
  const query = {};
  for (const p of byName.values()) {
    if (p.in !== "path" && p.in !== "query") continue;
    const value = exampleOf(p, deref);
    if (value === undefined) {
      if (p.required) throw new Error(`samples: ${where}: required ${p.in} parameter "${p.name}" has no example`);
      continue;
    }
    (p.in === "path" ? path : query)[p.name] = value;
  }
  for (const [, name] of op.path.matchAll(/\{([^}]+)\}/g)) {
    if (!(name in path)) throw new Error(`samples: ${where}: path parameter "${name}" has no example`);
  }
  let bodies = [];
  if (op.operation.requestBody) {
    const body = deref(op.operation.requestBody);
    const media = body.content?.["application/json"];
    if (media?.examples) {
      bodies = Object.entries(media.examples).map(([name, ex]) => {
        const e = deref(ex);
        return { name, summary: e.summary ?? name, value: e.value };
      });
    } else if (media?.example !== undefined) {
      bodies = [{ name: "example", summary: "example", value: media.example }];
    }
    if (bodies.length === 0 && body.required) throw new Error(`samples: ${where}: the request body has no example`);
  }
  return { path, query, bodies };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JavaScript literal for a JSON value, with unquoted keys where possible, indented. */
export function tsLiteral(value, indent = "") {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((v) => v === null || typeof v !== "object")) {
      const flat = `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
      if (flat.length + indent.length < 90) return flat;
    }
    return `[\n${value.map((v) => `${inner}${tsLiteral(v, inner)},`).join("\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const key = (k) => (IDENTIFIER.test(k) ? k : JSON.stringify(k));
    const flat = `{ ${entries.map(([k, v]) => `${key(k)}: ${tsLiteral(v, "")}`).join(", ")} }`;
    if (!flat.includes("\n") && flat.length + indent.length < 80) return flat;
    const lines = entries.map(([k, v]) => `${inner}${key(k)}: ${tsLiteral(v, inner)},`);
    return `{\n${lines.join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** Whether an operation answers 202 (work started, send the same request again). */
export function isPolled(op) {
  return Object.keys(op.operation.responses ?? {}).includes("202");
}

/** The TypeScript sample: a complete module using @ixpress/client. */
export function typescriptSample(op, inputs, body) {
  const params = {};
  if (Object.keys(inputs.path).length > 0) params.path = inputs.path;
  if (Object.keys(inputs.query).length > 0) params.query = inputs.query;
  const init = {};
  if (Object.keys(params).length > 0) init.params = params;
  if (body) init.body = body.value;
  const args =
    Object.keys(init).length > 0 ? `${JSON.stringify(op.path)}, ${tsLiteral(init)}` : JSON.stringify(op.path);
  const call = `ix.${op.method.toUpperCase()}(${args})`;
  if (isPolled(op)) {
    return [
      `import { createClient, poll } from "@ixpress/client";`,
      ``,
      TS_CLIENT_LINE,
      ``,
      `// 202 means "started, not finished": poll sends the same request again until it is not 202.`,
      `const { data, response } = await poll(() => ${call.replace(/\n/g, "\n  ")}, { intervalMs: 1000, maxAttempts: 30 });`,
      `if (!response.ok) throw new Error(\`InvoiceXpress answered \${response.status}\`);`,
      `console.log(response.status, data);`,
      ``,
    ].join("\n");
  }
  return [
    `import { createClient } from "@ixpress/client";`,
    ``,
    TS_CLIENT_LINE,
    ``,
    `const { data, response } = await ${call};`,
    `// Many answers have an empty body: look at the status first.`,
    `if (!response.ok) throw new Error(\`InvoiceXpress answered \${response.status}\`);`,
    `console.log(response.status, data);`,
    ``,
  ].join("\n");
}

// Query values: percent-encoded, but keep the characters that are harmless inside a
// double-quoted shell word and easier to read as they are.
function encodeQueryValue(value) {
  return encodeURIComponent(String(value)).replace(/%2F/g, "/").replace(/%3A/g, ":").replace(/%2C/g, ",");
}

/** The query string of the samples: arrays as repeated keys, brackets left as they are. */
export function queryString(query) {
  const parts = [];
  for (const [name, value] of Object.entries(query)) {
    const key = encodeURIComponent(name).replace(/%5B/g, "[").replace(/%5D/g, "]");
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${key}=${encodeQueryValue(v)}`);
  }
  return parts.join("&");
}

/** The curl sample: the key comes from $IX_API_KEY, the body from a here-document. */
export function curlSample(op, inputs, body) {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name) => encodeURIComponent(String(inputs.path[name])));
  const query = queryString(inputs.query);
  const url = `${SAMPLE_BASE_URL}${path}?${query ? `${query}&` : ""}api_key=$IX_API_KEY`;
  const lines = [`curl -g -X ${op.method.toUpperCase()} "${url}"`, `  -H 'Accept: application/json'`];
  if (body) {
    lines.push(`  -H 'Content-Type: application/json'`, `  --data-binary @- <<'JSON'`);
    return `${lines.join(" \\\n")}\n${JSON.stringify(body.value, null, 2)}\nJSON\n`;
  }
  return `${lines.join(" \\\n")}\n`;
}

/**
 * The samples of one operation: [{ lang, label, source, example, summary }], a TypeScript and
 * a curl sample for each named request example (one pair when there is no body). The label
 * names the example, so the reader who picks "Cancel" sees the cancel body.
 */
export function operationSamples(spec, op) {
  const inputs = sampleInputs(spec, op);
  const bodies = inputs.bodies.length > 0 ? inputs.bodies : [undefined];
  const several = bodies.length > 1;
  return bodies.flatMap((body) => {
    const suffix = several ? `: ${body.summary}` : "";
    const common = { example: body?.name ?? null, summary: body?.summary ?? null };
    return [
      { lang: "TypeScript", label: `TypeScript${suffix}`, source: typescriptSample(op, inputs, body), ...common },
      { lang: "curl", label: `curl${suffix}`, source: curlSample(op, inputs, body), ...common },
    ];
  });
}

/** Every sample of the spec, flattened, with its operation. */
export function allSamples(spec) {
  return listOperations(spec).flatMap((op) => operationSamples(spec, op).map((s) => ({ ...s, op })));
}

/**
 * A copy of the spec with `x-codeSamples` on every operation (the bundled spec itself is
 * left as it is: it stays the pure description).
 */
export function decorate(spec) {
  const copy = structuredClone(spec);
  for (const op of listOperations(copy)) {
    op.operation["x-codeSamples"] = operationSamples(copy, op).map(({ lang, label, source }) => ({
      lang,
      label,
      source,
    }));
  }
  return copy;
}
