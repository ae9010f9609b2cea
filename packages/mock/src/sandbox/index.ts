/**
 * The sandbox: a stateful InvoiceXpress account in memory. The mock's front calls it after a
 * request passed the spec's validation; it answers the operations it models from its state
 * and returns `undefined` for the others, which the front then serves from Prism's stateless
 * examples. Every handler runs synchronously, so requests are applied one at a time, in the
 * order they arrive: numbering is never raced.
 *
 * The operations it models are the keys of one registry, built from the resource modules:
 * clients, the catalogue (items, taxes, series), documents (every kind the spec describes),
 * lists, payments and receipts, files (PDF, QR code, SAF-T).
 */
import { readFileSync } from "node:fs";
import { errorBody, Refusal } from "@ixpress/openapi";
import { Account } from "./account.js";
import { catalogueHandlers } from "./catalogue.js";
import { clientHandlers } from "./clients.js";
import { documentHandlers } from "./documents.js";
import { fileHandlers, serveFile } from "./files.js";
import { listHandlers } from "./lists.js";
import { paymentHandlers } from "./payments.js";
import { stateFromSeed } from "./seed.js";
import { defaultState, type SandboxState } from "./state.js";
import type { Handler, SandboxAnswer, SandboxRequest } from "./types.js";

export { totalsOf } from "./rules.js";
export { stateFromSeed } from "./seed.js";
export type { SandboxState } from "./state.js";
export { defaultState } from "./state.js";
export type { SandboxAnswer, SandboxRequest } from "./types.js";

/** The default `maxDocuments`: about 2 KB of heap each, so a full account stays near 200 MB. */
export const DEFAULT_MAX_DOCUMENTS = 100_000;

export interface SandboxOptions {
  /** The account to start from (a dump, or a path to a JSON file with one); a new account by default. */
  seed?: string | object;
  /** How many times PDF, QR-code and SAF-T requests answer 202 before the 200. Default 1. */
  polls?: number;
  /**
   * The most documents (and, each, clients and items) the account holds; a create past it is
   * refused with a 422 that says so. Default {@link DEFAULT_MAX_DOCUMENTS}.
   */
  maxDocuments?: number;
  /** The clock (tests). */
  now?: () => Date;
}

/** Every operation the sandbox answers, by operationId (later modules override earlier ones). */
const REGISTRY: Readonly<Record<string, Handler>> = {
  ...clientHandlers,
  ...catalogueHandlers,
  ...documentHandlers(),
  ...listHandlers(),
  ...paymentHandlers(),
  ...fileHandlers,
};

/** The operations the sandbox answers from its state (operationIds of the spec): the registry's keys. */
export const MODELLED_OPERATIONS: readonly string[] = Object.keys(REGISTRY);

const wholeNumber = (name: string, v: number | undefined, min: number) => {
  if (v !== undefined && (!Number.isSafeInteger(v) || v < min)) {
    throw new RangeError(`sandbox: ${name} must be a whole number of ${min} or more, got ${String(v)}`);
  }
};

export class Sandbox {
  private account: Account;
  private readonly polls: number;
  private readonly maxDocuments: number;
  private readonly now: () => Date;
  private readonly initial: unknown;

  constructor(options: SandboxOptions = {}) {
    wholeNumber("polls", options.polls, 0);
    wholeNumber("maxDocuments", options.maxDocuments, 1);
    this.polls = options.polls ?? 1;
    this.maxDocuments = options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS;
    this.now = options.now ?? (() => new Date());
    this.initial = options.seed === undefined ? undefined : readSeed(options.seed);
    this.account = this.open(this.fresh());
  }

  private open(state: SandboxState): Account {
    return new Account(state, this.now, this.maxDocuments, this.polls);
  }

  private fresh(): SandboxState {
    return this.initial === undefined
      ? defaultState(this.now())
      : stateFromSeed(structuredClone(this.initial), this.now(), this.maxDocuments);
  }

  /** Back to the account the sandbox started with (its seed, or a new account). */
  reset(): void {
    this.account = this.open(this.fresh());
  }

  /**
   * Replaces the account with a seed (a dump or a partial account, or the path of a JSON file
   * with one, given by the person running the tests); throws naming every problem.
   */
  seed(seed: string | object): void {
    this.account = this.open(stateFromSeed(structuredClone(readSeed(seed)), this.now(), this.maxDocuments));
  }

  /** A copy of the whole account, fit to be written to a file and given back as a seed. */
  dump(): SandboxState {
    return structuredClone(this.account.state);
  }

  /** Whether the sandbox answers this operation from its state. */
  models(operationId: string): boolean {
    return Object.hasOwn(REGISTRY, operationId);
  }

  /** Answers a validated request, or `undefined` when the operation is not modelled. */
  handle(req: SandboxRequest): SandboxAnswer | undefined {
    if (!this.models(req.operationId)) return undefined;
    try {
      return REGISTRY[req.operationId]!(this.account, req);
    } catch (err) {
      if (err instanceof Refusal) return { status: err.status, body: err.body() };
      throw err;
    }
  }

  /** The control endpoints under `/__sandbox/`: reset, state (dump and seed), files. */
  control(method: string, path: string, body: unknown): SandboxAnswer {
    const m = method.toLowerCase();
    if (path === "/__sandbox/reset") {
      if (m !== "post") return { status: 405, body: errorBody("POST /__sandbox/reset resets the account") };
      this.reset();
      return { status: 200, body: this.dump() };
    }
    if (path === "/__sandbox/state") {
      if (m === "get") return { status: 200, body: this.dump() };
      if (m === "put" || m === "post") {
        // A state object only: a request never names a file.
        if (body === null || typeof body !== "object" || Array.isArray(body)) {
          const expected = 'PUT /__sandbox/state takes a JSON object, a sandbox state such as {"clients":[…]}';
          return { status: 422, body: errorBody(expected) };
        }
        try {
          this.seed(body);
        } catch (err) {
          return { status: 422, body: errorBody((err as Error).message) };
        }
        return { status: 200, body: this.dump() };
      }
      return { status: 405, body: errorBody("GET /__sandbox/state dumps the account; PUT seeds it") };
    }
    const file = /^\/__sandbox\/files\/(pdf|qr|saft)\/([^/]+)$/.exec(path);
    if (file && m === "get") {
      const answer = serveFile(this.account, file[1]!, file[2]!);
      if (answer) return answer;
    }
    return {
      status: 404,
      body: errorBody(
        `no such sandbox endpoint: ${method.toUpperCase()} ${path} (POST /__sandbox/reset, GET or PUT /__sandbox/state)`,
      ),
    };
  }
}

/** A seed given by the person starting the mock: an object, or the path of a JSON file. */
function readSeed(seed: string | object): unknown {
  if (typeof seed === "string") {
    let text: string;
    try {
      text = readFileSync(seed, "utf8");
    } catch (err) {
      throw new Error(`sandbox seed: cannot read ${seed} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new Error(`sandbox seed: ${seed} is not valid JSON (${(err as Error).message})`);
    }
  }
  if (seed === null || typeof seed !== "object") throw new TypeError("sandbox seed: must be a file path or an object");
  return seed;
}
