// Shared by the sandbox tests: a client whose every answer is checked against the spec's
// response schema, and the operations those answers covered.
// @ixpress/client is read from its source (it has this package as a dev dependency; a
// dependency back would be a cycle in the workspace).
import { SpecValidator } from "@ixpress/openapi/validate";
import { createClient, unwrap } from "../../client/src/index.js";
import type { RunningMock } from "../src/index.js";

export { unwrap };

const validator = new SpecValidator();

export interface Checked {
  /** Every answer that did not validate, with its request and the reasons. */
  invalid: string[];
  /** operationId → statuses seen, for the answers the sandbox gave itself. */
  covered: Map<string, Set<number>>;
  /** Answers by source (`stateful`, `stateless-fallback`, …). */
  sources: Map<string, number>;
}

export function checked(): Checked {
  return { invalid: [], covered: new Map(), sources: new Map() };
}

/** A fetch that validates every JSON answer (and every empty one) against the response schema. */
export function validatingFetch(check: Checked): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const method = request.method;
    const response = await fetch(request);
    const url = new URL(request.url);
    const type = response.headers.get("content-type") ?? "";
    const source = response.headers.get("x-ixpress-sandbox") ?? "none";
    check.sources.set(source, (check.sources.get(source) ?? 0) + 1);
    if (url.pathname.startsWith("/__sandbox/")) return response;
    const text = await response.clone().text();
    let body: unknown;
    if (text !== "") body = /json/.test(type) ? JSON.parse(text) : text;
    const result = validator.validateResponse({
      method,
      path: url.pathname + url.search,
      status: response.status,
      body,
    });
    if (!result.valid) {
      check.invalid.push(`${method} ${url.pathname} → ${response.status}: ${result.errors.join("; ")}`);
    }
    if (source === "stateful" && result.operationId) {
      const seen = check.covered.get(result.operationId) ?? new Set<number>();
      seen.add(response.status);
      check.covered.set(result.operationId, seen);
    }
    return response;
  };
}

export function sandboxClient(mock: RunningMock, check: Checked) {
  return createClient({
    baseUrl: mock.url,
    apiKey: "test-key",
    retry: false,
    rateLimit: false,
    fetch: validatingFetch(check),
  });
}

/** A raw call through the validating fetch, for what the typed client makes awkward. */
export async function raw(
  mock: RunningMock,
  check: Checked,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any; headers: Headers }> {
  const sep = path.includes("?") ? "&" : "?";
  const res = await validatingFetch(check)(`${mock.url}${path}${sep}api_key=test-key`, {
    method,
    headers: body !== undefined ? { "content-type": "application/json" } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === "" ? undefined : /json/.test(res.headers.get("content-type") ?? "") ? JSON.parse(text) : text,
  };
}

/** A document body for any family, with a client and lines. */
export function documentBody(
  familyKey: string,
  lines: Array<Record<string, unknown>> = [
    { name: "Consulting", description: "Hours of consulting", unit_price: "50", quantity: "2", tax: { name: "IVA23" } },
  ],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const base: Record<string, unknown> = {
    date: "01/12/2026",
    due_date: "31/12/2026",
    client: { name: "Acme Lda", code: "ACME" },
    items: lines,
    ...extra,
  };
  if (familyKey === "shipping") {
    Object.assign(base, {
      loaded_at: "15/12/2026 10:00:00",
      address_from: { detail: "Rua A, 1", city: "Lisboa", postal_code: "1000-001", country: "Portugal" },
      address_to: { detail: "Rua B, 2", city: "Porto", postal_code: "4000-001", country: "Portugal" },
      ...extra,
    });
  }
  if (familyKey === "purchase_order") Object.assign(base, { loaded_at: "15/12/2026", ...extra });
  return { [familyKey]: base };
}
