/**
 * @module http/bearer-auth
 * `Authorization: Bearer <token>` checked in constant time. Both sides are hashed first so the
 * comparison neither leaks the length nor throws on a length mismatch.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerAuth(token: string | undefined): MiddlewareHandler {
  return async function bearerAuthMiddleware(c, next) {
    if (token === undefined) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !tokensEqual(match[1]!.trim(), token)) {
      c.header('WWW-Authenticate', 'Bearer realm="threesix"');
      return c.json({ error: { code: 'PERMISSION_DENIED', message: 'missing or wrong bearer token' } }, 401);
    }
    await next();
  };
}
