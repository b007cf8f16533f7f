/**
 * @module mcp/tool-result
 * Turns outcomes and failures into MCP tool results. A DomainError reads `CODE: message. hint`;
 * anything else is an internal error whose detail goes to the log under a reference id, never to
 * the model.
 */
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isDomainError } from '../domain/errors.js';
import type { Logger } from '../ports/logger.port.js';

export function toSuccessResult(summary: string, data: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: 'text', text: `${summary}\n${JSON.stringify(data)}` }],
    structuredContent: data,
  };
}

export function toErrorResult(error: unknown, logger: Logger): CallToolResult & { errorCode: string } {
  if (isDomainError(error)) {
    if (error.code === 'INTERNAL') return internal(error, logger);
    logger.warn('tool failed', { code: error.code, err: error.message, cause: error.cause });
    return { content: [{ type: 'text', text: error.toText() }], isError: true, errorCode: error.code };
  }
  return internal(error, logger);
}

function internal(error: unknown, logger: Logger): CallToolResult & { errorCode: string } {
  const ref = randomUUID().slice(0, 8);
  logger.error('internal error', { ref, err: error });
  return {
    content: [
      {
        type: 'text',
        text: `INTERNAL: internal error (ref ${ref}). Retry once; if it persists, report the ref to the operator.`,
      },
    ],
    isError: true,
    errorCode: 'INTERNAL',
  };
}

/** Rewrites the SDK's own failures (schema validation, unknown tool) into the same `CODE: message. hint` form. */
export function rewriteSdkError(message: string): string {
  const cleaned = message.replace(/^MCP error -?\d+: /, '');
  if (/Input validation error/i.test(cleaned)) {
    return `INVALID_INPUT: ${cleaned.replace(/^Input validation error: /, '')}. Fix the named arguments to match the tool's input schema and call again.`;
  }
  if (/Tool .* not found|disabled/i.test(cleaned)) {
    return `NOT_FOUND: ${cleaned}. Call tools/list to see the available tools.`;
  }
  return `INTERNAL: ${cleaned}.`;
}
