import { createRequire } from "node:module";
import type { InvoiceXpressClient, Redactor } from "@ixpress/client";
import { SpecValidator } from "@ixpress/openapi/validate";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { type CallContext, callTool } from "./call.js";
import { PROMPTS, RESOURCES } from "./prompts.js";
import type { ToolDefinition } from "./tools.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

export interface IxpressServerOptions {
  /** The client every call goes through (its validation, redaction, timeouts and retries). */
  client: InvoiceXpressClient;
  /** The client's redactor for the same key: results and errors pass through it once more. */
  redactor: Redactor;
  /** The tools to offer (`buildTools()`). */
  tools: ToolDefinition[];
  /** Polling of 202 answers. Default: every 2 s (or the server's Retry-After), at most 15 attempts. */
  poll?: { intervalMs?: number; maxAttempts?: number };
  /** A line for the agent about where calls go (sandbox or account). */
  instructions?: string;
}

/**
 * The MCP server: one tool per operation, the prompts and the resources. It is the SDK's
 * low-level `Server`: tools are described by JSON Schemas taken from the spec, and arguments are
 * checked by the project's validators, so no schema library sits in between.
 */
export function createIxpressServer(options: IxpressServerOptions): Server {
  const { client, redactor, tools } = options;
  const byName = new Map(tools.map((t) => [t.name, t]));
  const validator = new SpecValidator();
  const pollSettings = { intervalMs: options.poll?.intervalMs ?? 2000, maxAttempts: options.poll?.maxAttempts ?? 15 };
  const prompts = PROMPTS.filter((p) => p.tools.every((t) => byName.has(t)));
  const resources = RESOURCES.filter((r) => byName.has(r.tool));
  const server = new Server(
    { name: "ixpress-mcp", title: "InvoiceXpress", version },
    {
      capabilities: {
        tools: {},
        ...(prompts.length ? { prompts: {} } : {}),
        ...(resources.length ? { resources: {} } : {}),
      },
      instructions: [
        "Tools are the InvoiceXpress API v2 operations, named by operationId, with arguments { path, query, body } (dates dd/mm/yyyy).",
        "A new document is a draft; finalizing (change-state) gives it its legal number and cannot be undone.",
        options.instructions,
      ]
        .filter(Boolean)
        .join(" "),
    },
  );
  const context = (signal?: AbortSignal): CallContext => ({
    client,
    validator,
    redactor,
    poll: pollSettings,
    ...(signal ? { signal } : {}),
  });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.map((t) => ({
      name: t.name,
      title: t.annotations.title,
      description: t.description,
      inputSchema: t.inputSchema,
      annotations: t.annotations,
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      return {
        content: [
          { type: "text", text: redactor.text(`Unknown tool ${JSON.stringify(request.params.name.slice(0, 100))}.`) },
        ],
        isError: true,
      };
    }
    // Redacted once more as a whole: whatever a result holds, the key is not in it.
    return redactor.value(await callTool(tool, request.params.arguments, context(extra.signal)));
  });

  if (prompts.length > 0) {
    server.setRequestHandler(ListPromptsRequestSchema, async () => ({
      prompts: prompts.map(({ name, title, description, arguments: args }) => ({
        name,
        title,
        description,
        arguments: args,
      })),
    }));
    server.setRequestHandler(GetPromptRequestSchema, async (request) => {
      const prompt = prompts.find((p) => p.name === request.params.name);
      if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt ${request.params.name.slice(0, 100)}`);
      const args = request.params.arguments ?? {};
      const missing = prompt.arguments.filter((a) => a.required && !args[a.name]?.trim()).map((a) => a.name);
      if (missing.length > 0) throw new McpError(ErrorCode.InvalidParams, `Missing argument(s): ${missing.join(", ")}`);
      return {
        description: prompt.description,
        messages: [
          { role: "user" as const, content: { type: "text" as const, text: redactor.text(prompt.render(args)) } },
        ],
      };
    });
  }

  if (resources.length > 0) {
    server.setRequestHandler(ListResourcesRequestSchema, async () => ({
      resources: resources.map(({ uri, name, title, description }) => ({
        uri,
        name,
        title,
        description,
        mimeType: "application/json",
      })),
    }));
    server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
      const resource = resources.find((r) => r.uri === request.params.uri);
      if (!resource)
        throw new McpError(ErrorCode.InvalidParams, `Unknown resource ${request.params.uri.slice(0, 200)}`);
      const result = await callTool(byName.get(resource.tool)!, {}, context(extra.signal));
      if (result.isError) throw new McpError(ErrorCode.InternalError, result.content[0]!.text);
      return {
        contents: [{ uri: resource.uri, mimeType: "application/json", text: JSON.stringify(result.structuredContent) }],
      };
    });
  }
  return server;
}
