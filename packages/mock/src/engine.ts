/**
 * Prism's HTTP engine, through the public API of `@stoplight/prism-http`: `createInstance` and
 * `request(input, operations, config)`, with the operations `getHttpOperationsFromSpec` made
 * from the description. Requests are checked by our own validators before they reach it (see
 * server.ts); Prism only picks and serves the response.
 *
 * Served from the named examples, Prism's answer depends only on the operation, the `Prefer`
 * header and `Accept`. For the bundled description the build step (scripts/build-answers.mjs)
 * asks Prism once for every such answer a client can ask for (each operation, each documented
 * status and named example, the usual `Accept` values) and writes them to dist/answers.json;
 * the mock serves those, and loads Prism itself only for the rest (generated bodies, another
 * `Accept`, an undocumented status, another description).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { specJsonPath } from "@ixpress/openapi";

/** A request as Prism's router and mocker read it. */
export interface PrismInput {
  method: string;
  url: { path: string; query: Record<string, string | string[]> };
  headers: Record<string, string>;
  body?: unknown;
}

export interface PrismOutput {
  statusCode: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
}

export interface MockConfig {
  dynamic?: boolean;
  seed?: number;
  code?: number;
  exampleKey?: string;
}

export interface PrismError {
  name?: string;
  message?: string;
  status?: number;
  detail?: string;
}

export type Answer = { ok: true; output: PrismOutput } | { ok: false; error: PrismError };

export interface Engine {
  /**
   * Asks Prism for the response to an input that our validators accepted. `key` names what the
   * answer depends on when it is served from examples (see {@link answerKey}); such answers are
   * asked of Prism once.
   */
  respond(input: PrismInput, mock: MockConfig, key?: string): Promise<Answer>;
  /** Whether Prism itself is loaded in this process (it is not while every answer came from the build). */
  readonly prismLoaded: boolean;
}

/** What an answer served from examples depends on: the operation, `Prefer: code`/`example` and `Accept`. */
export function answerKey(
  method: string,
  template: string,
  code: number | undefined,
  exampleKey: string | undefined,
  accept: string | undefined,
): string {
  return `${method} ${template}\n${code ?? ""}\n${exampleKey ?? ""}\n${accept ?? ""}`;
}

/** The `Accept` values the build answers for: none, anything, JSON (what fetch, openapi-fetch and curl send). */
export const BUILT_ACCEPTS = ["", "*/*", "application/json"] as const;

type Either<L, R> = { _tag: "Left"; left: L } | { _tag: "Right"; right: R };
interface PrismInstance {
  request(
    input: PrismInput,
    operations: unknown[],
    config?: Record<string, unknown>,
  ): () => Promise<Either<PrismError, { output: PrismOutput }>>;
}
interface PrismHttp {
  createInstance(config: Record<string, unknown>, components: { logger: unknown }): PrismInstance;
  getHttpOperationsFromSpec(spec: string): Promise<unknown[]>;
}

const noop = () => {};
const quietLogger: Record<string, unknown> = {
  trace: noop,
  debug: noop,
  info: noop,
  success: noop,
  warn: noop,
  error: noop,
  fatal: noop,
  child: () => quietLogger,
};

/** Where the build step writes Prism's answers for the bundled description. */
export const answersPath = fileURLToPath(new URL("../dist/answers.json", import.meta.url));
/** Where the build step writes the bundled description's operations, converted once for Prism. */
export const operationsPath = fileURLToPath(new URL("../dist/operations.json", import.meta.url));

