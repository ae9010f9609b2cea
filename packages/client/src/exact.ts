// The client's method signatures, with exact bodies and parameters.
//
// openapi-fetch infers the whole `init` argument as a type parameter (`Init extends …`) and then
// adds `{ [key: string]: unknown }` to it, so TypeScript never checks an object literal's keys
// against the operation: `{ client: { name, code, emial } }` compiles (openapi-ts issue 1769).
// Here `init` is not inferred. Its type is computed from the path alone, so an object literal
// given for it is checked the usual way, at every depth: a key the operation does not declare is
// an error that names the key (and TypeScript suggests the nearest known one), while the literal
// is still contextually typed, so completion lists the fields. The only thing inferred from
// `init` is `parseAs`, a literal, which picks the type of `data`.

import type { FetchOptions, FetchResponse, Middleware, ParseAs } from "openapi-fetch";
import type { paths } from "./generated/schema.js";
import type { RootAliases } from "./generated/spec-meta.js";
import type { CallOptions } from "./transport.js";

/** The HTTP methods of a path item, as the generated `paths` spell them. */
export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

type MediaType = `${string}/${string}`;

/** Every path of the API that has an operation for `M` (`"post"` → `"/clients.json" | …`). */
export type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never;
}[keyof paths];

type OperationOf<P extends keyof paths, M extends HttpMethod> = paths[P] extends { [K in M]: infer O } ? O : never;

/**
 * What `init` may hold for `M path`: the operation's `params` and `body`, openapi-fetch's own
 * per-call options (`headers`, `signal`, `middleware`, `parseAs`, …) and the client's
 * {@link CallOptions} (`timeoutMs`, `retry`). Nothing else: no index signature.
 */
export type RequestInitOf<P extends keyof paths, M extends HttpMethod> = FetchOptions<OperationOf<P, M>> & CallOptions;

/** `[init?]` when every key of `init` is optional (the operation has no required body or path parameter), else `[init]`. */
type InitArgs<P extends keyof paths, M extends HttpMethod, A extends ParseAs> =
  Record<never, never> extends RequestInitOf<P, M>
    ? [init?: RequestInitOf<P, M> & { parseAs?: A }]
    : [init: RequestInitOf<P, M> & { parseAs?: A }];

/** The `[typeKey, familyKey]` of `M path` when it answers a document under either (`x-root-aliases`). */
type RootsOf<P, M> = P extends keyof RootAliases ? (M extends keyof RootAliases[P] ? RootAliases[P][M] : never) : never;

/**
 * `D` with both root keys present, each holding the document: what the client hands back for an
 * operation with `x-root-aliases` (it copies the root that arrived to the other key).
 */
export type WithBothRoots<D, K extends readonly [string, string]> = [D] extends [object]
  ? {
      [R in keyof D | K[number]]: R extends K[number]
        ? Exclude<D extends unknown ? (R extends keyof D ? D[R] : never) : never, undefined>
        : D[R & keyof D];
    }
  : D;

type Aliased<R, K> = [K] extends [never]
  ? R
  : [K] extends [readonly [string, string]]
    ? R extends { data: infer D }
      ? { [F in keyof R]: F extends "data" ? WithBothRoots<D, K> : R[F] }
      : R
    : R;

/** The result of `M path`: `{ data, response }` on success, `{ error, response }` otherwise. */
export type ResponseOf<
  P extends keyof paths,
  M extends HttpMethod,
  A extends ParseAs = "json",
  Media extends MediaType = MediaType,
> = [OperationOf<P, M>] extends [infer O extends Record<string | number, unknown>]
  ? A extends "json"
    ? Aliased<FetchResponse<O, { parseAs: A }, Media>, RootsOf<P, M>>
    : FetchResponse<O, { parseAs: A }, Media>
  : FetchResponse<Record<string | number, unknown>, { parseAs: A }, Media>; // a path typed `never`

/** `client.GET(path, init)` and the other methods: `init` is checked exactly. */
export type ExactMethod<M extends HttpMethod> = <P extends PathsWith<M>, A extends ParseAs = "json">(
  path: P,
  ...init: InitArgs<P, M, A>
) => Promise<ResponseOf<P, M, A>>;

/** `client.request(method, path, init)`, with the method in lower case as in the spec (`"post"`). */
export type ExactRequest = <M extends HttpMethod, P extends PathsWith<M>, A extends ParseAs = "json">(
  method: M,
  path: P,
  ...init: InitArgs<P, M, A>
) => Promise<ResponseOf<P, M, A>>;

/** A typed client: `client.GET("/clients.json", …)`, `client.POST("/invoices.json", …)`, … */
export interface InvoiceXpressClient {
  request: ExactRequest;
  GET: ExactMethod<"get">;
  PUT: ExactMethod<"put">;
  POST: ExactMethod<"post">;
  DELETE: ExactMethod<"delete">;
  OPTIONS: ExactMethod<"options">;
  HEAD: ExactMethod<"head">;
  PATCH: ExactMethod<"patch">;
  TRACE: ExactMethod<"trace">;
  /** Registers openapi-fetch middleware (then each call builds a real `Request`). */
  use(...middleware: Middleware[]): void;
  /** Removes middleware registered with {@link InvoiceXpressClient.use}. */
  eject(...middleware: Middleware[]): void;
}
