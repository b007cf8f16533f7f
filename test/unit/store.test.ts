/**
 * The state store's contract, held against both stores: SQLite (the embedded default) and
 * PostgreSQL (THREESIX_DATABASE_URL), the latter on a throwaway server this file starts
 * (test/support/postgres.ts) and skipped, visibly, when PostgreSQL's binaries are not installed.
 * Below it, what only SQLite has (its file, WAL, pragmas).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStateStore } from '../../src/adapters/postgres/postgres-state-store.js';
import { BACKSTOP_PAGES } from '../../src/adapters/sqlite/background-checkpoints.js';
import { openDatabase } from '../../src/adapters/sqlite/database.js';
import { migrations } from '../../src/adapters/sqlite/migrations/index.js';
import { openSqliteStateStore } from '../../src/adapters/sqlite/sqlite-state-store.js';
import type { StateStore } from '../../src/ports/state-store.port.js';
import { postgresBinaries, startTestPostgres, type TestPostgres } from '../support/postgres.js';

/** Where a store lives: `open` opens (another) store on it, as a second process or a restart would. */
interface StoreLocation {
  open(): Promise<StateStore>;
}

interface Backend {
  name: string;
  skip: boolean;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** A new, empty database, migrated on first open. */
  location(): Promise<StoreLocation>;
}

const sqliteDirs: string[] = [];
let postgres: TestPostgres | undefined;

