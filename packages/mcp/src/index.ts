export { type CallContext, callTool, proprietaryUid, type ToolResult } from "./call.js";
export { type Config, ConfigError, readConfig, type Target } from "./config.js";
export { monthRange, PROMPTS, type PromptDefinition, RESOURCES, type ResourceDefinition } from "./prompts.js";
export { compactSchema, trimDescription } from "./schema.js";
export { createIxpressServer, type IxpressServerOptions } from "./server.js";
export {
  type BuildToolsOptions,
  buildTools,
  type ToolDefinition,
  type ToolHints,
  toolsetName,
  toolsetNames,
} from "./tools.js";
