/**
 * @module mcp/define-tool
 * The shape every file in tools/ exports. The type makes all four annotations, a toolset and an
 * output schema required, so no tool can ship without them. Schemas are functions, built on first
 * use (the first tools/list or call): making zod schemas for every tool at start-up was a tenth of
 * the time to `initialize`.
 */
import type { z } from 'zod';
import type { Toolset } from '../config.js';
import type { AppContext } from '../services/shared/app-context.js';
import type { Logger } from '../ports/logger.port.js';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolContext {
  app: AppContext;
  logger: Logger;
  /** Who is calling, for the audit trail (e.g. "mcp:claude-code"). */
  actor: string;
  signal: AbortSignal;
  /** Sends a progress notification when the client asked for them; a no-op otherwise. */
  progress: (progress: number, total?: number, message?: string) => Promise<void>;
}

export interface ToolOutcome<O> {
  /** One or two sentences for the model; the structured value carries the detail. */
  summary: string;
  data: O;
}

export interface ToolDefinition<I extends z.ZodRawShape = z.ZodRawShape, O extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  toolset: Toolset;
  /** The input fields, made once on first call. */
  input: () => I;
  /** The fields of structuredContent, made once on first call. */
  output: () => O;
  annotations: ToolAnnotations;
  handler(input: z.infer<z.ZodObject<I>>, ctx: ToolContext): Promise<ToolOutcome<z.infer<z.ZodObject<O>>>>;
}

export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  tool: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return { ...tool, input: once(tool.input), output: once(tool.output) };
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/**
 * Erased form for lists of tools with different schemas (their handlers are methods, so a tool of
 * any one schema is assignable to it).
 */
export type AnyTool = ToolDefinition<z.ZodRawShape, z.ZodRawShape>;
