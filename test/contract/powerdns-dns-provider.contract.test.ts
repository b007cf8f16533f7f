import { Resolver } from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import { ownerMark } from '../../src/domain/dns-ownership.js';
import { createPowerDnsProvider } from '../../src/adapters/powerdns/powerdns-dns-provider.js';
import { toWire } from '../../src/adapters/powerdns/powerdns-rrsets.js';
import type { DnsRecordType } from '../../src/ports/dns-provider.port.js';
import { PDNS_PRESENT, startPowerDns } from '../support/powerdns.js';
import { describeDnsProviderContract } from './dns-provider.contract.js';

describe.skipIf(!PDNS_PRESENT)('real PowerDNS (pdns_server on loopback)', () => {
  describeDnsProviderContract('PowerDNS (real pdns_server)', async () => {
    const pdns = await startPowerDns('example.test');
    const provider = createPowerDnsProvider({
      apiUrl: pdns.apiUrl,
      apiKey: pdns.apiKey,
      serverId: 'localhost',
      zone: 'example.test',
    });
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${pdns.dnsPort}`]);
    return {
      provider,
      async seedForeign(records) {
        const rrsets = records.map((r) => ({
          name: `${r.name}.`,
          type: r.type,
          ttl: r.ttl,
          changetype: 'REPLACE',
          records: [{ content: toWire(r.type, r.content), disabled: false }],
          comments: r.owner ? [{ content: ownerMark(r.owner), account: 'someone' }] : [],
        }));
        const response = await pdns.api('PATCH', '/zones/example.test.', { rrsets });
        if (response.status !== 204) throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
      },
      async resolve(name: string, type: DnsRecordType) {
        try {
          if (type === 'A') return await resolver.resolve4(name);
          if (type === 'AAAA') return await resolver.resolve6(name);
          if (type === 'CNAME') return await resolver.resolveCname(name);
          return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
        } catch (error) {
          if ((error as { code?: string }).code === 'ENOTFOUND' || (error as { code?: string }).code === 'ENODATA')
            return [];
          throw error;
        }
      },
      close: () => pdns.stop(),
    };
  });
});

describe.skipIf(!PDNS_PRESENT)('PowerDNS adapter failures (real pdns_server)', () => {
  it('maps a wrong key, a missing zone and an unreachable server to domain errors without the key', async () => {
    const pdns = await startPowerDns('example.test');
    try {
      const make = (over: { apiKey?: string; zone?: string; apiUrl?: string }) =>
        createPowerDnsProvider({
          apiUrl: pdns.apiUrl,
          apiKey: pdns.apiKey,
          serverId: 'localhost',
          zone: 'example.test',
          ...over,
        });
      const fail = (p: Promise<unknown>) =>
        p.then(
          () => expect.fail('expected a failure'),
          (e: { code: string; toText(): string }) => e,
        );
      const denied = await fail(make({ apiKey: 'wrong-key-secret' }).probe());
      expect(denied.code).toBe('PERMISSION_DENIED');
      expect(denied.toText()).not.toContain('wrong-key-secret');
      expect((await fail(make({ zone: 'missing.test' }).probe())).code).toBe('NOT_FOUND');
      expect((await fail(make({ apiUrl: 'http://127.0.0.1:1' }).probe())).code).toBe('UPSTREAM_UNAVAILABLE');
      const checks = await make({ zone: 'missing.test' }).diagnose!();
      expect(checks.map((c) => c.ok)).toEqual([true, false]);
    } finally {
      await pdns.stop();
    }
  });
});
