/**
 * @module services/list-dns
 * Pages through the zone's records, by default only those threesix owns. The provider returns the
 * whole zone (paginating upstream itself); the cursor here is an opaque offset into that list.
 */
import { invalidInput } from '../../domain/errors.js';
import type { DnsRecord } from '../../ports/dns-provider.port.js';
import type { AppContext } from '../shared/app-context.js';

/** A record as list_dns shows it: no provider id, plus whether this installation owns it. */
export type DnsRecordView = Omit<DnsRecord, 'id'> & { managed: boolean };

export interface ListDnsResult {
  zone: string;
  provider: string;
  records: DnsRecordView[];
  nextCursor?: string;
  total: number;
}

export async function listDns(
  app: AppContext,
  input: { managedOnly?: boolean; type?: string; cursor?: string; limit?: number },
): Promise<ListDnsResult> {
  const offset = input.cursor === undefined ? 0 : decodeCursor(input.cursor);
  const limit = Math.min(Math.max(input.limit ?? 100, 1), 500);
  const owner = app.config.THREESIX_OWNER_ID;
  const dns = await app.backends.dns.get();
  const all = (await dns.listRecords(input.type ? { type: input.type } : {}))
    .filter((r) => !(input.managedOnly ?? true) || r.owner === owner)
    .sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type) || a.content.localeCompare(b.content));
  const page = all.slice(offset, offset + limit);
  return {
    zone: dns.zone,
    provider: dns.provider,
    records: page.map((r) => ({
      name: r.name,
      type: r.type,
      content: r.content,
      ttl: r.ttl,
      proxied: r.proxied,
      owner: r.owner,
      managed: r.owner === owner,
    })),
    ...(offset + limit < all.length ? { nextCursor: Buffer.from(`o:${offset + limit}`).toString('base64url') } : {}),
    total: all.length,
  };
}

function decodeCursor(cursor: string): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalidInput('cursor is not one list_dns returned', 'Omit cursor to start from the first page');
  return Number(match[1]);
}