export function specHash(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** The file the build writes: Prism's answers by {@link answerKey}, for one description and one Prism. */
export interface BuiltAnswers {
  specSha256: string;
  prism: string;
  /** Each distinct answer once. */
  answers: Answer[];
  /** {@link answerKey} → index in `answers`. */
  keys: Record<string, number>;
}

/** `@stoplight/prism-http`, imported through its public entry point. */
export async function importPrism(): Promise<PrismHttp> {
  const mod = (await import("@stoplight/prism-http")) as unknown as PrismHttp & { default?: PrismHttp };
  return typeof mod.createInstance === "function" ? mod : (mod.default as PrismHttp);
}

/** The Prism instance the mock asks: requests already validated by us, no security check, no forwarding. */
export function createPrism(prism: PrismHttp, dynamic: boolean): PrismInstance {
  return prism.createInstance(
    {
      mock: { dynamic },
      checkSecurity: false,
      validateRequest: false,
      validateResponse: false,
      errors: false,
      isProxy: false,
    },
    { logger: quietLogger },
  );
}

/** Prism's answer as the engine keeps it. */
export async function ask(
  instance: PrismInstance,
  operations: unknown[],
  input: PrismInput,
  mock: MockConfig,
  dynamic: boolean,
): Promise<Answer> {
  const config = {
    mock: {
      dynamic: mock.dynamic ?? dynamic,
      ...(mock.seed !== undefined ? { seed: mock.seed } : {}),
      ...(mock.code !== undefined ? { code: mock.code } : {}),
      ...(mock.exampleKey !== undefined ? { exampleKey: mock.exampleKey } : {}),
    },
  };
  const result = await instance.request(input, operations, config)();
  if (result._tag === "Right") return { ok: true, output: result.right.output };
  const { name, message, status, detail } = result.left;
  return { ok: false, error: { name, message, status, detail } };
}

/** The operations of the bundled description: from the build step when it matches, else converted now. */
async function operationsFor(prism: PrismHttp, spec: string | undefined): Promise<unknown[]> {
  if (spec === undefined && existsSync(operationsPath)) {
    const built = JSON.parse(readFileSync(operationsPath, "utf8")) as { specSha256: string; operations: unknown[] };
    if (built.specSha256 === specHash(specJsonPath)) return built.operations;
  }
  const operations = await prism.getHttpOperationsFromSpec(spec ?? specJsonPath);
  if (operations.length === 0) throw new Error(`the description has no operations: ${spec ?? specJsonPath}`);
  return operations;
}

/** The build's answers for the bundled description, when they were made from this very file. */
function builtAnswers(): BuiltAnswers | undefined {
  if (!existsSync(answersPath)) return undefined;
  const built = JSON.parse(readFileSync(answersPath, "utf8")) as BuiltAnswers;
  return built.specSha256 === specHash(specJsonPath) ? built : undefined;
}

export async function createEngine(options: { spec?: string; dynamic?: boolean }): Promise<Engine> {
  const dynamic = Boolean(options.dynamic);
  const built = options.spec === undefined ? builtAnswers() : undefined;
  const cache = new Map<string, Answer>();
  let prism: Promise<{ instance: PrismInstance; operations: unknown[] }> | undefined;
  let loaded = false;
  const load = () => {
    prism ??= (async () => {
      const http = await importPrism();
      // Loading Prism held the event loop for a while: let what waits (a signal, a request) run.
      await new Promise((resolve) => setImmediate(resolve));
      const operations = await operationsFor(http, options.spec);
      loaded = true;
      return { instance: createPrism(http, dynamic), operations };
    })();
    return prism;
  };
  // Generated bodies and other descriptions need Prism from the first request: load it now.
  if (dynamic || !built) await load();
  return {
    get prismLoaded() {
      return loaded;
    },
    async respond(input, mock, key) {
      if (key !== undefined) {
        const index = built?.keys[key];
        if (index !== undefined) return built!.answers[index]!;
        const hit = cache.get(key);
        if (hit) return hit;
      }
      const { instance, operations } = await load();
      const answer = await ask(instance, operations, input, mock, dynamic);
      if (key !== undefined) {
        if (cache.size >= 2_000) cache.delete(cache.keys().next().value as string);
        cache.set(key, answer);
      }
      return answer;
    },
  };
}
