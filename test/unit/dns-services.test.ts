import { describe, expect, it } from 'vitest';
import { createMemoryDnsProvider, type MemoryDnsProvider } from '../../src/adapters/memory/memory-dns-provider.js';
import { DomainError } from '../../src/domain/errors.js';
import { deleteDns } from '../../src/services/dns/delete-dns.service.js';
import { ensureProjectDns } from '../../src/services/dns/ensure-project-dns.service.js';
import { listDns } from '../../src/services/dns/list-dns.service.js';
import { removeProjectDns } from '../../src/services/dns/remove-project-dns.service.js';
import { upsertDns } from '../../src/services/dns/upsert-dns.service.js';
import { createTestApp } from '../support/test-app.js';

const ZONE = 'example.test';

async function setup(env: Record<string, string> = {}, dns: MemoryDnsProvider = createMemoryDnsProvider(ZONE)) {
  const app = await createTestApp({
    env: { DEFAULT_DOMAIN: ZONE, CLUSTER_IP: '10.1.2.3', ...env },
    factories: { dns: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(dns) }) },
  });
  return { app, dns };
}

async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).code;
}

describe('DNS services on the in-memory provider', () => {
  it('ensures the project record idempotently, and removes only what it owns', async () => {
    const { app, dns } = await setup();
    const first = await ensureProjectDns(app, 'shop');
    expect(first).toMatchObject({
      fqdn: `shop.${ZONE}`,
      changed: true,
      records: [{ type: 'A', content: '10.1.2.3', owner: 'threesix' }],
    });
    const writes = dns.writes;
    expect(await ensureProjectDns(app, 'shop')).toMatchObject({
      changed: false,
      records: [{ id: first.records[0]!.id }],
    });
    expect(dns.writes).toBe(writes);
    dns.seed([{ name: `shop.${ZONE}`, type: 'TXT', content: 'someone else', ttl: 300, proxied: false, owner: null }]);
    expect(await removeProjectDns(app, 'shop')).toEqual({ fqdn: `shop.${ZONE}`, removed: 1, keptForeign: 1 });
    expect(await removeProjectDns(app, 'shop')).toEqual({ fqdn: `shop.${ZONE}`, removed: 0, keptForeign: 1 });
    expect(await dns.listRecords({ name: `shop.${ZONE}` })).toMatchObject([{ type: 'TXT', owner: null }]);
  });

  it('switches its own A to a CNAME when DNS_TARGET is set, and refuses a foreign record at the name', async () => {
    const { app, dns } = await setup();
    await ensureProjectDns(app, 'blog');
    const { app: cnameApp } = await setup({ DNS_TARGET: 'edge.example.net' }, dns); // same zone, new configuration
    expect(await ensureProjectDns(cnameApp, 'blog')).toMatchObject({
      changed: true,
      records: [{ type: 'CNAME', content: 'edge.example.net' }],
    });
    dns.seed([{ name: `taken.${ZONE}`, type: 'A', content: '192.0.2.9', ttl: 1, proxied: false, owner: null }]);
    expect(await code(ensureProjectDns(app, 'taken'))).toBe('CONFLICT');
  });

  it('refuses bad input before asking the backend', async () => {
    const { app, dns } = await setup();
    const before = dns.writes;
    expect(await code(upsertDns(app, { name: 'x', type: 'TXT', content: 'a', proxied: true }))).toBe('INVALID_INPUT');
    expect(await code(upsertDns(app, { name: 'x', type: 'A', content: '192.0.2.1', proxied: true, ttl: 300 }))).toBe(
      'INVALID_INPUT',
    );
    // proxied is Cloudflare's; the memory provider (like PowerDNS) refuses it.
    expect(await code(upsertDns(app, { name: 'x', type: 'A', content: '192.0.2.1', proxied: true }))).toBe(
      'INVALID_INPUT',
    );
    expect(await code(deleteDns(app, { name: 'x', type: 'A', confirm: 'x' }))).toBe('INVALID_INPUT');
    expect(await code(listDns(app, { cursor: 'not-a-cursor' }))).toBe('INVALID_INPUT');
    expect(dns.writes).toBe(before);
  });

  it('pages list_dns with an opaque cursor', async () => {
    const { app, dns } = await setup();
    dns.seed(
      Array.from({ length: 7 }, (_, i) => ({
        name: `n${i}.${ZONE}`,
        type: 'A',
        content: `192.0.2.${i}`,
        ttl: 1,
        proxied: false,
        owner: i < 5 ? 'threesix' : null,
      })),
    );
    const first = await listDns(app, { limit: 3 });
    expect(first).toMatchObject({ total: 5, records: [{ name: `n0.${ZONE}`, managed: true }, {}, {}] });
    const second = await listDns(app, { limit: 3, cursor: first.nextCursor });
    expect(second.records.map((r) => r.name)).toEqual([`n3.${ZONE}`, `n4.${ZONE}`]);
    expect(second.nextCursor).toBeUndefined();
    expect((await listDns(app, { managedOnly: false })).total).toBe(7);
  });

  it('answers NOT_CONFIGURED without a DNS backend', async () => {
    const app = await createTestApp({ env: { DEFAULT_DOMAIN: ZONE } });
    expect(await code(upsertDns(app, { name: 'x', type: 'A', content: '192.0.2.1' }))).toBe('NOT_CONFIGURED');
  });
});
