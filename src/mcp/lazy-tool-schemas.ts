/**
 * @module mcp/lazy-tool-schemas
 * Hands a registered tool's schemas to the SDK on first read instead of at registration. McpServer
 * reads `inputSchema` and `outputSchema` only when it lists or calls tools, so a server that has
 * answered `initialize` has built no tool schema yet (see define-tool.ts for why that matters).
 * Inputs are closed objects (strict-input.ts): unknown arguments are refused, not dropped.
 */
import type { RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { objectFromShape } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { AnyTool } from './define-tool.js';
import { strictInput } from './strict-input.js';

export function attachLazySchemas(registered: RegisteredTool, tool: AnyTool): void {
  lazyProperty(registered, 'inputSchema', () => strictInput(tool.input()));
  lazyProperty(registered, 'outputSchema', () => objectFromShape(tool.output()));
}

function lazyProperty<K extends 'inputSchema' | 'outputSchema'>(target: RegisteredTool, key: K, make: () => RegisteredTool[K]): void {
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
