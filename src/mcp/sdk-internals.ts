/**
 * @module mcp/sdk-internals
 * Everything threesix does to the MCP SDK beyond its public API, in one place, pinned to the SDK
 * range in package.json (~1.32) and checked by test/unit/sdk-internals.test.ts, which fails by name
 * when an upgrade moves any of it. Neither can be done with the public API of @modelcontextprotocol/sdk 1.32:
 *
 * - Tool errors the SDK makes itself (schema validation, unknown or disabled tool) are plain text
 *   from McpServer's private `createToolError`, called inside the SDK's own tools/call handler.
 *   No option or hook reaches that text; replacing the handler through Server.setRequestHandler
 *   would mean re-implementing tools/call (validation, disabled tools, tasks). We wrap the method.
 * - Tool schemas: McpServer builds a tool's input and output schemas when it is registered
 *   (registerTool takes built zod objects), and threesix's ~40 tools' schemas cost most of a cold
 *   start. McpServer only reads `inputSchema`/`outputSchema` from the RegisteredTool when it lists
 *   or calls tools, so we register without schemas and define those two properties with getters
 *   that build on first read. RegisteredTool.update() assigning new schemas still works (setter).
 *
 * The build-time replacements of SDK modules (scripts/build-stubs/) are a bundling choice, not a
 * patch: the SDK imports Ajv and zod 3 statically, so no public option keeps them off the start path.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { objectFromShape } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AnyTool } from './define-tool.js';
import { strictInput } from './strict-input.js';

/** The private method of McpServer (sdk/server/mcp.js) that turns a failure in tools/call into a result. */
interface ToolErrorInternals {
  createToolError(message: string): CallToolResult;
}

/** Passes every error text the SDK itself reports from tools/call through `rewrite` first. */
export function rewriteSdkToolErrors(server: McpServer, rewrite: (message: string) => string): void {
  const internals = server as unknown as ToolErrorInternals;
  if (typeof internals.createToolError !== 'function')
    throw new Error('McpServer.createToolError is gone: see src/mcp/sdk-internals.ts');
  const sdkError = internals.createToolError.bind(server);
  internals.createToolError = (message: string) => sdkError(rewrite(message));
}

/**
 * Hands a registered tool's schemas to the SDK on first read instead of at registration, so a
 * server that has answered `initialize` has built no tool schema yet (see define-tool.ts).
 * Inputs are closed objects (strict-input.ts): unknown arguments are refused, not dropped.
 */
export function attachLazySchemas(registered: RegisteredTool, tool: AnyTool): void {
  lazyProperty(registered, 'inputSchema', () => strictInput(tool.input()));
  lazyProperty(registered, 'outputSchema', () => objectFromShape(tool.output()));
}

function lazyProperty<K extends 'inputSchema' | 'outputSchema'>(
  target: RegisteredTool,
  key: K,
  make: () => RegisteredTool[K],
): void {
  let value: RegisteredTool[K] | undefined;
  let made = false;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!made) [value, made] = [make(), true];
      return value;
    },
    // RegisteredTool.update() assigns new schemas; they replace the lazy one.
    set: (next: RegisteredTool[K]) => {
      [value, made] = [next, true];
    },
  });
}
