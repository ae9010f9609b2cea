import { type ClientOptions, createClient } from "../src/index.js";

/**
 * A client whose requests never leave the process: its fetch records every URL that would
 * reach the wire (API key included) and answers `body` as JSON with 200.
 */
export function recorder(body: unknown = {}, options: Partial<ClientOptions> = {}) {
  const urls: string[] = [];
  const client = createClient({
    accountName: "acme",
    apiKey: "k",
    ...options,
    fetch: async (input, init) => {
      urls.push(new Request(input, init).url);
      return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    },
  });
  /** The query string of the last request. */
  const query = () => new URL(urls.at(-1)!).search;
  return { client, urls, query };
}
