import createFetchClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/schema.js";

export type { paths, components, operations } from "./generated/schema.js";

/** Options of {@link createClient}. Give `accountName` or `baseUrl`, not both. */
export interface ClientOptions {
  /** The account's sub-domain: requests go to `https://<accountName>.app.invoicexpress.com`. */
  accountName?: string;
  /** The account's API key, added as the `api_key` query parameter to every request. */
  apiKey: string;
  /** Another base URL, such as a mock (`http://127.0.0.1:4010`). */
  baseUrl?: string;
  /** The `fetch` to use. Defaults to `globalThis.fetch`, looked up on every call. */
  fetch?: typeof fetch;
}

/** A typed client: `client.GET("/clients.json", …)`, `client.POST("/invoices.json", …)`, … */
export type InvoiceXpressClient = Client<paths>;

const ACCOUNT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Builds `https://<accountName>.app.invoicexpress.com`, refusing names that are not a DNS label. */
export function accountBaseUrl(accountName: string): string {
  if (typeof accountName !== "string" || !ACCOUNT_NAME.test(accountName)) {
    throw new TypeError(
      `createClient: accountName must be the account's sub-domain (letters, digits and hyphens), got ${JSON.stringify(accountName)}`,
    );
  }
  return `https://${accountName.toLowerCase()}.app.invoicexpress.com`;
}

function resolveBaseUrl(options: ClientOptions): string {
  if (options.accountName !== undefined && options.baseUrl !== undefined) {
    throw new TypeError("createClient: give accountName or baseUrl, not both");
  }
  if (options.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new TypeError(`createClient: baseUrl is not a valid URL: ${JSON.stringify(options.baseUrl)}`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new TypeError(`createClient: baseUrl must be an http(s) URL, got ${url.protocol}`);
    }
    if (url.search || url.hash || url.username || url.password) {
      throw new TypeError("createClient: baseUrl must not carry a query string, fragment or credentials");
    }
    return url.href.replace(/\/+$/, "");
  }
  if (options.accountName !== undefined) return accountBaseUrl(options.accountName);
  throw new TypeError("createClient: accountName (or baseUrl) is required");
}

/**
 * Wraps `fetch` so that the API key is added to the URL at the last moment, beneath every
 * middleware: middleware and their logs only ever see URLs without the key.
 */
export function withApiKey(apiKey: string, baseFetch?: typeof fetch): typeof fetch {
  return (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    url.searchParams.set("api_key", apiKey);
    return (baseFetch ?? globalThis.fetch)(new Request(url, request));
  };
}

/** Creates a typed InvoiceXpress client. */
export function createClient(options: ClientOptions): InvoiceXpressClient {
  if (options === null || typeof options !== "object") {
    throw new TypeError("createClient: options are required ({ accountName, apiKey })");
  }
  if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
    throw new TypeError("createClient: apiKey must be a non-empty string");
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new TypeError("createClient: fetch must be a function");
  }
  const baseUrl = resolveBaseUrl(options);
  return createFetchClient<paths>({ baseUrl, fetch: withApiKey(options.apiKey, options.fetch) });
}
