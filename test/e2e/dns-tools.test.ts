import { Resolver } from 'node:dns/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ownerMark } from '../../src/domain/dns-ownership.js';
import { toWire } from '../../src/adapters/powerdns/powerdns-rrsets.js';
import { startCheckedCloudflare, type CheckedCloudflare } from '../support/cloudflare.js';
import { PDNS_PRESENT, startPowerDns, type RunningPowerDns } from '../support/powerdns.js';
import { createTestApp } from '../support/test-app.js';
import { connectTools, expectOk, foreignRecords, runDnsScenario, ZONE, type Tools } from './dns-tools.scenario.js';

const OWNER = 'threesix-e2e';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function cloudflareTools(): Promise<{ cf: CheckedCloudflare; tools: Tools }> {
  const cf = await startCheckedCloudflare({ zoneName: ZONE });
  cleanups.push(() => cf.close());
  for (const r of foreignRecords()) cf.zone.create({ ...r, comment: r.owner ? ownerMark(r.owner) : undefined });
  // The real wiring: adapter-factories builds the Cloudflare adapter from these variables.
  const app = await createTestApp({
    env: {
      DEFAULT_DOMAIN: ZONE,
      THREESIX_OWNER_ID: OWNER,
      CLOUDFLARE_API_TOKEN: cf.token,
      CLOUDFLARE_ZONE_ID: cf.zone.id,
      CLOUDFLARE_API_URL: cf.apiUrl,
    },
  });
  const tools = await connectTools(app);
  cleanups.push(() => tools.close());
  return { cf, tools };
}

const foreignSnapshot = (cf: CheckedCloudflare) => () =>
  Promise.resolve(
    JSON.stringify(
      cf.zone
        .all()
        .filter((r) => !(r.comment ?? '').includes(ownerMark(OWNER)))
        .sort((a, b) => a.id.localeCompare(b.id)),
    ),
  );

describe('DNS tools over MCP: Cloudflare stand-in', () => {
  it('leaves 100 foreign records byte-identical while managing its own', async () => {
    const { cf, tools } = await cloudflareTools();
    expect(cf.zone.all()).toHaveLength(100);
    await runDnsScenario(tools, foreignSnapshot(cf));
    expect(cf.violations).toEqual([]);
  });

  it('dry runs send no write request at all', async () => {
    const { cf, tools } = await cloudflareTools();
    await expectOk(tools, 'upsert_dns', { name: 'kept', type: 'A', content: '192.0.2.70' });
    const writes = () => cf.exchanges.filter((e) => e.method !== 'GET').length;
    const before = writes();
    await expectOk(tools, 'upsert_dns', { name: 'new', type: 'A', content: '192.0.2.71', dryRun: true });
    await expectOk(tools, 'upsert_dns', { name: 'kept', type: 'A', content: '192.0.2.72', dryRun: true });
    expect(
      await expectOk(tools, 'delete_dns', { name: 'kept', type: 'A', confirm: `kept.${ZONE}`, dryRun: true }),
    ).toMatchObject({ plan: { delete: [{ content: '192.0.2.70' }] } });
    expect(writes()).toBe(before);
  });

  it('rides out a 429 storm and a lost create response without duplicates', async () => {
    const { cf, tools } = await cloudflareTools();
    const before = await foreignSnapshot(cf)();
    cf.faults.inject({ status: 502, times: 1, methods: ['POST'], afterApply: true });
    cf.faults.inject({ status: 429, times: 3, retryAfter: 1 });
    const started = Date.now();
    await expectOk(tools, 'upsert_dns', { name: 'storm', type: 'A', content: '192.0.2.50' });
    cf.faults.inject({ status: 429, times: 2, retryAfter: 1, methods: ['POST'] });
    cf.faults.inject({ status: 503, times: 2 });
    await expectOk(tools, 'upsert_dns', { name: 'storm-2', type: 'TXT', content: 'after the storm' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000); // five Retry-After: 1 waits were honoured
    expect(cf.faults.served).toBe(8);
    const ours = cf.zone.all().filter((r) => r.name.startsWith('storm'));
    expect(ours.map((r) => `${r.name} ${r.type} ${r.content}`).sort()).toEqual([
      `storm-2.${ZONE} TXT after the storm`,
      `storm.${ZONE} A 192.0.2.50`,
    ]);
    expect(await foreignSnapshot(cf)()).toBe(before);
    expect(cf.violations).toEqual([]);
  });

  it('fails fast with retryAfter when Cloudflare bans for minutes, writing nothing', async () => {
    const { cf, tools } = await cloudflareTools();
    cf.faults.inject({ status: 429, times: 1, retryAfter: 300 });
    const result = await tools.call('upsert_dns', { name: 'banned', type: 'A', content: '192.0.2.60' });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('UPSTREAM_UNAVAILABLE');
    expect(JSON.stringify(result.content)).toContain('Retry in 300 s');
    expect(JSON.stringify(result.content)).not.toContain(cf.token);
    expect(cf.zone.all().filter((r) => r.name.startsWith('banned'))).toEqual([]);
  });
});

describe.skipIf(!PDNS_PRESENT)('DNS tools over MCP: real PowerDNS', () => {
  it('leaves 100 foreign records byte-identical while managing its own, answering real DNS queries', async () => {
    const pdns: RunningPowerDns = await startPowerDns(ZONE);
    cleanups.push(() => pdns.stop());
    const rrsets = foreignRecords().map((r) => ({
      name: `${r.name}.`,
      type: r.type,
      ttl: r.ttl,
      changetype: 'REPLACE',
      records: [{ content: toWire(r.type, r.content), disabled: false }],
      comments: r.owner ? [{ content: ownerMark(r.owner), account: 'someone' }] : [],
    }));
    expect((await pdns.api('PATCH', `/zones/${ZONE}.`, { rrsets })).status).toBe(204);
    const app = await createTestApp({
      env: { DEFAULT_DOMAIN: ZONE, THREESIX_OWNER_ID: OWNER, PDNS_API_URL: pdns.apiUrl, PDNS_API_KEY: pdns.apiKey },
    });
    const tools = await connectTools(app);
    cleanups.push(() => tools.close());
    // SOA is excluded: PowerDNS bumps its serial on every change by design; it is the server's, not a seeded record.
    const snapshot = async () => {
      const zone = (await (await pdns.api('GET', `/zones/${ZONE}.`)).json()) as {
        rrsets: Array<{ name: string; type: string; comments: Array<{ content: string }> }>;
      };
      const foreign = zone.rrsets.filter(
        (r) => r.type !== 'SOA' && !r.comments.some((c) => c.content.includes(ownerMark(OWNER))),
      );
      return JSON.stringify(foreign.sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type)));
    };
    expect(JSON.parse(await snapshot())).toHaveLength(101); // the 100 seeded plus the zone's NS
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${pdns.dnsPort}`]);
    const resolve = (name: string) =>
      resolver
        .resolve4(name)
        .catch((e: NodeJS.ErrnoException) => (e.code === 'ENOTFOUND' || e.code === 'ENODATA' ? [] : Promise.reject(e)));
    await runDnsScenario(tools, snapshot, resolve);
  });
});
