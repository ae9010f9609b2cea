#!/usr/bin/env node
// The `ixpress-mcp` command. A committed file, so that pnpm can link the bin before the
// package is built; the command itself is dist/cli.js.
import "../dist/cli.js";
