import Cloudflare from 'cloudflare';
import { describe, expect } from 'vitest';
import { createCloudflareDnsProvider } from '../../src/adapters/cloudflare/cloudflare-dns-provider.js';
import { ownerMark } from '../../src/domain/dns-ownership.js';
import { startCheckedCloudflare } from '../support/cloudflare.js';
import { describeDnsProviderContract } from './dns-provider.contract.js';

const fast = { attempts: 4, maxWaitMs: 2000, baseDelayMs: 10 };

describeDnsProviderContract('Cloudflare adapter + stand-in', async () => {
  const cf = await startCheckedCloudflare({ zoneName: 'example.test', seedPlatform: true });
  const provider = createCloudflareDnsProvider({
    apiToken: cf.token,
    zoneId: cf.zone.id,
    zone: 'example.test',
    baseURL: cf.apiUrl,
    retry: fast,
  });
  return {
    provider,
    seedForeign: (records) => {
      for (const r of records) cf.zone.create({ ...r, comment: r.owner ? ownerMark(r.owner) : undefined });
    },
    close: async () => {
      await cf.close();
      expect(cf.violations).toEqual([]);
    },
  };
});

const token = process.env.CLOUDFLARE_API_TOKEN;
const zoneId = process.env.CLOUDFLARE_ZONE_ID;
if (!token || !zoneId)
  process.stderr.write(
    '\n[threesix tests] NOTE: CLOUDFLARE_API_TOKEN/CLOUDFLARE_ZONE_ID not set; the real Cloudflare contract run is SKIPPED.\n\n',
  );

describe.skipIf(!token || !zoneId)('real Cloudflare (CLOUDFLARE_API_TOKEN, CLOUDFLARE_ZONE_ID)', () => {
  describeDnsProviderContract('real Cloudflare', async () => {
    const client = new Cloudflare({
      apiToken: token!,
      ...(process.env.CLOUDFLARE_API_URL ? { baseURL: process.env.CLOUDFLARE_API_URL } : {}),
    });
    const zone = (await client.zones.get({ zone_id: zoneId! })).name.toLowerCase();
    const provider = createCloudflareDnsProvider({
      apiToken: token!,
      zoneId: zoneId!,
      zone,
      baseURL: process.env.CLOUDFLARE_API_URL,
    });
    const seeded: string[] = [];
    return {
      provider,
      seedForeign: async (records) => {
        for (const r of records) {
          const made = await client.dns.records.create({
            zone_id: zoneId!,
            type: r.type,
            name: r.name,
            content: r.content,
            ttl: r.ttl,
            ...(r.owner ? { comment: ownerMark(r.owner) } : {}),
          } as Cloudflare.DNS.RecordCreateParams);
          seeded.push(made.id);
        }
      },
      close: async () => {
        for (const id of seeded) await client.dns.records.delete(id, { zone_id: zoneId! });
      },
    };
  });
});
