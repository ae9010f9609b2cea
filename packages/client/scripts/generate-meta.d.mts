export interface RootAlias {
  method: string;
  path: string;
  keys: [string, string];
}
export interface SpecMeta {
  sensitiveFields: string[];
  proprietaryUidPaths: string[];
  rootAliases?: RootAlias[];
  /** Paths marked `x-idempotent: false`, by upper-case method. */
  notIdempotent?: Record<string, string[]>;
}
export function collectMeta(spec: unknown): Required<SpecMeta>;
export function renderMeta(meta: SpecMeta): string;
