import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKSTOP_PAGES } from '../../src/adapters/sqlite/background-checkpoints.js';
import { openDatabase } from '../../src/adapters/sqlite/database.js';
import { migrations } from '../../src/adapters/sqlite/migrations/index.js';
import { openSqliteStateStore } from '../../src/adapters/sqlite/sqlite-state-store.js';
import type { StateStore } from '../../src/ports/state-store.port.js';

describe('SQLite state store on a real file', () => {
  const dirs: string[] = [];
  const stores: StateStore[] = [];
  const fresh = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'threesix-store-'));
    dirs.push(dir);
    const file = join(dir, 'nested', 'threesix.db');
    const store = await openSqliteStateStore(file);
    stores.push(store);
    return { file, store };
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map(s => s.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves WAL checkpoints to SQLite unless asked for the worker thread (serve)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'threesix-store-'));
    dirs.push(dir);
    const plain = await openDatabase(join(dir, 'plain.db'));
    const served = await openDatabase(join(dir, 'served.db'), { backgroundCheckpoints: true });
    expect(plain.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(served.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
    await Promise.all([plain.close(), served.close()]);
  });

  it('migrates an empty file, and re-running the migrations changes nothing', async () => {
    const { file, store } = await fresh();
    await store.projects.create({ name: 'alpha', description: 'first' });
    await store.close();
    stores.pop();
    const again = await openDatabase(file);
    const tables = again.raw.prepare("select name from sqlite_master where type='table' order by name").all() as { name: string }[];
    expect(tables.map(t => t.name)).toEqual(
      expect.arrayContaining(['projects', 'releases', 'operations', 'operation_steps', 'audit_events', 'webhook_deliveries']),
    );
    expect(again.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    const applied = again.raw.prepare('select name from kysely_migration').all();
    expect(applied).toHaveLength(Object.keys(migrations).length);
    expect(again.raw.prepare('select name from projects').all()).toEqual([{ name: 'alpha' }]);
    await again.close();
  });

  it('reserves a project name exactly once', async () => {
    const { store } = await fresh();
    await store.projects.create({ name: 'app', description: '' });
    await expect(store.projects.create({ name: 'app', description: '' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('pages projects by name with a cursor', async () => {
    const { store } = await fresh();
    for (const name of ['c', 'a', 'e', 'b', 'd']) await store.projects.create({ name, description: '' });
    const first = await store.projects.list({ limit: 2 });
    expect(first.items.map(p => p.name)).toEqual(['a', 'b']);
    const second = await store.projects.list({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map(p => p.name)).toEqual(['c', 'd']);
    const last = await store.projects.list({ limit: 2, cursor: second.nextCursor });
    expect(last).toEqual({ items: [expect.objectContaining({ name: 'e' })] });
  });

  it('keeps JSON columns and finds a project by custom domain', async () => {
    const { store } = await fresh();
    await store.projects.create({ name: 'web', description: '', domain: 'web.example.test' });
    await store.projects.update('web', { customDomains: ['www.shop.example', 'shop.example'], dnsRecordIds: ['r1'] });
    expect((await store.projects.findByDomain('shop.example'))?.name).toBe('web');
    expect((await store.projects.findByDomain('web.example.test'))?.name).toBe('web');
    expect(await store.projects.findByDomain('example')).toBeUndefined();
    await store.projects.update('web', { deployTokenHash: 'a'.repeat(64) });
    expect((await store.projects.findByDeployTokenHash('a'.repeat(64)))?.name).toBe('web');
    expect(await store.projects.findByDeployTokenHash('b'.repeat(64))).toBeUndefined();
    expect((await store.projects.require('web')).dnsRecordIds).toEqual(['r1']);
  });

  it('journals operation steps in order, with their outputs', async () => {
    const { store } = await fresh();
    await store.operations.start({ id: 'op1', kind: 'create_project', target: 'app', input: { name: 'app' }, steps: ['repo', 'dns'] });
    await store.operations.markStep('op1', 'repo', 'running');
    await store.operations.markStep('op1', 'repo', 'done', { output: { repoId: 7 } });
    await store.operations.markStep('op1', 'dns', 'failed', { error: 'UPSTREAM_UNAVAILABLE' });
    await store.operations.finish('op1', 'failed', { error: 'dns failed' });
    const op = await store.operations.findUnfinished('create_project', 'app');
    expect(op?.steps.map(s => [s.name, s.status, s.output])).toEqual([
      ['repo', 'done', { repoId: 7 }],
      ['dns', 'failed', null],
    ]);
    expect((await store.operations.reopen('op1')).status).toBe('running');
  });

  it('claims a webhook delivery key once, even when claims race', async () => {
    const { store } = await fresh();
    const claims = await Promise.all(
      Array.from({ length: 20 }, () => store.deliveries.claim({ key: 'k1', project: 'app', sha: null, status: 'accepted' })),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('queues a deploy with its keys claimed and its audit row in one transaction, and writes nothing for a duplicate', async () => {
    const { store } = await fresh();
    const audit = { actor: 'ci:app', action: 'ci.webhook', target: 'app', result: 'ok' as const, detail: { reason: 'queued' } };
    const item = { project: 'app', sha: 'a1', image: 'r.example/app:a1', actor: 'ci:app', audit };
    expect(await store.deliveries.seen(['idem:1', 'sha:app:a1'])).toBe(false);
    const first = await store.deployQueue.enqueue({ ...item, keys: ['idem:1', 'sha:app:a1'] });
    if (!('queued' in first)) throw new Error('expected the first delivery to be queued');
    expect(await store.deliveries.seen(['idem:other', 'sha:app:a1'])).toBe(true);
    expect(await store.audit.list({ action: 'ci.webhook' })).toEqual([
      expect.objectContaining({ actor: 'ci:app', target: 'app', result: 'ok', detail: { reason: 'queued', deployId: first.queued.id } }),
    ]);
    // A new delivery key with the commit's key seen before: neither key, queue entry nor audit row is written.
    expect(await store.deployQueue.enqueue({ ...item, keys: ['idem:2', 'sha:app:a1'] })).toEqual({ duplicateKey: 'sha:app:a1' });
    expect(await store.deliveries.seen(['idem:2'])).toBe(false);
    expect(await store.deployQueue.list('app')).toHaveLength(1);
    expect(await store.audit.list({ action: 'ci.webhook' })).toHaveLength(1);
    expect(await store.deployQueue.enqueue({ ...item, keys: ['idem:3', 'idem:3'] })).toEqual({ duplicateKey: 'idem:3' });
    expect(await store.deliveries.seen([])).toBe(false);
  });

  it('makes an installation secret once, even when first uses race, and keeps it across reopen', async () => {
    const { file, store } = await fresh();
    let made = 0;
    const make = () => `value-${++made}`;
    const values = await Promise.all(Array.from({ length: 10 }, () => store.installSecrets.getOrCreate('k', make)));
    expect(new Set(values).size).toBe(1);
    await store.close();
    const reopened = await openSqliteStateStore(file);
    stores.push(reopened);
    expect(await reopened.installSecrets.getOrCreate('k', () => 'other')).toBe(values[0]);
  });

  it('tells whether a commit was ever released, per project and however old the release', async () => {
    const { store } = await fresh();
    await store.projects.create({ name: 'shop', description: '' });
    await store.projects.create({ name: 'blog', description: '' });
    const release = (sha: string) => ({ project: 'shop', image: `r.example/shop:${sha}`, digest: null, commitSha: sha, envHash: null, port: 8080, replicas: 1, status: 'succeeded' as const });
    await store.releases.create(release('a'.repeat(40)));
    for (let i = 0; i < 120; i++) await store.releases.create(release(String(i).padStart(40, '0')));
    expect(await store.releases.hasCommit('shop', 'a'.repeat(40))).toBe(true); // older than the newest 100
    expect(await store.releases.hasCommit('shop', 'b'.repeat(40))).toBe(false);
    expect(await store.releases.hasCommit('blog', 'a'.repeat(40))).toBe(false);
  });

  it('deletes releases with their project but keeps the audit trail', async () => {
    const { store, file } = await fresh();
    await store.projects.create({ name: 'gone', description: '' });
    await store.releases.create({ project: 'gone', image: 'r.example/x:1', digest: null, commitSha: null, envHash: null, port: 8080, replicas: 1, status: 'succeeded' });
    await store.audit.record({ actor: 'test', action: 'deploy', target: 'gone', result: 'ok', detail: null });
    await store.projects.delete('gone');
    expect(await store.releases.list('gone')).toEqual([]);
    expect(await store.audit.list({ target: 'gone' })).toHaveLength(1);
    const raw = new BetterSqlite3(file, { readonly: true });
    expect(raw.prepare('select count(*) n from releases').get()).toEqual({ n: 0 });
    raw.close();
  });
});
