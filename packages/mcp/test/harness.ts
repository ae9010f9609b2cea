import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

/** The committed bin, run as a user's MCP client runs it. */
export const BIN = fileURLToPath(new URL("../bin/ixpress-mcp.js", import.meta.url));

export interface Session {
  client: Client;
  /** Every protocol message the server wrote on stdout, as JSON text, and any line that was not one. */
  stdout: string[];
  /** Everything the server wrote on stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/** Spawns `ixpress-mcp` with only these variables (and PATH) and connects the SDK's client over stdio. */
export async function connect(env: Record<string, string>): Promise<Session> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    env: { PATH: process.env.PATH ?? "", ...env },
    stderr: "pipe",
  });
  let err = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  const stdout: string[] = [];
  transport.onmessage = (message) => stdout.push(JSON.stringify(message));
  transport.onerror = (error) => stdout.push(`transport error: ${String(error?.stack ?? error)}`);
  const client = new Client({ name: "ixpress-mcp-test", version: "0.0.0" });
  try {
    await client.connect(transport);
  } catch (error) {
    await transport.close().catch(() => {});
    throw new Error(`the server did not start: ${String(error)}\nstderr: ${err}`);
  }
  return { client, stdout, stderr: () => err, close: () => client.close() };
}

/** Runs the bin to its end (a start-up failure), collecting what it writes. */
export async function runToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { spawn } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: out, stderr: err });
    });
  });
}

/** A tool result's text. */
export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}
