import { errorFromResponse, InvoiceXpressError } from "./errors.js";
import type { paths } from "./generated/schema.js";
import type { InvoiceXpressClient } from "./index.js";

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

/** Options of {@link paginate}. */
export interface PaginateOptions {
  /** Stops the iteration between pages and aborts the request in flight. */
  signal?: AbortSignal;
  /** Stop after this many pages even if `total_pages` says there are more. Default: no limit. */
  maxPages?: number;
}

type PaginateArgs<P extends PaginatedPath> =
  PathParamsOf<P> extends undefined
    ? [query?: QueryOf<P>, options?: PaginateOptions]
    : [query: QueryOf<P> | undefined, options: PaginateOptions & { path: PathParamsOf<P> }];

/**
 * Iterates over every item of a paginated list, page after page, until
 * `pagination.total_pages`. The first page is `query.page` (default 1). A failed page throws an
 * {@link InvoiceXpressError}.
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
  let page = Number(q.page ?? 1);
  for (let pages = 1; ; pages++) {
    const get = client.GET as (
      path: string,
      init: unknown,
    ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    const { data, error, response } = await get(path, {
      params: { query: { ...q, page }, path: opts.path },
      signal: opts.signal,
    });
    if (!response.ok) throw errorFromResponse(response, error);
    const body = (data ?? {}) as Record<string, unknown> & { pagination?: { total_pages?: unknown } };
    const key = Object.keys(body).find((k) => k !== "pagination" && Array.isArray(body[k]));
    const items = (key ? body[key] : []) as PageItem<P>[];
    yield* items;
    const total = Number(body.pagination?.total_pages);
    if (!(page < total) || items.length === 0 || (opts.maxPages !== undefined && pages >= opts.maxPages)) return;
    if (opts.signal?.aborted)
      throw new InvoiceXpressError({ kind: "aborted", detail: "aborted by the caller's signal" });
    page++;
  }
}
