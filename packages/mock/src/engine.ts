/**
 * Prism's HTTP engine (router and mocker of `@stoplight/prism-http`, the factory of
 * `@stoplight/prism-core`), loaded inside this process. Requests are checked by our own
 * validators before they reach it (see server.ts); Prism only picks and serves the response.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { specJsonPath } from "@ixpress/openapi";

const require = createRequire(import.meta.url);

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

export interface Engine {
  operations: unknown[];
  /** Asks Prism for the response to an input that our validators accepted. */
  respond(
    input: PrismInput,
    mock: MockConfig,
  ): Promise<{ ok: true; output: PrismOutput } | { ok: false; error: PrismError }>;
}

export interface PrismError {
  name?: string;
  message?: string;
  status?: number;
  detail?: string;
}

type Either<L, R> = { _tag: "Left"; left: L } | { _tag: "Right"; right: R };
type PrismInstance = {
  request(
    input: PrismInput,
    operations: unknown[],
    config?: Record<string, unknown>,
  ): () => Promise<Either<PrismError, { output: PrismOutput }>>;
};

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

/** Where the build step (`scripts/build-operations.mjs`) writes the bundled description's operations. */
export const operationsPath = fileURLToPath(new URL("../dist/operations.json", import.meta.url));

export function specHash(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/**
 * Prism's mocker requires `@faker-js/faker` (about half a second of start-up) only for
 * generated bodies. Unless bodies are generated, hand the mocker a stand-in that loads faker
 * the first time it is really used, so named examples are served without paying for it.
 */
function loadLazilyFaker<T>(load: () => T): T {
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = mod._load;
  mod._load = function (this: unknown, request: string, ...rest: unknown[]) {
    if (request === "@faker-js/faker") {
      // json-schema-faker keeps `faker.default` at once, so that too must be a stand-in.
      let real: Record<string, unknown> | undefined;
      const get = () => {
        real ??= original.call(this, request, ...rest) as Record<string, unknown>;
        return real;
      };
      const lazy = (pick: () => Record<string, unknown>) =>
        new Proxy({}, { get: (_t, key) => pick()[key as string], has: (_t, key) => key in pick() });
      const lazyDefault = lazy(() => get().default as Record<string, unknown>);
      return new Proxy({}, { get: (_t, key) => (key === "default" ? lazyDefault : get()[key as string]) });
    }
    return original.call(this, request, ...rest);
  };
  try {
    return load();
  } finally {
    mod._load = original;
  }
}

let modules:
  | {
      factory: (config: unknown, components: unknown) => PrismInstance;
      route: unknown;
      validator: Record<string, unknown>;
      mock: unknown;
      prismRequire: NodeJS.Require;
    }
  | undefined;

function loadPrism(eagerFaker: boolean) {
  if (modules) return modules;
  const prismHttpDir = path.dirname(require.resolve("@stoplight/prism-http/package.json"));
  const prismRequire = createRequire(path.join(prismHttpDir, "dist", "index.js"));
  const load = () => ({
    factory: (require("@stoplight/prism-core") as { factory: (c: unknown, k: unknown) => PrismInstance }).factory,
    route: (prismRequire("./router/index.js") as { default: unknown }).default,
    validator: prismRequire("./validator/index.js") as Record<string, unknown>,
    mock: (prismRequire("./mocker/index.js") as { default: unknown }).default,
    prismRequire,
  });
  modules = eagerFaker ? load() : loadLazilyFaker(load);
  return modules;
}

/** The operations of the bundled description: from the build step when it matches, else converted now. */
async function loadOperations(spec: string | undefined): Promise<unknown[]> {
  if (spec === undefined && existsSync(operationsPath)) {
    const built = JSON.parse(readFileSync(operationsPath, "utf8")) as { specSha256: string; operations: unknown[] };
    if (built.specSha256 === specHash(specJsonPath)) return built.operations;
  }
  const { getHttpOperationsFromSpec } = require("@stoplight/prism-http") as {
    getHttpOperationsFromSpec: (spec: string) => Promise<unknown[]>;
  };
  const operations = await getHttpOperationsFromSpec(spec ?? specJsonPath);
  if (operations.length === 0) throw new Error(`the description has no operations: ${spec ?? specJsonPath}`);
  return operations;
}

export async function createEngine(options: { spec?: string; dynamic?: boolean }): Promise<Engine> {
  const m = loadPrism(Boolean(options.dynamic));
  const operations = await loadOperations(options.spec);
  if (options.dynamic) {
    const jsf = m.prismRequire("json-schema-faker") as { JSONSchemaFaker: { option(o: unknown): void } };
    jsf.JSONSchemaFaker.option({ fillProperties: false });
  }
  const forward = () => () => () => Promise.resolve({ _tag: "Left", left: new Error("forwarding is not used") });
  const prism = m.factory(
    {
      mock: { dynamic: Boolean(options.dynamic) },
      checkSecurity: false,
      validateRequest: false,
      validateResponse: false,
      errors: false,
      isProxy: false,
    },
    {
      logger: quietLogger,
      route: m.route,
      validateInput: m.validator.validateInput,
      validateOutput: m.validator.validateOutput,
      validateSecurity: m.validator.validateSecurity,
      mock: m.mock,
      forward,
    },
  );
  return {
    operations,
    async respond(input, mock) {
      const config = {
        mock: {
          dynamic: mock.dynamic ?? Boolean(options.dynamic),
          ...(mock.seed !== undefined ? { seed: mock.seed } : {}),
          ...(mock.code !== undefined ? { code: mock.code } : {}),
          ...(mock.exampleKey !== undefined ? { exampleKey: mock.exampleKey } : {}),
        },
      };
      const result = await prism.request(input, operations, config)();
      return result._tag === "Right" ? { ok: true, output: result.right.output } : { ok: false, error: result.left };
    },
  };
}
