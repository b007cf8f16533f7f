/**
 * @module adapters/cloudflare/cloudflare-dns-provider
 * DnsProvider with the official Cloudflare SDK. The ownership mark is the record comment
 * (`threesix:owner=<id>`, available on every plan, unlike tags). Before changing or deleting a
 * record we re-read it and check the mark, so a stale plan cannot touch someone else's record.
 * The SDK's own retries are off (see cloudflare-retry): creates must never be blindly re-sent.
 */
import Cloudflare from 'cloudflare';
import { canonicalIPv6 } from '../../domain/dns-names.js';
import { assertPlanIsSafe, type DnsScope } from '../../domain/dns-plan.js';
import { ownerMark, parseOwnerMark } from '../../domain/dns-ownership.js';
import { conflict, preconditionFailed } from '../../domain/errors.js';
import { runCheck } from '../../domain/run-check.js';
import type { BackendCheck } from '../../ports/backend-probe.port.js';
import type { DesiredRecord, DnsChanges, DnsProvider, DnsRecord } from '../../ports/dns-provider.port.js';
import { jsonOnlyFetch } from './cloudflare-json-fetch.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './cloudflare-retry.js';

/**
 * Records per list page. Cloudflare's default is 100 (a reconcile of 10,000 projects took 100 pages)
 * and its schema allows 5,000,000, while its docs warn that very large pages may time out.
 */
const PAGE_SIZE = 1000;

export interface CloudflareDnsOptions {
  apiToken: string;
  zoneId: string;
  /** DEFAULT_DOMAIN: the zone's name, checked against Cloudflare's by probe(). */
  zone: string;
  baseURL?: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

interface CfRecordLike {
  id: string;
  name: string;
  type: string;
  content?: unknown;
  ttl: number;
  proxied?: boolean;
  comment?: string | null;
}

export function createCloudflareDnsProvider(options: CloudflareDnsOptions): DnsProvider {
  // maxRetries 0: retries happen in withRetry, which checks whether a lost write landed first.
  const client = new Cloudflare({
    apiToken: options.apiToken,
    baseURL: options.baseURL ?? null,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 30_000,
    fetch: jsonOnlyFetch(),
  });
  const policy = options.retry ?? DEFAULT_RETRY;
  const zone = options.zone;
  const zone_id = options.zoneId;
  const records = client.dns.records;

  const list = (filter: { name?: string; type?: string } = {}) =>
    withRetry(policy, async () => {
      const out: DnsRecord[] = [];
      const params = {
        zone_id,
        per_page: PAGE_SIZE,
        ...(filter.name ? { name: { exact: filter.name } } : {}),
        ...(filter.type ? { type: filter.type } : {}),
      };
      for await (const record of records.list(params as Cloudflare.DNS.RecordListParams)) out.push(toRecord(record));
      // Filter again locally: a provider that ignored a filter must not widen what we act on.
      return out.filter((r) => (!filter.name || r.name === filter.name) && (!filter.type || r.type === filter.type));
    });

  const body = (r: DesiredRecord, owner: string) => ({
    zone_id,
    type: r.type,
    name: r.name,
    content: r.content,
    ttl: r.ttl,
    proxied: r.proxied,
    comment: ownerMark(owner),
  });

  const assertStillOurs = async (record: DnsRecord, owner: string) => {
    const live = toRecord(await withRetry(policy, () => records.get(record.id, { zone_id })));
    if (live.owner !== owner)
      throw conflict(`DNS record ${live.name} ${live.type} is not owned by ${owner}; threesix never changes it`);
  };

  const probe = async () => {
    const info = await withRetry(policy, () => client.zones.get({ zone_id }));
    if (info.name.toLowerCase() !== zone) {
      throw preconditionFailed(
        `CLOUDFLARE_ZONE_ID is the zone ${info.name}, not DEFAULT_DOMAIN ${zone}`,
        'Set DEFAULT_DOMAIN to the zone name or use the matching zone id',
      );
    }
  };

  return {
    zone,
    provider: 'cloudflare',
    probe,
    async diagnose(): Promise<BackendCheck[]> {
      return [
        await runCheck('zone', async () => {
          await probe();
          return `zone ${zone} (${zone_id}) is reachable with the token`;
        }),
        await runCheck('dns read', async () => `${(await list()).length} records readable`),
      ];
    },
    listRecords: list,
    async applyChanges(changes: DnsChanges, owner: string, scope?: DnsScope) {
      assertPlanIsSafe(changes, owner, zone, scope);
      const written: DnsRecord[] = [];
      for (const record of changes.delete) {
        await assertStillOurs(record, owner);
        await withRetry(
          policy,
          () => records.delete(record.id, { zone_id }),
          async () => {
            const gone = await records.get(record.id, { zone_id }).then(
              () => false,
              () => true,
            );
            return gone ? { id: record.id } : undefined;
          },
        );
      }
      for (const { from, to } of changes.update) {
        await assertStillOurs(from, owner);
        // PUT is idempotent, so a plain retry is safe.
        const result = await withRetry(policy, () =>
          records.update(from.id, body(to, owner) as Cloudflare.DNS.RecordUpdateParams),
        );
        written.push(toRecord(result));
      }
      for (const to of changes.create) {
        const landed = async () =>
          (await list({ name: to.name, type: to.type })).find((r) => r.owner === owner && r.content === to.content);
        const result = await withRetry(
          policy,
          async () =>
            toRecord((await records.create(body(to, owner) as Cloudflare.DNS.RecordCreateParams)) as CfRecordLike),
          landed,
        );
        written.push(result);
      }
      return written;
    },
  };
}

function toRecord(r: CfRecordLike): DnsRecord {
  const type = r.type;
  let content = typeof r.content === 'string' ? r.content : JSON.stringify(r.content ?? '');
  if (type === 'CNAME') content = content.toLowerCase().replace(/\.$/, '');
  if (type === 'AAAA') content = canonicalIPv6(content) ?? content;
  return {
    id: r.id,
    name: r.name.toLowerCase().replace(/\.$/, ''),
    type,
    content,
    ttl: r.ttl,
    proxied: r.proxied ?? false,
    owner: parseOwnerMark(r.comment),
  };
}