const backends: Backend[] = [
  {
    name: 'SQLite',
    skip: false,
    setUp: () => Promise.resolve(),
    tearDown: () => {
      for (const dir of sqliteDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
    location() {
      const dir = mkdtempSync(join(tmpdir(), 'threesix-store-'));
      sqliteDirs.push(dir);
      const file = join(dir, 'nested', 'threesix.db');
      return Promise.resolve({ open: () => openSqliteStateStore(file) });
    },
  },
  {
    name: 'PostgreSQL',
    skip: !postgresBinaries,
    setUp: async () => {
      postgres = await startTestPostgres();
    },
    tearDown: async () => {
      await postgres?.stop();
    },
    async location() {
      const url = await postgres!.freshDatabase();
      return { open: () => openPostgresStateStore(url) };
    },
  },
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(
    `state store contract on ${backend.name}${backend.skip ? ' (skipped: PostgreSQL binaries not installed; apt-get install postgresql)' : ''}`,
    () => {
      const stores: StateStore[] = [];
      const track = async (opening: Promise<StateStore>) => {
        const store = await opening;
        stores.push(store);
        return store;
      };
      const fresh = async () => {
        const location = await backend.location();
        return { location, store: await track(location.open()) };
      };
      beforeAll(() => backend.setUp(), 60_000);
      afterEach(async () => {
        await Promise.all(stores.splice(0).map((s) => s.close()));
      });
      afterAll(() => backend.tearDown());

      it('migrates an empty database once: opening it again applies nothing and keeps the rows', async () => {
        const { location, store } = await fresh();
        await store.projects.create({ name: 'alpha', description: 'first' });
        const again = await track(location.open());
        expect((await again.projects.all()).map((p) => [p.name, p.description])).toEqual([['alpha', 'first']]);
        await expect(again.ping()).resolves.toBeUndefined();
      });

      it('reserves a project name exactly once', async () => {
        const { store } = await fresh();
        await store.projects.create({ name: 'app', description: '' });
        await expect(store.projects.create({ name: 'app', description: '' })).rejects.toMatchObject({
          code: 'CONFLICT',
        });
        const started = store.operations.start(
          { id: 'op-dup', kind: 'create_project', target: 'app', input: {}, steps: ['repo'] },
          { reserve: { name: 'app', description: '' } },
        );
        await expect(started).rejects.toMatchObject({ code: 'CONFLICT' });
        // The journal row went with the refused reservation.
        expect(await store.operations.get('op-dup')).toBeUndefined();
      });

      it('pages projects by name with a cursor, and counts them', async () => {
        const { store } = await fresh();
        for (const name of ['c', 'a', 'e', 'b', 'd']) await store.projects.create({ name, description: '' });
        const first = await store.projects.list({ limit: 2 });
        expect(first.items.map((p) => p.name)).toEqual(['a', 'b']);
        const second = await store.projects.list({ limit: 2, cursor: first.nextCursor });
        expect(second.items.map((p) => p.name)).toEqual(['c', 'd']);
        const last = await store.projects.list({ limit: 2, cursor: second.nextCursor });
        expect(last).toEqual({ items: [expect.objectContaining({ name: 'e' })] });
        expect(await store.projects.count()).toBe(5);
        await store.projects.update('c', { state: 'ready', deploymentReplicas: 3, gitRepoId: 42 });
        expect((await store.projects.inState('ready')).map((p) => [p.name, p.deploymentReplicas, p.gitRepoId])).toEqual(
          [['c', 3, 42]],
        );
      });

      it('records a custom domain for one project only, whichever process writes it', async () => {
        const { location, store } = await fresh();
        // A second process (SQLite) or replica (PostgreSQL) that takes none of the first's locks.
        const other = await track(location.open());
        await store.projects.create({ name: 'shop', description: '' });
        await store.projects.create({ name: 'blog', description: '' });
        await store.projects.update('shop', { customDomains: ['a.example', 'b.example'] });
        await expect(
          other.projects.update('blog', { customDomains: ['c.example', 'b.example'] }),
        ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('"shop"') as unknown });
        // Refused as a whole: blog's list and its other host were not written.
        expect((await store.projects.require('blog')).customDomains).toEqual([]);
        expect((await other.projects.findByDomain('c.example'))?.name).toBeUndefined();
        // Given up by removal or deletion, a host can be taken again; writing one's own list again is no conflict.
        await store.projects.update('shop', { customDomains: ['a.example'] });
        await other.projects.update('blog', { customDomains: ['b.example'] });
        await other.projects.update('blog', { customDomains: ['b.example'] });
        await store.projects.delete('shop');
        await other.projects.update('blog', { customDomains: ['b.example', 'a.example'] });
        expect((await store.projects.require('blog')).customDomains).toEqual(['b.example', 'a.example']);
      });

      it('keeps JSON columns and finds a project by custom domain', async () => {
        const { store } = await fresh();
        await store.projects.create({ name: 'web', description: '', domain: 'web.example.test' });
        await store.projects.update('web', {
          customDomains: ['www.shop.example', 'shop.example'],
          dnsRecordIds: ['r1'],
        });
        expect((await store.projects.findByDomain('shop.example'))?.name).toBe('web');
        expect((await store.projects.findByDomain('web.example.test'))?.name).toBe('web');
        expect(await store.projects.findByDomain('example')).toBeUndefined();
        await store.projects.update('web', { deployTokenHash: 'a'.repeat(64) });
        expect((await store.projects.findByDeployTokenHash('a'.repeat(64)))?.name).toBe('web');
        expect(await store.projects.findByDeployTokenHash('b'.repeat(64))).toBeUndefined();
        expect((await store.projects.require('web')).dnsRecordIds).toEqual(['r1']);
        await expect(store.projects.update('nope', { state: 'ready' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });

      it('journals operation steps in order, with their outputs, intents and leases', async () => {
        const { store } = await fresh();
        await store.operations.start({
          id: 'op1',
          kind: 'create_project',
          target: 'app',
          input: { name: 'app' },
          steps: ['repo', 'dns'],
        });
        await store.operations.markStep('op1', 'repo', 'running');
        await store.operations.recordIntent('op1', 'repo', { create: 'app' });
        await store.operations.markStep('op1', 'repo', 'done', { output: { repoId: 7 } });
        await store.operations.markStep('op1', 'dns', 'failed', { error: 'UPSTREAM_UNAVAILABLE' });
        await store.operations.finish('op1', 'failed', { error: 'dns failed' });
        const op = await store.operations.findUnfinished('create_project', 'app');
        expect(op?.steps.map((s) => [s.name, s.status, s.output])).toEqual([
          ['repo', 'done', { repoId: 7 }],
          ['dns', 'failed', null],
        ]);
        expect(await store.operations.intentOf('op1', 'repo')).toEqual({ create: 'app' });
        await expect(store.operations.recordIntent('op1', 'nope', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        expect((await store.operations.reopen('op1')).status).toBe('running');
        expect((await store.operations.listByStatus('running')).map((o) => o.id)).toEqual(['op1']);
        expect(await store.operations.claim('op1', 'a', 60_000)).toBe(true);
        expect(await store.operations.claim('op1', 'b', 60_000)).toBe(false);
        expect(await store.operations.claim('op1', 'b', 60_000, { force: true })).toBe(true);
        await store.operations.release('op1', 'a');
        expect((await store.operations.get('op1'))?.lease?.owner).toBe('b');
      });

      it('claims a webhook delivery key once, even when claims race', async () => {
        const { store } = await fresh();
        const claims = await Promise.all(
          Array.from({ length: 20 }, () =>
            store.deliveries.claim({ key: 'k1', project: 'app', sha: null, status: 'accepted' }),
          ),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
        await store.deliveries.setStatus('k1', 'done', 'deployed');
        expect(await store.deliveries.get('k1')).toEqual({
          key: 'k1',
          project: 'app',
          sha: null,
          status: 'done',
          reason: 'deployed',
        });
      });

      it('queues a deploy with its keys claimed and its audit row in one transaction, and writes nothing for a duplicate', async () => {
        const { store } = await fresh();
        const audit = {
          actor: 'ci:app',
          action: 'ci.webhook',
          target: 'app',
          result: 'ok' as const,
          detail: { reason: 'queued' },
        };
        const item = { project: 'app', sha: 'a1', image: 'r.example/app:a1', actor: 'ci:app', audit };
        expect(await store.deliveries.seen(['idem:1', 'sha:app:a1'])).toBe(false);
        const first = await store.deployQueue.enqueue({ ...item, keys: ['idem:1', 'sha:app:a1'] });
        if (!('queued' in first)) throw new Error('expected the first delivery to be queued');
        expect(await store.deliveries.seen(['idem:other', 'sha:app:a1'])).toBe(true);
        expect(await store.audit.list({ action: 'ci.webhook' })).toEqual([
          expect.objectContaining({
            actor: 'ci:app',
            target: 'app',
            result: 'ok',
            detail: { reason: 'queued', deployId: first.queued.id },
          }),
        ]);
        // A new delivery key with the commit's key seen before: neither key, queue entry nor audit row is written.
        expect(await store.deployQueue.enqueue({ ...item, keys: ['idem:2', 'sha:app:a1'] })).toEqual({
          duplicateKey: 'sha:app:a1',
        });
        expect(await store.deliveries.seen(['idem:2'])).toBe(false);
        expect(await store.deployQueue.list('app')).toHaveLength(1);
        expect(await store.audit.list({ action: 'ci.webhook' })).toHaveLength(1);
        expect(await store.deployQueue.enqueue({ ...item, keys: ['idem:3', 'idem:3'] })).toEqual({
          duplicateKey: 'idem:3',
        });
        expect(await store.deliveries.seen([])).toBe(false);
      });

      it('takes the newest queued deploy and supersedes the older ones; a restart requeues the running one', async () => {
        const { location, store: before } = await fresh();
        let store = before;
        for (const sha of ['s1', 's2', 's3'])
          await store.deployQueue.enqueue({
            project: 'app',
            sha,
            image: `r/app:${sha}`,
            actor: 'ci',
            keys: [`k:${sha}`],
          });
        expect(await store.deployQueue.pendingProjects()).toEqual(['app']);
        const taken = await store.deployQueue.takeNext('app');
        expect(taken).toMatchObject({ sha: 's3', status: 'running' });
        expect((await store.deployQueue.list('app')).map((d) => [d.sha, d.status])).toEqual([
          ['s3', 'running'],
          ['s2', 'superseded'],
          ['s1', 'superseded'],
        ]);
        expect(await store.deployQueue.takeNext('app')).toBeUndefined();
        // The process stops mid-deploy and starts again.
        await store.close();
        stores.splice(stores.indexOf(store), 1);
        store = await track(location.open());
        expect(await store.deployQueue.requeueRunning()).toBe(1);
        const again = await store.deployQueue.takeNext('app');
        expect(again?.id).toBe(taken!.id);
        await store.deployQueue.finish(again!.id, 'done');
        expect(await store.deployQueue.pendingProjects()).toEqual([]);
      });

      // Two SQLite stores in one process cannot both write: better-sqlite3 waits for a lock synchronously,
      // blocking the event loop the lock holder needs to finish. Replicas on one database are PostgreSQL's case.
      it.skipIf(backend.name === 'SQLite')(
        'hands a queued deploy to exactly one of two stores (two replicas) taking it at the same time',
        async () => {
          const { location, store: first } = await fresh();
          const second = await track(location.open());
          for (let round = 0; round < 20; round++) {
            const project = `p${round}`;
            for (const sha of ['old', 'new'])
              await first.deployQueue.enqueue({
                project,
                sha,
                image: `r/${project}:${sha}`,
                actor: 'ci',
                keys: [`${project}:${sha}`],
              });
            const taken = (
              await Promise.all([
                first.deployQueue.takeNext(project),
                second.deployQueue.takeNext(project),
                first.deployQueue.takeNext(project),
                second.deployQueue.takeNext(project),
              ])
            ).filter(Boolean);
            // One taker gets the newest; nobody gets the superseded one, nobody gets a deploy twice.
            expect(taken.map((t) => t!.sha)).toEqual(['new']);
          }
        },
      );

      // SQLite's store serves one process and puts back every running deploy at start; telling a live
      // replica's deploy from an abandoned one is what PostgreSQL's advisory locks add.
      it.skipIf(backend.name === 'SQLite')(
        'runs one deploy per project at a time across replicas, and a restart puts back only what a dead replica ran',
        async () => {
          const { location, store: first } = await fresh();
          const second = await track(location.open());
          const enqueue = (sha: string) =>
            first.deployQueue.enqueue({ project: 'app', sha, image: `r/app:${sha}`, actor: 'ci', keys: [sha] });
          await enqueue('s1');
          const running = await first.deployQueue.takeNext('app');
          await enqueue('s2');
          // The first replica is alive and running s1: the second neither takes s2 nor puts s1 back.
          expect(await second.deployQueue.takeNext('app')).toBeUndefined();
          expect(await second.deployQueue.requeueRunning()).toBe(0);
          await first.deployQueue.finish(running!.id, 'done');
          const next = await second.deployQueue.takeNext('app');
          expect(next?.sha).toBe('s2');
          // The second replica dies mid-deploy (its connections end without finishing): a new one puts s2
          // back and takes it.
          await second.close();
          stores.splice(stores.indexOf(second), 1);
          const third = await track(location.open());
          expect(await third.deployQueue.requeueRunning()).toBe(1);
          expect((await third.deployQueue.takeNext('app'))?.id).toBe(next!.id);
        },
      );

      it('makes an installation secret once, even when first uses race, and keeps it across reopen', async () => {
        const { location, store } = await fresh();
        let made = 0;
        const make = () => `value-${++made}`;
        const values = await Promise.all(Array.from({ length: 10 }, () => store.installSecrets.getOrCreate('k', make)));
        expect(new Set(values).size).toBe(1);
        const reopened = await track(location.open());
        expect(await reopened.installSecrets.getOrCreate('k', () => 'other')).toBe(values[0]);
      });

      it('tells whether a commit was ever released, per project and however old the release', async () => {
        const { store } = await fresh();
        await store.projects.create({ name: 'shop', description: '' });
        await store.projects.create({ name: 'blog', description: '' });
        const release = (sha: string) => ({
          project: 'shop',
          image: `r.example/shop:${sha}`,
          digest: null,
          commitSha: sha,
          envHash: null,
          port: 8080,
          replicas: 1,
          status: 'succeeded' as const,
        });
        await store.releases.create(release('a'.repeat(40)));
        for (let i = 0; i < 120; i++) await store.releases.create(release(String(i).padStart(40, '0')));
        expect(await store.releases.hasCommit('shop', 'a'.repeat(40))).toBe(true); // older than the newest 100
        expect(await store.releases.hasCommit('shop', 'b'.repeat(40))).toBe(false);
        expect(await store.releases.hasCommit('blog', 'a'.repeat(40))).toBe(false);
      });

      it('moves a release between states only from the state it is in', async () => {
        const { store } = await fresh();
        await store.projects.create({ name: 'shop', description: '' });
        const made = await store.releases.create({
          project: 'shop',
          image: 'r/shop:1',
          digest: null,
          commitSha: null,
          envHash: null,
          port: 8080,
          replicas: 2,
          status: 'in_progress',
        });
        expect(typeof made.id).toBe('number');
        expect((await store.releases.inProgress()).map((r) => r.id)).toEqual([made.id]);
        expect(await store.releases.transition(made.id, 'succeeded', 'failed')).toBeUndefined();
        expect(await store.releases.transition(made.id, 'in_progress', 'succeeded', 'rolled out')).toMatchObject({
          status: 'succeeded',
          reason: 'rolled out',
          replicas: 2,
        });
        expect(await store.releases.inProgress()).toEqual([]);
        expect((await store.releases.latest('shop', 'succeeded'))?.id).toBe(made.id);
        expect(await store.releases.update(made.id, { digest: 'sha256:' + 'f'.repeat(64) })).toMatchObject({
          digest: 'sha256:' + 'f'.repeat(64),
        });
        await expect(store.releases.setStatus(made.id + 1000, 'failed')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });

      it('deletes releases and settings with their project but keeps the audit trail', async () => {
        const { store } = await fresh();
        await store.projects.create({ name: 'gone', description: '' });
        const release = await store.releases.create({
          project: 'gone',
          image: 'r.example/x:1',
          digest: null,
          commitSha: null,
          envHash: null,
          port: 8080,
          replicas: 1,
          status: 'succeeded',
        });
        await store.audit.record({ actor: 'test', action: 'deploy', target: 'gone', result: 'ok', detail: null });
        await store.projects.delete('gone');
        expect(await store.releases.list('gone')).toEqual([]);
        expect(await store.releases.get(release.id)).toBeUndefined();
        expect(await store.audit.list({ target: 'gone' })).toHaveLength(1);
      });

      it('folds usage samples into minute and hour buckets: running average, peak, epoch-millisecond starts', async () => {
        const { store } = await fresh();
        const at = Date.UTC(2026, 11, 6, 12, 30, 15); // beyond 2^31: the bucket columns must be 8 bytes wide
        await store.usage.record(at, [{ project: 'app', cpuMillicores: 100, memoryBytes: 3_000_000_000, restarts: 0 }]);
        await store.usage.record(at + 1000, [
          { project: 'app', cpuMillicores: 300.5, memoryBytes: 1_000_000_001, restarts: 1 },
        ]);
        await store.usage.record(at + 2000, [
          { project: 'app', cpuMillicores: 200, memoryBytes: 2_000_000_000, restarts: 1 },
        ]);
        const [minute] = await store.usage.series('app', 'minute', 0);
        expect(minute).toMatchObject({
          start: Date.UTC(2026, 11, 6, 12, 30),
          cpuPeak: 300.5,
          memoryPeak: 3_000_000_000,
          restarts: 1,
          samples: 3,
        });
        // 8-byte floats: a 4-byte one would be off by tens of bytes here.
        expect(minute!.cpuAvg).toBeCloseTo(200.1666667, 6);
        expect(minute!.memoryAvg).toBeCloseTo(2_000_000_000.333, 2);
        expect((await store.usage.series('app', 'hour', 0))[0]).toMatchObject({
          start: Date.UTC(2026, 11, 6, 12),
          samples: 3,
        });
        expect(await store.usage.claimSlot(at, 'a')).toBe(true);
        expect(await store.usage.claimSlot(at, 'b')).toBe(false);
        expect(await store.usage.prune({ minutesBefore: at + 60_000, hoursBefore: 0 })).toEqual({
          minutes: 1,
          hours: 0,
        });
      });

      it('keeps project settings as one document, replaced by put', async () => {
        const { store } = await fresh();
        expect(await store.settings.get('app')).toBeUndefined();
        const settings = {
          env: { A: '1' },
          envManaged: true,
          secrets: {},
          healthCheckPath: '/healthz',
          cpu: null,
          memory: null,
          port: 8080,
        };
        await store.settings.put('app', settings);
        await store.settings.put('app', { ...settings, port: 9090 });
        expect(await store.settings.get('app')).toMatchObject({
          env: { A: '1' },
          port: 9090,
          healthCheckPath: '/healthz',
        });
        await store.settings.delete('app');
        expect(await store.settings.get('app')).toBeUndefined();
      });

      it('keeps agent tokens: one live token per name, revoked ones replaced, owners counted', async () => {
        const { store } = await fresh();
        const token = {
          name: 'ci',
          hash: 'h1',
          scope: 'write' as const,
          projects: ['shop-*'],
          maxProjects: 2,
          expiresAt: null,
        };
        expect(await store.access.anyToken()).toBe(false);
        await store.access.createToken(token);
        await expect(store.access.createToken({ ...token, hash: 'h2' })).rejects.toMatchObject({ code: 'CONFLICT' });
        expect(await store.access.findTokenByHash('h1')).toMatchObject({
          name: 'ci',
          projects: ['shop-*'],
          maxProjects: 2,
          revokedAt: null,
        });
        expect(await store.access.revokeToken('ci')).toBe(true);
        expect(await store.access.revokeToken('ci')).toBe(false);
        await store.access.createToken({ ...token, hash: 'h2' });
        expect((await store.access.listTokens()).map((t) => [t.name, t.hash])).toEqual([['ci', 'h2']]);
        await store.projects.create({ name: 'shop-1', description: '' });
        await store.access.claimProject('shop-1', 'ci');
        await store.access.claimProject('shop-1', 'other');
        expect(await store.access.countOwnedProjects('ci')).toBe(1);
        const release = await store.releases.create({
          project: 'shop-1',
          image: 'r/x:1',
          digest: null,
          commitSha: null,
          envHash: null,
          port: 8080,
          replicas: 1,
          status: 'succeeded',
        });
        await store.access.recordActor({ release: release.id }, 'ci');
        expect(await store.access.actorOf({ release: release.id })).toBe('ci');
      });

      it('keeps MCP sessions for every replica: initialize params, subscriptions, touch, delete and idle expiry', async () => {
        const { location, store } = await fresh();
        const initialize = {
          protocolVersion: '2025-06-18',
          capabilities: { roots: { listChanged: true } },
          clientInfo: { name: 'agent', version: '1.2' },
        };
        await store.mcpSessions.create({ id: 's1', identityName: 'ci', initialize });
        await store.mcpSessions.create({ id: 's2', identityName: null, initialize });
        await expect(store.mcpSessions.create({ id: 's1', identityName: 'ci', initialize })).rejects.toThrow();
        await store.mcpSessions.subscribe('s1', 'threesix://projects/b');
        await store.mcpSessions.subscribe('s1', 'threesix://projects/a');
        await store.mcpSessions.subscribe('s1', 'threesix://projects/a');
        await store.mcpSessions.subscribe('gone', 'threesix://projects/a');
        // Another replica (another connection, or a restart) sees the same session.
        const other = await track(location.open());
        expect(await other.mcpSessions.get('s1')).toMatchObject({
          id: 's1',
          identityName: 'ci',
          initialize,
          subscriptions: ['threesix://projects/a', 'threesix://projects/b'],
        });
        expect(await other.mcpSessions.get('s2')).toMatchObject({ identityName: null, subscriptions: [] });
        expect(await other.mcpSessions.subscriptions('gone')).toEqual([]);
        await other.mcpSessions.unsubscribe('s1', 'threesix://projects/b');
        expect(await store.mcpSessions.subscriptions('s1')).toEqual(['threesix://projects/a']);

        const before = (await store.mcpSessions.get('s1'))!.lastSeenAt;
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(await store.mcpSessions.touch('s1')).toBe(true);
        const touched = (await store.mcpSessions.get('s1'))!.lastSeenAt;
        expect(touched > before).toBe(true);
        // Expiry takes the sessions last used before the cutoff, and only those (of those named, when named).
        await store.mcpSessions.create({ id: 's3', identityName: null, initialize });
        await new Promise((resolve) => setTimeout(resolve, 5));
        const now = new Date().toISOString();
        expect(await store.mcpSessions.expire(now, [])).toEqual([]);
        expect(await store.mcpSessions.expire(now, ['s3', 'unknown'])).toEqual(['s3']);
        expect(await store.mcpSessions.expire(touched)).toEqual(['s2']);
        expect(await other.mcpSessions.get('s2')).toBeUndefined();
        expect(await store.mcpSessions.touch('s2')).toBe(false);

        expect(await other.mcpSessions.delete('s1')).toBe(true);
        expect(await other.mcpSessions.delete('s1')).toBe(false);
        expect(await store.mcpSessions.get('s1')).toBeUndefined();
        expect(await store.mcpSessions.subscriptions('s1')).toEqual([]);
        expect(await store.mcpSessions.touch('s1')).toBe(false);
      });
    },
  );
}

describe('SQLite state store on a real file', () => {
  const dirs: string[] = [];
  afterEach(() => {
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

  it('creates the file and its directory, in WAL mode with foreign keys, every migration recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'threesix-store-'));
    dirs.push(dir);
    const file = join(dir, 'nested', 'threesix.db');
    const store = await openSqliteStateStore(file);
    await store.projects.create({ name: 'alpha', description: 'first' });
    await store.releases.create({
      project: 'alpha',
      image: 'r/x:1',
      digest: null,
      commitSha: null,
      envHash: null,
      port: 8080,
      replicas: 1,
      status: 'succeeded',
    });
    await store.projects.delete('alpha');
    await store.close();
    const again = await openDatabase(file);
    expect(again.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(again.raw.prepare('select name from kysely_migration').all()).toHaveLength(Object.keys(migrations).length);
    await again.close();
    const raw = new BetterSqlite3(file, { readonly: true });
    expect(raw.prepare('select count(*) n from releases').get()).toEqual({ n: 0 });
    raw.close();
  });
});
