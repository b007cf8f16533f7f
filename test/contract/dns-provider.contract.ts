/**
 * The DnsProvider contract: every adapter (memory, Cloudflare + stand-in, real PowerDNS, real
 * Cloudflare) must behave the same. Names carry a per-run label so a real shared zone is safe.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDnsChanges } from '../../src/domain/dns-plan.js';
import { DomainError } from '../../src/domain/errors.js';
import type {
  DesiredRecord,
  DnsChanges,
  DnsProvider,
  DnsRecord,
  DnsRecordType,
} from '../../src/ports/dns-provider.port.js';

export interface DnsContractHarness {
  provider: DnsProvider;
  /** Writes records the way another tool or person would: unmarked, or marked for another owner. */
  seedForeign(records: ReadonlyArray<Omit<DnsRecord, 'id'>>): void | Promise<void>;
  /** When the backend serves DNS, what a real query for name/type answers. */
  resolve?(name: string, type: DnsRecordType): Promise<string[]>;
  close(): void | Promise<void>;
}

const OWNER = 'contract-owner';

export function describeDnsProviderContract(
  label: string,
  makeHarness: () => DnsContractHarness | Promise<DnsContractHarness>,
): void {
  describe(`DnsProvider contract: ${label}`, () => {
    let h: DnsContractHarness;
    let dns: DnsProvider;
    const run = `c${randomBytes(3).toString('hex')}`;
    const name = (label: string) => `${label}-${run}.${dns.zone}`;
    const want = (n: string, type: DnsRecordType, content: string, ttl = 1): DesiredRecord => ({
      name: n,
      type,
      content,
      ttl,
      proxied: false,
    });
    const at = (n: string, type?: string) => dns.listRecords({ name: n, ...(type ? { type } : {}) });
    const apply = async (input: {
      upsert?: DesiredRecord[];
      remove?: Array<{ name: string; type: DnsRecordType }>;
    }) => {
      const names = [...(input.upsert ?? []), ...(input.remove ?? [])].map((r) => r.name);
      const current = (await Promise.all([...new Set(names)].map((n) => at(n)))).flat();
      return dns.applyChanges(planDnsChanges({ zone: dns.zone, owner: OWNER, current, ...input }), OWNER);
    };
    const failsWith = async (promise: Promise<unknown>, code: string) => {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(code);
    };

    beforeAll(async () => {
      h = await makeHarness();
      dns = h.provider;
    });
    afterAll(async () => {
      // Remove what this run made (real zones are shared); then stop the harness.
      const ours = (await dns.listRecords()).filter((r) => r.owner === OWNER && r.name.includes(run));
      if (ours.length) await dns.applyChanges({ create: [], update: [], delete: ours }, OWNER);
      await h.close();
    });

    it('probes and names its zone', async () => {
      await dns.probe();
      expect(dns.zone).toMatch(/\./);
      const checks = (await dns.diagnose?.()) ?? [];
      expect(checks.every((c) => c.ok)).toBe(true);
    });

    it('creates, updates and deletes an owned A record', async () => {
      const n = name('a');
      const written = await apply({ upsert: [want(n, 'A', '192.0.2.10')] });
      expect(written).toMatchObject([
        { name: n, type: 'A', content: '192.0.2.10', ttl: 1, proxied: false, owner: OWNER },
      ]);
      expect(await at(n, 'A')).toMatchObject([{ name: n, type: 'A', content: '192.0.2.10', ttl: 1, owner: OWNER }]);
      if (h.resolve) expect(await h.resolve(n, 'A')).toEqual(['192.0.2.10']);

      await apply({ upsert: [want(n, 'A', '192.0.2.11', 300)] });
      expect(await at(n, 'A')).toMatchObject([{ content: '192.0.2.11', ttl: 300, owner: OWNER }]);
      if (h.resolve) expect(await h.resolve(n, 'A')).toEqual(['192.0.2.11']);

      await apply({ remove: [{ name: n, type: 'A' }] });
      expect(await at(n)).toEqual([]);
      if (h.resolve) expect(await h.resolve(n, 'A')).toEqual([]);
    });

    it('round-trips AAAA, CNAME and TXT contents exactly', async () => {
      const txt = `v=test "quoted" back\\slash ${'x'.repeat(300)}`;
      const records = [
        want(name('six'), 'AAAA', '2001:db8::1'),
        want(name('alias'), 'CNAME', 'target.example.net'),
        want(name('txt'), 'TXT', txt, 120),
      ];
      await apply({ upsert: records });
      for (const r of records) {
        expect(await at(r.name, r.type)).toMatchObject([
          { name: r.name, type: r.type, content: r.content, ttl: r.ttl, owner: OWNER },
        ]);
      }
      if (h.resolve) {
        expect(await h.resolve(records[0]!.name, 'AAAA')).toEqual(['2001:db8::1']);
        expect(await h.resolve(records[1]!.name, 'CNAME')).toEqual(['target.example.net']);
        expect(await h.resolve(records[2]!.name, 'TXT')).toEqual([txt]);
      }
      await apply({ remove: records.map((r) => ({ name: r.name, type: r.type })) });
      for (const r of records) expect(await at(r.name)).toEqual([]);
    });

    it('reports foreign records with their owner, and an exact name/type filter', async () => {
      const [n1, n2] = [name('foreign1'), name('foreign2')];
      await h.seedForeign([
        { name: n1, type: 'A', content: '198.51.100.1', ttl: 300, proxied: false, owner: null },
        { name: n2, type: 'TXT', content: 'hand made', ttl: 300, proxied: false, owner: 'someone-else' },
      ]);
      expect(await at(n1)).toMatchObject([{ name: n1, type: 'A', content: '198.51.100.1', owner: null }]);
      expect(await at(n2, 'TXT')).toMatchObject([{ name: n2, content: 'hand made', owner: 'someone-else' }]);
      expect(await at(n2, 'A')).toEqual([]);
      const all = await dns.listRecords();
      expect(all.filter((r) => r.name === n1 || r.name === n2)).toHaveLength(2);
    });

    it('refuses to touch records it does not own, and changes nothing', async () => {
      const n = name('theirs');
      await h.seedForeign([{ name: n, type: 'A', content: '198.51.100.2', ttl: 300, proxied: false, owner: null }]);
      const [theirs] = await at(n);
      await failsWith(apply({ upsert: [want(n, 'A', '192.0.2.1')] }), 'CONFLICT');
      // Even a hand-built plan claiming ownership is refused: adapters re-check before writing.
      const forged: DnsChanges = { create: [], update: [], delete: [{ ...theirs!, owner: OWNER }] };
      await failsWith(dns.applyChanges(forged, OWNER), 'CONFLICT');
      expect(await at(n)).toEqual([theirs]);
    });

    it('refuses a CNAME next to foreign records at the same name', async () => {
      const n = name('busy');
      await h.seedForeign([{ name: n, type: 'TXT', content: 'keep me', ttl: 300, proxied: false, owner: null }]);
      await failsWith(apply({ upsert: [want(n, 'CNAME', 'target.example.net')] }), 'CONFLICT');
      expect(await at(n)).toMatchObject([{ type: 'TXT', content: 'keep me' }]);
    });

    it('answers NOT_FOUND for a delete of a record that is gone', async () => {
      const n = name('gone');
      const [written] = await apply({ upsert: [want(n, 'A', '192.0.2.20')] });
      await apply({ remove: [{ name: n, type: 'A' }] });
      await failsWith(dns.applyChanges({ create: [], update: [], delete: [written!] }, OWNER), 'NOT_FOUND');
    });

    it('refuses platform names even in a hand-built plan', async () => {
      const apex = want(dns.zone, 'A', '192.0.2.30');
      await failsWith(dns.applyChanges({ create: [apex], update: [], delete: [] }, OWNER), 'INVALID_INPUT');
      await failsWith(
        dns.applyChanges({ create: [want(`git.${dns.zone}`, 'A', '192.0.2.30')], update: [], delete: [] }, OWNER),
        'INVALID_INPUT',
      );
    });
  });
}
