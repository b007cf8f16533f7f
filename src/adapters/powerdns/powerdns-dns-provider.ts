/**
 * @module adapters/powerdns/powerdns-dns-provider
 * DnsProvider over the PowerDNS authoritative HTTP API. A plan becomes one PATCH of RRsets
 * (REPLACE or DELETE), which PowerDNS applies in one transaction. Ownership is re-read from the
 * server just before writing, so a plan made from stale records cannot touch someone else's RRset.
 */
import { assertPlanIsSafe, type DnsScope } from '../../domain/dns-plan.js';
import { conflict, invalidInput, notFound } from '../../domain/errors.js';
import { runCheck } from '../../domain/run-check.js';
import type { BackendCheck } from '../../ports/backend-probe.port.js';
import type { DesiredRecord, DnsChanges, DnsProvider, DnsRecord } from '../../ports/dns-provider.port.js';
import { createPowerDnsHttp, type PowerDnsHttpOptions } from './powerdns-http.js';
import { absolute, ownedRrset, rrsetToRecords, type PdnsRrset } from './powerdns-rrsets.js';

export interface PowerDnsProviderOptions extends PowerDnsHttpOptions {
  zone: string;
}

interface Group {
  name: string;
  type: string;
  current: DnsRecord[];
  contents: string[];
  ttl: number | undefined;
}

export function createPowerDnsProvider(options: PowerDnsProviderOptions): DnsProvider {
  const request = createPowerDnsHttp(options);
  const zone = options.zone;
  const zonePath = `/zones/${encodeURIComponent(absolute(zone))}`;
  const readZone = async () => ((await request('GET', zonePath)) as { rrsets: PdnsRrset[] }).rrsets;
  const readRecords = async () => (await readZone()).flatMap(rrsetToRecords);

  return {
    zone,
    provider: 'powerdns',
    async probe() {
      await request('GET', zonePath);
    },
    async diagnose(): Promise<BackendCheck[]> {
      return [
        await runCheck('api key', async () => {
          await request('GET', '');
          return `server ${options.serverId} answers`;
        }),
        await runCheck('zone', async () => `zone ${zone} has ${(await readZone()).length} RRsets`),
      ];
    },
    async listRecords(filter = {}) {
      return (await readRecords()).filter(
        (r) => (!filter.name || r.name === filter.name) && (!filter.type || r.type === filter.type),
      );
    },
    async applyChanges(changes: DnsChanges, owner: string, scope?: DnsScope) {
      assertPlanIsSafe(changes, owner, zone, scope);
      if ([...changes.create, ...changes.update.map((u) => u.to)].some((r) => r.proxied)) {
        throw invalidInput('PowerDNS cannot proxy records', 'Call again with proxied: false');
      }
      const current = await readRecords();
      const groups = new Map<string, Group>();
      const group = (name: string, type: string) => {
        const key = `${name}/${type}`;
        let found = groups.get(key);
        if (!found) {
          const existing = current.filter((r) => r.name === name && r.type === type);
          found = { name, type, current: existing, contents: existing.map((r) => r.content), ttl: undefined };
          groups.set(key, found);
        }
        return found;
      };
      const take = (record: DnsRecord) => {
        const g = group(record.name, record.type);
        const live = g.current.find((r) => r.id === record.id);
        if (!live)
          throw notFound(
            `DNS record ${record.name} ${record.type} ${record.content} no longer exists`,
            'List the records again and re-plan',
          );
        if (live.owner !== owner)
          throw conflict(
            `DNS record ${record.name} ${record.type} is not owned by ${owner}; threesix never changes it`,
          );
        g.contents = g.contents.filter((c) => c !== record.content);
      };
      const put = (record: DesiredRecord) => {
        const g = group(record.name, record.type);
        const foreign = g.current.find((r) => r.owner !== owner);
        if (foreign)
          throw conflict(
            `${record.name} already has a ${record.type} RRset not owned by ${owner}; threesix never changes it`,
          );
        if (g.contents.includes(record.content))
          throw conflict(`an identical ${record.type} record for ${record.name} already exists`);
        g.contents.push(record.content);
        g.ttl = record.ttl;
      };
      changes.delete.forEach(take);
      for (const { from, to } of changes.update) {
        take(from);
        put(to);
      }
      changes.create.forEach(put);
      const rrsets = [...groups.values()].map((g) =>
        g.contents.length === 0
          ? { name: absolute(g.name), type: g.type, changetype: 'DELETE' }
          : ownedRrset(g.name, g.type, g.contents, g.ttl ?? g.current[0]?.ttl ?? 1, owner),
      );
      // Deletes first, so a CNAME may replace the records it excludes within the same PATCH.
      rrsets.sort((a, b) => Number(a.changetype === 'REPLACE') - Number(b.changetype === 'REPLACE'));
      if (rrsets.length) await request('PATCH', zonePath, { rrsets });
      const written = [...changes.update.map((u) => u.to), ...changes.create];
      return written.map((r) => {
        const ttl = groups.get(`${r.name}/${r.type}`)!.ttl ?? r.ttl;
        return {
          id: `${r.name}/${r.type}/${r.content}`,
          name: r.name,
          type: r.type,
          content: r.content,
          ttl,
          proxied: false,
          owner,
        };
      });
    },
  };
}
