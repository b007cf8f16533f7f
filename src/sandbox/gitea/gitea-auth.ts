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

/** Gitea's token scope categories by API path prefix (routers/api/v1/api.go); none for /version. */
const CATEGORIES: Array<[RegExp, string[]]> = [
  [/^\/version$/, []],
  // `/users/{u}/orgs/...` needs both the user and the organization category.
  [/^\/users\/[^/]+\/orgs(\/|$)/, ['user', 'organization']],
  [/^\/users?(\/|$)/, ['user']],
  [/^\/orgs(\/|$)/, ['organization']],
  [/^\/(repos|repositories)(\/|$)/, ['repository']],
];

/**
 * The scopes a scoped token lacks for a request to `path` (relative to /api/v1), e.g.
 * ["read:user"]; empty when it may go ahead. `write:x` includes `read:x`; `all` includes everything.
 */
export function missingScopes(scopes: readonly string[], method: string, path: string): string[] {
  if (scopes.includes('all')) return [];
  const categories = CATEGORIES.find(([pattern]) => pattern.test(path))?.[1] ?? ['admin'];
  const level = method === 'GET' || method === 'HEAD' ? 'read' : 'write';
  return categories
    .filter(
      (category) => !scopes.includes(`write:${category}`) && !(level === 'read' && scopes.includes(`read:${category}`)),
    )
    .map((category) => `${level}:${category}`);
}
