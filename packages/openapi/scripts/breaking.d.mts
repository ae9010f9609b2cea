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
export interface RequestValidator {
  validateRequest(request: { method: string; path: string; body?: unknown }): { errors: string[] };
}
export function replayRequestExamples(
  before: unknown,
  after: unknown,
  makeValidator: (spec: any) => RequestValidator,
): SpecChange[];
export function runGate(input: {
  before: unknown;
  after: unknown;
  changesets?: string;
  /** When given, the released request examples are replayed against `after` too. */
  makeValidator?: (spec: any) => RequestValidator;
}): GateResult;
