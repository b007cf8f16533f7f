/**
 * @module sandbox/gitea/paginate
 * Gitea's list pagination: `page` (1-based) and `limit` (default 30, capped at 50), answered with
 * `X-Total-Count` and a `Link` header carrying rel next/prev/first/last.
 */
import type { Context } from 'hono';

export function paginate<T>(c: Context, items: T[], root: string): T[] {
  const url = new URL(c.req.url);
  const page = Math.max(Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1, 1);
  const limit = Math.min(Math.max(Number.parseInt(url.searchParams.get('limit') ?? '30', 10) || 30, 1), 50);
  const last = Math.max(Math.ceil(items.length / limit), 1);
  const link = (p: number, rel: string) => {
    const target = new URL(`${root}${url.pathname}`);
    url.searchParams.forEach((value, key) => target.searchParams.set(key, value));
    target.searchParams.set('limit', String(limit));
    target.searchParams.set('page', String(p));
    return `<${target.href}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
  c.header('X-Total-Count', String(items.length));
  if (links.length > 0) c.header('Link', links.join(','));
  c.header('Access-Control-Expose-Headers', 'X-Total-Count, Link');
  return items.slice((page - 1) * limit, page * limit);
}
