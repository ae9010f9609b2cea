import { createRequire } from "node:module";
import { createClient, createRedactor, type Redactor } from "@ixpress/client";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ConfigError, readConfig, type Target } from "./config.js";
import { createIxpressServer } from "./server.js";
import { buildTools } from "./tools.js";

// The `ixpress-mcp` command: an MCP server on stdio. stdout carries the protocol only; every
// other line goes to stderr, through the redactor of the configured key.

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };
const envKey = process.env.IXPRESS_API_KEY;
let redactor: Redactor = createRedactor(envKey?.trim() ? [envKey] : []);
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
  redactor = createRedactor([target.apiKey]);
  let tools: ReturnType<typeof buildTools>;
  try {
    tools = buildTools({ toolsets: config.toolsets, openWorld: target.kind !== "sandbox" });
  } catch (error) {
    fail(`IXPRESS_TOOLSETS: ${(error as Error).message}`);
  }

  let baseUrl: string | undefined;
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
    baseUrl = mock.url;
    where = `the sandbox at ${mock.url} (in this process: nothing is sent anywhere; the account lives until the server stops)`;
  } else if (target.kind === "baseUrl") {
    baseUrl = target.baseUrl;
    where = target.baseUrl;
  } else {
    where = `the account ${target.accountName}`;
  }

  let client: ReturnType<typeof createClient>;
  try {
    client =
      baseUrl !== undefined
        ? createClient({ baseUrl, apiKey: target.apiKey, timeoutMs: config.timeoutMs })
        : createClient({
            accountName: (target as { accountName: string }).accountName,
            apiKey: target.apiKey,
            timeoutMs: config.timeoutMs,
          });
  } catch (error) {
    await stopMock?.();
    const variable = target.kind === "account" ? "IXPRESS_ACCOUNT" : "IXPRESS_BASE_URL";
    fail(`${variable}: ${(error as Error).message.replace(/^createClient: /, "")}`);
  }

  const server = createIxpressServer({
    client,
    redactor,
    tools,
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
