/**
 * @module adapters/gitea/gitea-pagination
 * Gitea pages with `page`/`limit` and says where it stands in `X-Total-Count` and a `Link` header
 * (rel next/prev/first/last). A missing header means one page.
 */
export interface PageInfo {
  total: number | undefined;
  nextPage: number | undefined;
}

export function pageInfo(headers: Headers): PageInfo {
  const totalHeader = headers.get('x-total-count');
  const total = totalHeader !== null && /^\d+$/.test(totalHeader) ? Number(totalHeader) : undefined;
  return { total, nextPage: nextPageFromLink(headers.get('link')) };
}

export function nextPageFromLink(link: string | null): number | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (!match) continue;
    const page = new URL(match[1]!, 'http://x').searchParams.get('page');
    return page && /^\d+$/.test(page) ? Number(page) : undefined;
  }
  return undefined;
}

/** Collects every page of a list call; bounded so a misbehaving server cannot loop us forever. */
export async function collectPages<T>(
  fetchPage: (page: number) => Promise<{ data: T[]; headers: Headers }>,
  maxPages = 50,
): Promise<T[]> {
  const items: T[] = [];
  let page: number | undefined = 1;
  for (let i = 0; page !== undefined && i < maxPages; i++) {
    const response = await fetchPage(page);
    items.push(...response.data);
    page = pageInfo(response.headers).nextPage;
  }
  return items;
}
