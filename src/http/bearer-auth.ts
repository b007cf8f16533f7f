/**
 * @module http/bearer-auth
 * The operator token (THREESIX_HTTP_TOKEN) compared in constant time; token-auth.ts uses it. Both sides
 * are hashed first so the comparison neither leaks the length nor throws on a length mismatch.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
