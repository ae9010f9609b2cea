// Types for scripts/breaking.mjs, so the tests can import it under `tsc --noEmit`.
export interface SpecChange {
  type: "breaking" | "non-breaking" | "annotation" | "unclassified" | "deprecated";
  /** `POST /clients.json`, or `security`. */
  operation: string;
  /** What changed, e.g. `request body client.email is now required`. */
  text: string;
  path: Array<string | number>;
}
export interface GateResult {
  ok: boolean;
  changes: SpecChange[];
  breaking: SpecChange[];
  announced: string[];
  report: string;
}
export const packageDir: string;
export const baselinePath: string;
export const currentPath: string;
export const changesetDir: string;
export function compareSpecs(before: unknown, after: unknown): SpecChange[];
export function majorChangesets(dir?: string): string[];
export function runGate(input: { before: unknown; after: unknown; changesets?: string }): GateResult;
