import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/services/databases/create-database.service.js';
import { deleteDatabase } from '../../src/services/databases/delete-database.service.js';
import { deployRelease } from '../../src/services/deploy/deploy-release.service.js';
import { listReleases } from '../../src/services/deploy/list-releases.service.js';
import { deleteProject } from '../../src/services/projects/delete-project.service.js';
import { reconcile } from '../../src/services/reconcile/reconcile.service.js';
import { getProject } from '../../src/services/projects/get-project.service.js';
import { deployStatus } from '../../src/services/deploy/deploy-status.service.js';
import { memoryDeployApp } from '../support/memory-deploy-app.js';
import { seedProject } from '../support/seed-project.js';
import { CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { like } from '../support/matchers.js';

describe('database services (memory adapters)', () => {
  it('creates the database, waits until it is ready, and rolls the running app out with it once', async () => {
    const { app, registry, deployer, image } = await memoryDeployApp();
    registry.push('threesix/shop', 'v1');
    const first = await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    expect(deployer.databaseWired('shop')).toBe(false);
    const r = await createDatabase(app, { project: 'shop' });
    expect(r).toMatchObject({
      status: 'ready',
      dryRun: false,
      database: { cluster: 'shop-db', status: 'ready', size: '1Gi', instances: 1, secret: 'shop-db-app' },
    });
    expect(r.database?.env).toEqual(['DATABASE_URL', 'PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE']);
    expect(r.release).toMatchObject({ status: 'succeeded' });
    expect((await getProject(app, 'shop')).live.database).toEqual({
      status: 'ok',
      data: like.objectContaining({
        exists: true,
        cluster: 'shop-db',
        status: 'ready',
        size: '1Gi',
        instances: 1,
        readyInstances: 1,
        version: '17',
      }),
    });
    expect((await deployStatus(app, 'shop')).database).toMatchObject({
      cluster: 'shop-db',
      status: 'ready',
      size: '1Gi',
      instances: 1,
      env: like.arrayContaining(['DATABASE_URL']),
    });
    expect(JSON.stringify(r)).not.toMatch(/password|postgresql:\/\//);
    expect(r.release!.id).toBeGreaterThan(first.release.id);
    expect(deployer.databaseWired('shop')).toBe(true);
    const releases = (await listReleases(app, 'shop')).releases;
    expect(releases[0]).toMatchObject({
      id: r.release!.id,
      digest: first.release.digest,
      reason: 'database attached',
      status: 'succeeded',
    });
    // Idempotent: the running release already reads the database, so nothing rolls again.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await createDatabase(app, { project: 'shop' });
    expect(again).toMatchObject({ status: 'ready', release: null });
    expect((await listReleases(app, 'shop')).releases).toHaveLength(releases.length);
  });

  it('creates the database of a project not deployed yet without a release; its first deploy reads it', async () => {
    const { app, registry, deployer, image } = await memoryDeployApp();
    const r = await createDatabase(app, { project: 'shop', size: '2Gi', version: 16 });
    expect(r).toMatchObject({ status: 'ready', release: null, database: { size: '2Gi', version: '16' } });
    expect(r.nextStep).toContain('next deploy');
    registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    expect(deployer.databaseWired('shop')).toBe(true);
  });

  it('reports a database still starting when the operator outlasts the wait, and a later call finishes the wiring', async () => {
    const { app, registry, image } = await memoryDeployApp({ env: { THREESIX_DEPLOY_WAIT_S: '1' } });
    // The memory operator becomes healthy after this many status reads (about one per second while waiting).
    const deployer =
      (await app.backends.deployer.get()) as import('../../src/adapters/memory/memory-deployer.js').MemoryDeployer;
    registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    deployer.databases.readyPolls = 4;
    const r = await createDatabase(app, { project: 'shop' });
    expect(r).toMatchObject({
      status: 'starting',
      release: null,
      database: { status: 'starting', phase: 'Setting up primary' },
    });
    expect(r.nextStep).toContain('create_database');
    const later = await createDatabase(app, { project: 'shop' });
    const last = later.status === 'ready' ? later : await createDatabase(app, { project: 'shop' });
    expect(last).toMatchObject({ status: 'ready', release: { status: 'succeeded' } });
    expect(deployer.databaseWired('shop')).toBe(true);
  });

  it('refuses bad input and changes nothing', async () => {
    const { app, deployer } = await memoryDeployApp({ env: { THREESIX_MAX_DB_STORAGE: '5Gi' } });
    await expect(createDatabase(app, { project: 'shop', size: '6Gi' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: like.stringContaining('5Gi'),
    });
    await expect(createDatabase(app, { project: 'shop', size: '1GB' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(createDatabase(app, { project: 'shop', version: 9 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createDatabase(app, { project: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await deployer.listDatabases()).toEqual([]);
    await createDatabase(app, { project: 'shop', size: '3Gi' });
    await expect(createDatabase(app, { project: 'shop', size: '2Gi' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: like.stringContaining('smaller'),
    });
    expect(deployer.databases.applied('shop')?.size).toBe('3Gi');
    const dry = await createDatabase(app, { project: 'shop', size: '4Gi', dryRun: true });
    expect(dry.status).toBe('dry_run');
    expect(deployer.databases.applied('shop')?.size).toBe('3Gi');
  });

  it('refuses a Cluster of that name that is not ours, and delete_database never touches it', async () => {
    const { app, deployer } = await memoryDeployApp();
    deployer.databases.addForeign('shop-db');
    await expect(createDatabase(app, { project: 'shop' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(deleteDatabase(app, { project: 'shop', confirm: 'shop' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await deployer.listDatabases()).toEqual([{ name: 'shop-db', project: null }]);
  });

  it('deletes the database after confirmation and rolls the app out without it', async () => {
    const { app, registry, deployer, image } = await memoryDeployApp();
    registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    await createDatabase(app, { project: 'shop' });
    await expect(deleteDatabase(app, { project: 'shop', confirm: 'shop2' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await deleteDatabase(app, { project: 'shop', confirm: 'shop', dryRun: true })).toMatchObject({
      removed: ['Cluster/shop-db'],
      dryRun: true,
    });
    expect(deployer.databases.has('shop')).toBe(true);
    const r = await deleteDatabase(app, { project: 'shop', confirm: 'shop' });
    expect(r).toMatchObject({ removed: ['Cluster/shop-db'], release: { status: 'succeeded' }, dryRun: false });
    expect((await deployStatus(app, 'shop')).database).toBeNull();
    expect(deployer.databaseWired('shop')).toBe(false);
    expect((await listReleases(app, 'shop')).releases[0]?.reason).toBe('database removed');
  });

  it('needs a credentials Secret when backups name an object store, and applies them with one', async () => {
    const without = await memoryDeployApp({ env: { THREESIX_DB_BACKUP_DESTINATION: 's3://backups/x' } });
    await expect(createDatabase(without.app, { project: 'shop' })).rejects.toMatchObject({
      code: 'NOT_CONFIGURED',
      hint: like.stringContaining('THREESIX_DB_BACKUP_SECRET'),
    });
    const withSecret = await memoryDeployApp({
      env: { THREESIX_DB_BACKUP_DESTINATION: 's3://backups/x', THREESIX_DB_BACKUP_SECRET: 'db-backup' },
    });
    const r = await createDatabase(withSecret.app, { project: 'shop' });
    expect(r.database?.backups).toBe(true);
    expect(withSecret.deployer.databases.applied('shop')?.backup).toMatchObject({
      destinationPath: 's3://backups/x',
      credentialsSecret: 'db-backup',
      schedule: '0 0 3 * * *',
      retention: '30d',
    });
  });

  it('delete_project removes the database, says so in its plan and result, and leaves a foreign Cluster alone', async () => {
    const { app, deployer } = await memoryDeployApp();
    await createDatabase(app, { project: 'shop' });
    deployer.databases.addForeign('other-db');
    const plan = await deleteProject(app, { name: 'shop', confirm: 'shop', dryRun: true });
    expect(plan.removed).toContain('database of shop (its CloudNativePG Cluster shop-db, if threesix made one)');
    const done = await deleteProject(app, { name: 'shop', confirm: 'shop' });
    expect(done.removed).toContain('Cluster/shop-db');
    expect(await deployer.listDatabases()).toEqual([{ name: 'other-db', project: null }]);
    // A project made again under the name is not expected to have the old database.
    await seedProject(app, 'shop');
    expect((await reconcile(app, {})).drift.filter((d) => d.backend === 'database')).toEqual([]);
  });

  it('reconcile reports a missing database, a foreign Cluster in its place and an orphan, and repairs none of them', async () => {
    const { app, deployer } = await memoryDeployApp();
    await seedProject(app, 'blog');
    await createDatabase(app, { project: 'shop' });
    await createDatabase(app, { project: 'blog' });
    await deployer.databases.applyDatabase({ project: 'gone', size: '1Gi', version: null, instances: 1, backup: null });
    expect((await reconcile(app, {})).drift.filter((d) => d.backend === 'database')).toEqual([
      expect.objectContaining({ project: 'gone', kind: 'orphan' }),
    ]);
    await deployer.databases.removeDatabase('shop'); // behind threesix's back
    await deployer.databases.removeDatabase('blog');
    deployer.databases.addForeign('blog-db');
    const r = await reconcile(app, { repair: true, confirm: 'all' });
    expect(r.backends.database).toBe('ok');
    expect(r.drift.filter((d) => d.backend === 'database').map((d) => [d.project, d.kind, d.repaired])).toEqual([
      ['blog', 'foreign', false],
      ['shop', 'missing', false],
      ['gone', 'orphan', false],
    ]);
    expect(await deployer.listDatabases()).toEqual([
      { name: 'blog-db', project: null },
      { name: 'gone-db', project: 'gone' },
    ]);
  });
});

describe('create_database progress', () => {
  it('a client that passes a progressToken hears each stage: applied, ready, and the rollout with DATABASE_URL', async () => {
    const { app, registry, image } = await memoryDeployApp();
    registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    const client = await connectInMemory(app);
    const heard: Progress[] = [];
    const result = await client.callTool(
      { name: 'create_database', arguments: { project: 'shop' } },
      CallToolResultSchema,
      { onprogress: (p) => void heard.push(p) },
    );
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const messages = heard.map((p) => p.message);
    expect(messages[0]).toBe('shop: database cluster applied');
    expect(messages).toContain('shop: database ready');
    expect(messages.at(-1)).toBe('shop: rolling the app out with DATABASE_URL');
    expect(heard.map((p) => p.progress)).toEqual(heard.map((_, i) => i + 1));
  });
});
