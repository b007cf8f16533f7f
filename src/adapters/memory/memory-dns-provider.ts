/**
 * @module adapters/memory/memory-dns-provider
 * A stateful in-memory zone for service tests. It enforces what real providers enforce (unknown
 * ids, duplicate records, CNAME exclusivity, writes only to our own records), so code that passes
 * against it behaves the same against Cloudflare and PowerDNS; the contract suite proves it.
 */
import { randomUUID } from 'node:crypto';
import { assertPlanIsSafe, type DnsScope } from '../../domain/dns-plan.js';
import { conflict, notFound } from '../../domain/errors.js';
import type { DesiredRecord, DnsChanges, DnsProvider, DnsRecord } from '../../ports/dns-provider.port.js';
import { settled } from './settled.js';

export interface MemoryDnsProvider extends DnsProvider {
  /** Adds records as if someone else (or `owner`) had made them; returns them with ids. */
  seed(records: ReadonlyArray<Omit<DnsRecord, 'id'>>): DnsRecord[];
  /** Number of write calls served (creates, updates, deletes), for "dry run wrote nothing" tests. */
  readonly writes: number;
}

export function createMemoryDnsProvider(zone = 'example.test'): MemoryDnsProvider {
  const records = new Map<string, DnsRecord>();
  let writes = 0;
  const copy = (r: DnsRecord): DnsRecord => ({ ...r });

  const checkCollision = (next: DesiredRecord, ignoreId?: string) => {
    for (const r of records.values()) {
      if (r.id === ignoreId || r.name !== next.name) continue;
      if (r.type === next.type && r.content === next.content)
        throw conflict(`an identical ${r.type} record for ${r.name} already exists`);
      if (r.type !== next.type && (r.type === 'CNAME' || next.type === 'CNAME')) {
        throw conflict(`a CNAME cannot share ${r.name} with a ${r.type === 'CNAME' ? next.type : r.type} record`);
      }
    }
  };

  return {
    zone,
    provider: 'memory',
    get writes() {
      return writes;
    },
    async probe() {},
    diagnose() {
      return settled(() => [{ check: 'zone', ok: true, detail: `in-memory zone ${zone}, ${records.size} records` }]);
    },
    seed(list) {
      return list.map((r) => {
        const record = { ...r, id: randomUUID() };
        records.set(record.id, record);
        return copy(record);
      });
    },
    listRecords(filter = {}) {
      return settled(() =>
        [...records.values()]
          .filter((r) => (!filter.name || r.name === filter.name) && (!filter.type || r.type === filter.type))
          .sort(
            (a, b) =>
              a.name.localeCompare(b.name) || a.type.localeCompare(b.type) || a.content.localeCompare(b.content),
          )
          .map(copy),
      );
    },
    applyChanges(changes: DnsChanges, owner: string, scope?: DnsScope) {
      return settled(() => {
        assertPlanIsSafe(changes, owner, zone, scope);
        const stored = (id: string) => {
          const found = records.get(id);
          if (!found) throw notFound(`DNS record ${id} no longer exists`, 'List the records again and re-plan');
          if (found.owner !== owner) throw conflict(`DNS record ${found.name} is not owned by ${owner}`);
          return found;
        };
        // Check everything first so a refused plan changes nothing.
        changes.delete.forEach((r) => stored(r.id));
        changes.update.forEach((u) => stored(u.from.id));
        const written: DnsRecord[] = [];
        for (const r of changes.delete) {
          records.delete(r.id);
          writes++;
        }
        for (const { from, to } of changes.update) {
          checkCollision(to, from.id);
          const record = { ...to, id: from.id, owner };
          records.set(record.id, record);
          written.push(copy(record));
          writes++;
        }
        for (const to of changes.create) {
          checkCollision(to);
          const record = { ...to, id: randomUUID(), owner };
          records.set(record.id, record);
          written.push(copy(record));
          writes++;
        }
        return written;
      });
    },
  };
}
