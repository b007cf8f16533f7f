/**
 * Vitest's asymmetric matchers (expect.stringMatching, expect.objectContaining, ...) typed `unknown`.
 * Vitest declares their results `any` so that one fits any property of an expected object, and the
 * type-checked lint then reports every such property as an unsafe assignment. `like` is `expect`
 * itself under a narrower type: an expected object built with `like.stringMatching(/x/)` holds
 * vitest's own matcher and asserts exactly what `expect.stringMatching(/x/)` would.
 */
import { expect } from 'vitest';

export const like: {
  any(constructor: unknown): unknown;
  anything(): unknown;
  stringContaining(expected: string): unknown;
  stringMatching(expected: string | RegExp): unknown;
  objectContaining(expected: Record<string, unknown>): unknown;
  arrayContaining(expected: unknown[]): unknown;
} = expect;
