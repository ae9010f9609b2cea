import { createRequire } from "node:module";
import { createClient, createRedactor, type Redactor } from "@ixpress/client";
import { ConfigError, readConfig, type Target } from "./config.js";

// The `ixpress-mcp` command: an MCP server on stdio. stdout carries the protocol only; every
// other line goes to stderr, through the redactor of the configured key.

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };
const envKey = process.env.IXPRESS_API_KEY;
let redactor: Redactor = createRedactor(envKey?.trim() ? [envKey, JSON.stringify(envKey).slice(1, -1)] : []);
const say = (line: string) => process.stderr.write(`${redactor.text(`ixpress-mcp: ${line}`)}\n`);
// Anything a library prints with console.log would corrupt the protocol on stdout.
console.log = console.info = console.debug = (...args: unknown[]) => say(args.map(String).join(" "));

function fail(message: string, code = 2): never {
  say(message);
  process.exit(code);
}

process.on("uncaughtException", (error) => fail(`internal error: ${error?.stack ?? String(error)}`, 1));
process.on("unhandledRejection", (error) => fail(`internal error: ${(error as Error)?.stack ?? String(error)}`, 1));

let stop: (() => Promise<void>) | undefined;

async function main(): Promise<void> {
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const target: Target = config.target;
  // The key, and the key as JSON writes it inside a string (the validators quote a bad value so).
  redactor = createRedactor([target.apiKey, JSON.stringify(target.apiKey).slice(1, -1)]);
  const settings = {
    timeoutMs: config.timeoutMs,
    retry: config.retryAttempts > 1 ? { attempts: config.retryAttempts } : (false as const),
  };
  const makeClient = (baseUrl: string | undefined) => {
    try {
      return baseUrl !== undefined
        ? createClient({ baseUrl, apiKey: target.apiKey, ...settings })
        : createClient({
            accountName: (target as { accountName: string }).accountName,
            apiKey: target.apiKey,
            ...settings,
          });
    } catch (error) {
      const variable = target.kind === "account" ? "IXPRESS_ACCOUNT" : "IXPRESS_BASE_URL";
      return fail(`${variable}: ${(error as Error).message.replace(/^createClient: /, "")}`);
    }
  };
  // A real account or another server: the client refuses a bad name or URL before anything loads.
  let client =
    target.kind === "sandbox" ? undefined : makeClient(target.kind === "baseUrl" ? target.baseUrl : undefined);
  // Loaded once the configuration is known good: a start-up error comes at once.
  const [{ buildTools }, { createIxpressServer }, { StdioServerTransport }] = await Promise.all([
    import("./tools.js"),
    import("./server.js"),
    import("@modelcontextprotocol/sdk/server/stdio.js"),
  ]);
  let tools: ReturnType<typeof buildTools>;
  try {
    tools = buildTools({ toolsets: config.toolsets, openWorld: target.kind !== "sandbox" });
  } catch (error) {
    fail(`IXPRESS_TOOLSETS: ${(error as Error).message}`);
  }

  let where: string;
  let stopMock: (() => Promise<void>) | undefined;
  if (target.kind === "sandbox") {
    const { startMock } = await import("@ixpress/mock");
    const mock = await startMock({
      stateful: true,
      host: "127.0.0.1",
      port: 0,
      onLog: (line) => say(`sandbox: ${line}`),
    });
    stopMock = () => mock.stop();
    client = makeClient(mock.url);
    where = `the sandbox at ${mock.url} (in this process: nothing is sent anywhere; the account lives until the server stops)`;
  } else {
    where = target.kind === "baseUrl" ? target.baseUrl : `the account ${target.accountName}`;
  }

  const server = createIxpressServer({
    client: client!,
    redactor,
    tools,
    poll: { intervalMs: config.pollIntervalMs },
    instructions:
      target.kind === "sandbox"
        ? "This is a sandbox account in memory: rehearse freely, nothing is real and nothing is sent anywhere."
        : undefined,
  });
  let stopping: Promise<void> | undefined;
  stop = () =>
    (stopping ??= (async () => {
      await server.close().catch(() => {});
      await stopMock?.().catch(() => {});
    })());
  const transport = new StdioServerTransport();
  await server.connect(transport);
  say(`${version}: ${tools.length} tools; calls go to ${where}.`);
}

const shutdown = () => {
  void (stop?.() ?? Promise.resolve()).finally(() => process.exit(0));
};
process.stdin.on("end", shutdown);
process.stdin.on("close", shutdown);
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

main().catch((error: unknown) => fail(`cannot start: ${(error as Error)?.message ?? String(error)}`, 1));
