/**
 * @module sandbox/gitea/gitea-auth
 * The stand-in's one credential is its token, accepted the ways Gitea accepts a personal access
 * token: `Authorization: token|bearer <t>`, HTTP Basic with the token as password (or as user
 * name), and the deprecated `?token=` / `?access_token=`. Compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function presentedToken(authorization: string | undefined, query: URLSearchParams): string | undefined {
  if (authorization) {
    const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
    const lower = scheme?.toLowerCase();
    if (lower === 'token' || lower === 'bearer') return value;
    if (lower === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon < 0 ? decoded : decoded.slice(0, colon);
      const password = colon < 0 ? '' : decoded.slice(colon + 1);
      return password || user;
    }
    return undefined;
  }
  return query.get('token') ?? query.get('access_token') ?? undefined;
}

export function tokenMatches(presented: string | undefined, token: string): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}
