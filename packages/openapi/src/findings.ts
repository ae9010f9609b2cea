/**
 * Structured findings: what a validator found in a request or response, as data. The
 * validators' messages (`must be >= 0`) and the mock's plain-words messages
 * (`unit_price: must be at least 0, got -1`) are both rendered from the same finding; nothing
 * parses a message back.
 */

/** One thing found in a request or response, with the place it was found. */
export interface Finding {
  /** Where: `body`, `body.invoice.items[0].unit_price`, `query.page`, `path.document-id`, `status`, … */
  at: string;
  /**
   * What kind of finding: a JSON Schema keyword (`type`, `pattern`, `required`, `enum`,
   * `minimum`, …) or one of the validators' own: `operation` (no such operation), `parameter`
   * (a required parameter missing or blank), `apiKey`, `body` (a body that must be absent or is
   * missing), `status`, and in strict mode `unknownKey`, `unknownParameter`, `blank`,
   * `flagAsNumber`, `flagAsBoolean`, `shortDate`, `numberAsString`, `truncated`.
   */
  keyword: string;
  /** The keyword's details: `{ limit: 0, comparison: ">=" }`, `{ missingProperty: "name" }`, `{ got: "\"abc\"" }`… */
  params: Record<string, unknown>;
  /** A close known key, or the canonical form of the value. */
  suggestion?: string;
  /** The validator's words, e.g. `must be >= 0`. */
  message: string;
}

/** `body.client.email` → `client.email`; `query.page` → `page`; `body` → `the body`. */
export function placeOf(at: string): string {
  if (at === "body") return "the body";
  if (at.startsWith("body.")) return at.slice(5);
  if (at.startsWith("query.") || at.startsWith("path.")) return at.slice(at.indexOf(".") + 1);
  return at;
}

const FORMATS: Record<string, string> = {
  email: "must be an e-mail address",
  date: "must be a date written yyyy-mm-dd",
  "date-time": "must be a date and time (ISO 8601)",
  uri: "must be a URL",
  url: "must be a URL",
};
const TYPES: Record<string, string> = {
  integer: "a whole number",
  number: "a number",
  string: "text",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  null: "null",
};
const BOUNDS: Record<string, string> = { ">=": "at least", "<=": "at most", ">": "more than", "<": "less than" };

/** A finding as the validators write it: `body.invoice.items[0].unit_price: must be >= 0`. */
export function findingLine(finding: Finding): string {
  return `${finding.at}: ${finding.message}`;
}

/**
 * A finding in plain words, as the mock answers it: `client.email: must be an e-mail address,
 * got "foo"`, `client.name: is required`, `nmae: is not a field the API knows (did you mean "name"?)`.
 */
export function plainMessage(finding: Finding): string {
  const { keyword, params } = finding;
  const at = placeOf(finding.at);
  const got = typeof params.got === "string" ? `, got ${params.got}` : "";
  const under = at === "the body" ? "" : `${at}.`;
  switch (keyword) {
    case "required":
      if (typeof params.missingProperty === "string") return `${under}${params.missingProperty}: is required`;
      break;
    case "additionalProperties":
      return `${under}${String(params.additionalProperty)}: is not a known field`;
    case "format":
      if (params.title === undefined)
        return `${at}: ${FORMATS[String(params.format)] ?? `must be a valid ${String(params.format)}`}${got}`;
      break;
    case "pattern":
      if (params.title !== undefined) break;
      if (typeof params.got === "string" && /^"-?\d+,\d+"$/.test(params.got))
        return `${at}: use a dot as the decimal separator${got}`;
      return `${at}: is not written in the expected form${got}`;
    case "type": {
      const types = (Array.isArray(params.type) ? params.type : String(params.type).split(","))
        .map((t) => TYPES[String(t).trim()] ?? String(t).trim())
        .join(" or ");
      return `${at}: must be ${types}${got}`;
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `${at}: must be ${BOUNDS[String(params.comparison)] ?? String(params.comparison)} ${String(params.limit)}${got}`;
    case "maxLength":
      return `${at}: must be at most ${String(params.limit)} characters long${got}`;
    case "minLength":
      return `${at}: must be at least ${String(params.limit)} characters long${got}`;
    case "enum":
      return `${at}: ${finding.message}${got}`;
    case "oneOf":
    case "anyOf":
      return `${at}: does not match any of the accepted forms${got}`;
    case "unknownParameter":
      return `${at}: is not a parameter the API knows${finding.suggestion ? ` (did you mean "${finding.suggestion}"?)` : ""}`;
  }
  return `${at}: ${finding.message}`;
}
