import { errorFromResponse } from "./errors.js";
import type { paths } from "./generated/schema.js";
import type { InvoiceXpressClient } from "./index.js";
import { abortedError } from "./sleep.js";

type GetOf<P> = P extends { get: infer O } ? O : never;
type JsonOk<O> = O extends { responses: { 200: { content: { "application/json": infer B } } } } ? B : never;

/** The 200 body of `GET path`. */
export type ListResponse<P extends keyof paths> = JsonOk<GetOf<paths[P]>>;

/** Every path whose `GET` answers 200 with a `pagination` object. */
export type PaginatedPath = {
  [P in keyof paths]: [ListResponse<P>] extends [never]
    ? never
    : "pagination" extends keyof ListResponse<P>
      ? P
      : never;
}[keyof paths];

type ItemsKey<B> = {
  [K in keyof B]-?: K extends "pagination" ? never : NonNullable<B[K]> extends readonly unknown[] ? K : never;
}[keyof B];

/** The type of one item of a paginated list (`Client` for `/clients.json`). */
export type PageItem<P extends PaginatedPath> =
  NonNullable<ListResponse<P>[ItemsKey<ListResponse<P>>]> extends readonly (infer I)[] ? I : never;

type Params<P extends keyof paths> = GetOf<paths[P]> extends { parameters: infer X } ? X : never;
type QueryOf<P extends keyof paths> = Params<P> extends { query?: infer Q } ? NonNullable<Q> : never;
type PathParamsOf<P extends keyof paths> =
  Params<P> extends { path: infer X } ? ([X] extends [never] ? undefined : X) : undefined;

/** The default of {@link PaginateOptions.maxPages}: 1000 pages. */
export const MAX_PAGES = 1000;

/** Options of {@link paginate}. */
export interface PaginateOptions {
  /** Stops the iteration between pages and aborts the request in flight. */
  signal?: AbortSignal;
  /**
   * Most pages fetched. Given: the iteration stops there quietly. Not given: at most {@link MAX_PAGES} (1000), and more
   * pages left then is an error (a server reporting an absurd `total_pages` would otherwise use up the account's rate
   * limit).
   */
  maxPages?: number;
}

type PaginateArgs<P extends PaginatedPath> =
  PathParamsOf<P> extends undefined
    ? [query?: QueryOf<P>, options?: PaginateOptions]
    : [query: QueryOf<P> | undefined, options: PaginateOptions & { path: PathParamsOf<P> }];

/**
 * Iterates over every item of a paginated list, page after page, until `pagination.total_pages`. The first page is
 * `query.page` (default 1). A failed page, a page that repeats the one before (same `current_page` or the same ids: a
 * server ignoring `page`) and more than the default `maxPages` throw an {@link InvoiceXpressError}.
 *
 * ```ts
 * for await (const client of paginate(ix, "/clients.json", { per_page: 100 })) console.log(client.name);
 * ```
 */
export async function* paginate<P extends PaginatedPath>(
  client: InvoiceXpressClient,
  path: P,
  ...[query, options]: PaginateArgs<P>
): AsyncGenerator<PageItem<P>, void, undefined> {
  const opts = (options ?? {}) as PaginateOptions & { path?: unknown };
  const q = { ...(query as Record<string, unknown> | undefined) };
  const maxPages = opts.maxPages ?? MAX_PAGES;
  const get = client.GET as (
    path: string,
    init: unknown,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
  let page = Number(q.page ?? 1);
  let lastPage: unknown;
  let lastIds = "";
  for (let pages = 1; ; pages++) {
    const { data, error, response } = await get(path, {
      params: { query: { ...q, page }, path: opts.path },
      signal: opts.signal,
    });
    if (!response.ok) throw errorFromResponse(response, error);
    const body = (data ?? {}) as Record<string, unknown> & { pagination?: Record<string, unknown> };
    const key = Object.keys(body).find((k) => k !== "pagination" && Array.isArray(body[k]));
    const items = (key ? body[key] : []) as PageItem<P>[];
    // A page that says it is the one before, or holds the same ids: the server ignored `page`.
    const current = body.pagination?.current_page ?? page;
    const ids = items.map((item) => (item as { id?: unknown } | null)?.id);
    const idList = ids.length > 0 && ids.every((id) => id != null) ? JSON.stringify(ids) : "";
    const stop = (detail: string) => errorFromResponse(response, undefined, "http", detail);
    if (pages > 1 && (current === lastPage || (idList !== "" && idList === lastIds)))
      throw stop(`page ${page} repeats page ${page - 1} (the server ignored \`page\`): stopped`);
    [lastPage, lastIds] = [current, idList];
    yield* items;
    const total = Number(body.pagination?.total_pages);
    if (!(page < total) || items.length === 0 || (pages >= maxPages && opts.maxPages !== undefined)) return;
    if (pages >= maxPages)
      throw stop(
        `stopped after ${pages} pages (maxPages, default ${MAX_PAGES}), total_pages says ${total}: pass maxPages to go further`,
      );
    if (opts.signal?.aborted) throw abortedError("GET", path, "aborted by the caller's signal");
    page++;
  }
}
