import { randomUUID } from "node:crypto";
import { RETRY_DEFAULTS } from "@ixpress/client";

/** Where the server sends its calls, read from the environment by {@link readConfig}. */
export type Target =
  | { kind: "account"; accountName: string; apiKey: string }
  | { kind: "baseUrl"; baseUrl: string; apiKey: string }
  | { kind: "sandbox"; apiKey: string };

export interface Config {
  target: Target;
  /** Toolset names from `IXPRESS_TOOLSETS`; empty for every tool. */
  toolsets: string[];
  /** Time allowed for each attempt of a call (`IXPRESS_TIMEOUT_MS`), in milliseconds. */
  timeoutMs: number;
  /** Most attempts of a call the client may retry (`IXPRESS_RETRY_ATTEMPTS`; `1` for no retries). */
  retryAttempts: number;
  /** Wait between two polls of a file being generated (`IXPRESS_POLL_INTERVAL_MS`). */
  pollIntervalMs: number;
}

/** A configuration that is missing or contradicts itself; its message says what to set. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** The key used with the sandbox when `IXPRESS_API_KEY` is not set: the sandbox takes any key, so a random one. */
const sandboxKey = () => `sandbox-${randomUUID()}`;

const HOW =
  "Set IXPRESS_ACCOUNT and IXPRESS_API_KEY for a real account, IXPRESS_BASE_URL and IXPRESS_API_KEY for another server (such as ixpress-mock), or IXPRESS_SANDBOX=1 to rehearse on a sandbox account in this process.";

function flag(name: string, value: string | undefined): boolean {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "" || v === "0" || v === "false" || v === "no") return false;
  if (v === "1" || v === "true" || v === "yes") return true;
  throw new ConfigError(`${name} must be 1 or 0, got ${JSON.stringify(value)}.`);
}

/**
 * Reads the configuration from environment variables: `IXPRESS_ACCOUNT` + `IXPRESS_API_KEY`, or
 * `IXPRESS_BASE_URL` + `IXPRESS_API_KEY`, or `IXPRESS_SANDBOX=1` (`IXPRESS_API_KEY` optional);
 * `IXPRESS_TOOLSETS` (comma-separated tags), `IXPRESS_TIMEOUT_MS`, `IXPRESS_RETRY_ATTEMPTS` and
 * `IXPRESS_POLL_INTERVAL_MS`. Throws a
 * {@link ConfigError} naming what is missing or contradictory. No message repeats the key.
 */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const sandbox = flag("IXPRESS_SANDBOX", env.IXPRESS_SANDBOX);
  const account = get("IXPRESS_ACCOUNT");
  const baseUrl = get("IXPRESS_BASE_URL");
  const apiKey =
    env.IXPRESS_API_KEY !== undefined && env.IXPRESS_API_KEY.trim() !== "" ? env.IXPRESS_API_KEY : undefined;
  const chosen = [sandbox && "IXPRESS_SANDBOX=1", account && "IXPRESS_ACCOUNT", baseUrl && "IXPRESS_BASE_URL"].filter(
    Boolean,
  );
  if (chosen.length > 1) {
    throw new ConfigError(`${chosen.join(" and ")} contradict each other: choose one. ${HOW}`);
  }
  let target: Target;
  if (sandbox) target = { kind: "sandbox", apiKey: apiKey ?? sandboxKey() };
  else if (account) {
    if (!apiKey) throw new ConfigError(`IXPRESS_ACCOUNT is set but IXPRESS_API_KEY is missing. ${HOW}`);
    target = { kind: "account", accountName: account, apiKey };
  } else if (baseUrl) {
    if (!apiKey)
      throw new ConfigError(`IXPRESS_BASE_URL is set but IXPRESS_API_KEY is missing (a mock takes any key). ${HOW}`);
    target = { kind: "baseUrl", baseUrl, apiKey };
  } else if (apiKey) {
    throw new ConfigError(`IXPRESS_API_KEY is set but not where to send it: no IXPRESS_ACCOUNT. ${HOW}`);
  } else {
    throw new ConfigError(`No account is configured. ${HOW}`);
  }
  const toolsets = (env.IXPRESS_TOOLSETS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const whole = (name: string, fallback: number, min: number) => {
    const text = get(name);
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isSafeInteger(value) || value < min)
      throw new ConfigError(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(text)}.`);
    return value;
  };
  return {
    target,
    toolsets,
    timeoutMs: whole("IXPRESS_TIMEOUT_MS", 30_000, 1),
    retryAttempts: whole("IXPRESS_RETRY_ATTEMPTS", RETRY_DEFAULTS.attempts, 1),
    pollIntervalMs: whole("IXPRESS_POLL_INTERVAL_MS", 2000, 0),
  };
}
