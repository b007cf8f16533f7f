import { afterEach, describe, expect, it } from 'vitest';
import { createCloudflareDnsProvider } from '../../src/adapters/cloudflare/cloudflare-dns-provider.js';
import { createJsonLogger } from '../../src/adapters/log/json-logger.js';
import { loadConfig } from '../../src/config.js';
import { DomainError } from '../../src/domain/errors.js';
import { standIns } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { startCheckedCloudflare, type CheckedCloudflare } from '../support/cloudflare.js';
import { exchangeLogEnv } from '../support/exchange-log.js';
import { createTestApp, tempDir } from '../support/test-app.js';

const fast = { attempts: 3, maxWaitMs: 2000, baseDelayMs: 10 };
const running: CheckedCloudflare[] = [];
afterEach(async () => {
  for (const cf of running.splice(0)) {
    await cf.close();
    expect(cf.violations).toEqual([]);
  }
});

async function start() {
  const cf = await startCheckedCloudflare({ zoneName: 'example.test', seedPlatform: true });
  running.push(cf);
  const adapter = (overrides: { apiToken?: string; zoneId?: string; zone?: string } = {}) =>
    createCloudflareDnsProvider({
      apiToken: cf.token,
      zoneId: cf.zone.id,
      zone: 'example.test',
      baseURL: cf.apiUrl,
      retry: fast,
      ...overrides,
    });
  return { cf, adapter };
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('Cloudflare adapter against the stand-in', () => {
  it('follows pagination past the first page of 1,000 records', async () => {
    const { cf, adapter } = await start();
    for (let i = 0; i < 2495; i++) cf.zone.create({ type: 'A', name: `bulk-${i}`, content: '192.0.2.1', ttl: 1 });
    const all = await adapter().listRecords();
    expect(all).toHaveLength(2500);
    expect(new Set(all.map((r) => r.id)).size).toBe(2500);
    const lists = cf.exchanges.filter((e) => e.method === 'GET' && e.path.endsWith('/dns_records'));
    expect(lists.length).toBeGreaterThanOrEqual(3);
    expect(lists.every((e) => new URLSearchParams(e.query).get('per_page') === '1000')).toBe(true);
  });

  it('maps a wrong token to PERMISSION_DENIED without echoing it', async () => {
    const { adapter } = await start();
    const error = await failure(adapter({ apiToken: 'wrong-secret-token-123' }).listRecords());
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.toText()).toContain('Zone:DNS:Edit');
    expect(error.toText()).not.toContain('wrong-secret-token-123');
  });

  it('maps an unknown zone id to NOT_FOUND and a zone-name mismatch to PRECONDITION_FAILED', async () => {
    const { adapter } = await start();
    expect((await failure(adapter({ zoneId: 'f'.repeat(32) }).probe())).code).toBe('NOT_FOUND');
    expect((await failure(adapter({ zone: 'other.test' }).probe())).code).toBe('PRECONDITION_FAILED');
    const checks = await adapter({ zoneId: 'f'.repeat(32) }).diagnose!();
    expect(checks.map((c) => c.ok)).toEqual([false, false]);
  });

  it('maps Cloudflare validation errors to INVALID_INPUT and keeps proxied records at automatic TTL', async () => {
    const { adapter } = await start();
    const dns = adapter();
    const txt = { name: 'p.example.test', type: 'TXT' as const, content: 'x', ttl: 1, proxied: true };
    expect((await failure(dns.applyChanges({ create: [txt], update: [], delete: [] }, 'me'))).code).toBe(
      'INVALID_INPUT',
    );
    const [made] = await dns.applyChanges(
      {
        create: [{ name: 'p.example.test', type: 'A', content: '192.0.2.5', ttl: 1, proxied: true }],
        update: [],
        delete: [],
      },
      'me',
    );
    expect(made).toMatchObject({ proxied: true, ttl: 1, owner: 'me' });
  });

  it('gives up after bounded retries on a persistent 5xx, as UPSTREAM_UNAVAILABLE', async () => {
    const { cf, adapter } = await start();
    cf.faults.inject({ status: 503, times: 10 });
    const error = await failure(adapter().listRecords());
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(cf.faults.served).toBe(fast.attempts);
  });
});

describe('Cloudflare stand-in in --sandbox', () => {
  it('starts for an unconfigured DNS backend and points the real adapter at itself', async () => {
    const config = loadConfig({ ...exchangeLogEnv(), THREESIX_DATA_DIR: tempDir(), DEFAULT_DOMAIN: 'sandbox.test' });
    const sandbox = await startSandbox(config, standIns, createJsonLogger({ level: 'error', write: () => undefined }));
    try {
      expect(sandbox.simulated).toContain('dns');
      const app = await createTestApp({
        env: { DEFAULT_DOMAIN: 'sandbox.test', ...sandbox.env },
        simulated: sandbox.simulated,
      });
      expect(app.config.configured.dns).toBe('cloudflare');
      const dns = await app.backends.dns.get();
      await dns.probe();
      const platform = await dns.listRecords();
      expect(platform.map((r) => r.name).sort()).toEqual([
        '*.sandbox.test',
        'ci.sandbox.test',
        'git.sandbox.test',
        'registry.sandbox.test',
        'sandbox.test',
      ]);
      expect(platform.every((r) => r.owner === null)).toBe(true);
    } finally {
      await sandbox.stop();
    }
  });
});
