/**
 * @module mcp/define-prompt
 * Prompts are canned instructions an agent host can offer its user (the plan's /project commands).
 */
import type { z } from 'zod';

export interface PromptDefinition<
  A extends Record<string, z.ZodType<string | undefined>> = Record<string, z.ZodType<string | undefined>>,
> {
  name: string;
  title: string;
  description: string;
  args: A;
  render(args: { [K in keyof A]: z.infer<A[K]> }): string;
}

export function definePrompt<A extends Record<string, z.ZodType<string | undefined>>>(
  prompt: PromptDefinition<A>,
): PromptDefinition<A> {
  return prompt;
}

/** Erased form for lists of prompts with different arguments (render is a method, so any prompt fits). */
export type AnyPrompt = PromptDefinition;
