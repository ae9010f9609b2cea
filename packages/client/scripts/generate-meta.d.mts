export interface SpecMeta {
  sensitiveFields: string[];
  proprietaryUidPaths: string[];
}
export function collectMeta(spec: unknown): SpecMeta;
export function renderMeta(meta: SpecMeta): string;
