/**
 * The crash between Gitea's create and the marker topic (issue "Integrity", item 2), and a name
 * reserved without its operation (item 3). The Gitea adapter creates a repository and then tags
 * it in a second call; a process killed between them leaves an empty, unmarked repository. The
 * create's journaled intent must let the resumed create (or retry_operation, or create_project
 * again) adopt exactly that repository, delete_project remove it and reconcile report it, while
 * a repository that does not match the intent stays foreign.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { upstreamUnavailable } from '../../src/domain/errors.js';
import { CREATE_PROJECT } from '../../src/services/projects/create-project.input.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { deleteProject } from '../../src/services/projects/delete-project.service.js';
import { resumeInterruptedOperations, retryOperation } from '../../src/services/operations/resume-operation.service.js';
import { reconcile } from '../../src/services/reconcile/reconcile.service.js';
import { disagreements } from '../support/convergence.js';
import { createLifecycleApp, type LifecycleApp } from '../support/lifecycle-app.js';
import { tempDir } from '../support/test-app.js';
import { like } from '../support/matchers.js';

const never = () => new Promise<never>(() => undefined);

/**
 * Runs create_project for `name` until the Gitea adapter's first call has made the repository,
 * then kills the process before the topic call: its backends stop answering, its database closes.
 * Returns a new app on the same database and backends, before any start-up work ran.
 */
async function crashBetweenCreateAndMarker(
  name: string,
  options: { foreignFirst?: 'older' | 'with-commits'; restartEnv?: Record<string, string> } = {},
): Promise<{ lc: LifecycleApp; file: string; operationId: string }> {
  const file = join(tempDir(), 'threesix.db');
  const first = await createLifecycleApp({}, file);
  let reached!: () => void;
  const atCreate = new Promise<void>((resolve) => (reached = resolve));
  first.faults.git.onCall('createRepo', () => {
    // What Gitea holds after POST /orgs/{org}/repos answered and before PUT .../topics/{topic} ran.
    if (!options.foreignFirst) first.git.addForeignRepo(name, { empty: true });
    reached();
    return never();
  });
  void createProject(first.app, { name }).catch(() => undefined);
  await atCreate;
  if (options.foreignFirst === 'older')
    first.git.addForeignRepo(name, { empty: true, createdAt: '2020-01-01T00:00:00Z' });
  if (options.foreignFirst === 'with-commits') first.git.addForeignRepo(name);
  const operationId = (await first.app.store.operations.findUnfinished(CREATE_PROJECT, name))!.id;
  for (const faults of Object.values(first.faults)) faults.freeze();
  await first.app.store.close();
  return { lc: await createLifecycleApp(options.restartEnv ?? {}, file, first), file, operationId };
}

describe("a crash between Gitea's create and the marker topic", () => {
  it('leaves the journaled intent and an unmarked, empty repository behind', async () => {
    const { lc, operationId } = await crashBetweenCreateAndMarker('shop');
    const repo = await lc.git.getRepo('shop');
    expect(repo).toMatchObject({ managed: false, empty: true, owner: 'threesix' });
    expect(await lc.app.store.operations.intentOf(operationId, 'repo')).toMatchObject({
      owner: 'threesix',
      repo: 'shop',
      at: like.any(String),
    });
    expect((await lc.app.store.operations.get(operationId))!.steps.find((s) => s.name === 'repo')!.status).toBe(
      'running',
    );
  });

  it('the start-up resume adopts that repository, marks it and finishes the project', async () => {
    const { lc, operationId } = await crashBetweenCreateAndMarker('shop');
    const outcome = await resumeInterruptedOperations(lc.app);
    expect(outcome).toEqual({ resumed: [operationId], failed: [], cleared: [] });
    expect((await lc.git.getRepo('shop')).managed).toBe(true);
    expect((await lc.app.store.projects.require('shop')).state).toBe('ready');
    expect(await disagreements(lc)).toEqual([]);
  });

  it('retry_operation and create_project again adopt it too', async () => {
    const viaRetry = await crashBetweenCreateAndMarker('shop');
    expect((await retryOperation(viaRetry.lc.app, viaRetry.operationId)).status).toBe('succeeded');
    expect(await disagreements(viaRetry.lc)).toEqual([]);

    const viaCreate = await crashBetweenCreateAndMarker('shop');
    expect(await createProject(viaCreate.lc.app, { name: 'shop' })).toMatchObject({
      resumed: true,
      operationId: viaCreate.operationId,
    });
    expect(await disagreements(viaCreate.lc)).toEqual([]);
  });

  it('reconcile reports the repository as unmarked, naming the operation that made it', async () => {
    const { lc, operationId } = await crashBetweenCreateAndMarker('shop');
    const report = await reconcile(lc.app, {});
    expect(report.drift).toEqual([
      expect.objectContaining({
        project: 'shop',
        backend: 'git',
        kind: 'unmarked',
        detail: like.stringContaining(operationId),
      }),
    ]);
  });

  it('delete_project removes what the journal says the create made, and nothing is left', async () => {
    const { lc } = await crashBetweenCreateAndMarker('shop');
    const done = await deleteProject(lc.app, { name: 'shop', confirm: 'shop' });
    expect(done.removed).toContain('repository threesix/shop');
    expect(await lc.app.store.projects.get('shop')).toBeUndefined();
    expect((await lc.git.listRepos()).items).toEqual([]);
    // The create the crash interrupted is no longer resumable: its project is gone.
    expect(await resumeInterruptedOperations(lc.app)).toMatchObject({ resumed: [], failed: [expect.any(String)] });
    expect(await lc.app.store.projects.count()).toBe(0);
  });

  it('delete_project in archive mode marks it before archiving, so the kept repository stays recognisably ours', async () => {
    const { lc } = await crashBetweenCreateAndMarker('shop', { restartEnv: { THREESIX_DELETE_REPOS: 'archive' } });
    const done = await deleteProject(lc.app, { name: 'shop', confirm: 'shop' });
    expect(done.archived).toEqual(['repository threesix/shop']);
    expect(await lc.git.getRepo('shop')).toMatchObject({ archived: true, managed: true });
    expect(await lc.app.store.projects.get('shop')).toBeUndefined();
    // Kept and marked: reconcile still sees it as threesix's, with no project owning it.
    expect((await reconcile(lc.app, {})).drift).toEqual([
      expect.objectContaining({ project: 'shop', backend: 'git', kind: 'orphan' }),
    ]);
  });

  it.each(['older', 'with-commits'] as const)(
    'refuses a repository that does not match the intent (%s): resume fails CONFLICT, delete and reconcile leave it alone',
    async (foreignFirst) => {
      const { lc, operationId } = await crashBetweenCreateAndMarker('shop', { foreignFirst });
      const outcome = await resumeInterruptedOperations(lc.app);
      expect(outcome.failed).toEqual([operationId]);
      expect((await lc.app.store.operations.get(operationId))!.error).toMatch(
        /CONFLICT: repository threesix\/shop exists and was not made by threesix/,
      );
      expect((await lc.git.getRepo('shop')).managed).toBe(false);
      const report = await reconcile(lc.app, {});
      expect(report.drift).toEqual([expect.objectContaining({ project: 'shop', backend: 'git', kind: 'foreign' })]);
      const done = await deleteProject(lc.app, { name: 'shop', confirm: 'shop' });
      expect(done.warnings).toContain('repository threesix/shop was not made by threesix and was left in place');
      expect(await lc.app.store.projects.get('shop')).toBeUndefined();
      expect(await disagreements(lc, { foreign: ['shop'] })).toEqual([]);
    },
  );
});

describe('a failed topic call whose clean-up failed too', () => {
  it('leaves the same unmarked repository; calling create_project again adopts it', async () => {
    const lc = await createLifecycleApp();
    // The Gitea adapter deletes the repository when the topic call fails; here that delete failed as well.
    lc.faults.git.onCall('createRepo', () => {
      lc.faults.git.onCall('createRepo', () => undefined);
      lc.git.addForeignRepo('shop', { empty: true });
      throw upstreamUnavailable('gitea', { message: 'gitea failed to mark threesix/shop as managed' });
    });
    await expect(createProject(lc.app, { name: 'shop' })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      details: { step: 'repo' },
    });
    expect((await lc.git.getRepo('shop')).managed).toBe(false);
    expect(await createProject(lc.app, { name: 'shop' })).toMatchObject({ resumed: true });
    expect(await disagreements(lc)).toEqual([]);
  });
});

describe('the intent vouches only while the create is unfinished', () => {
  it('drops it when Gitea refuses the create: an empty repository someone made meanwhile is not adopted', async () => {
    const lc = await createLifecycleApp();
    let looked = 0;
    lc.faults.git.onCall('getRepo', () => void looked++);
    // After preflight and the repo step have both found the name free, someone else takes it.
    lc.faults.git.onCall('createRepo', () => {
      if (looked >= 2) lc.git.addForeignRepo('shop', { empty: true });
    });
    const error = await createProject(lc.app, { name: 'shop' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'CONFLICT', details: { step: 'repo' } });
    expect((await lc.git.getRepo('shop')).managed).toBe(false);
    const operationId = (error as { details: { operationId: string } }).details.operationId;
    expect(await lc.app.store.operations.intentOf(operationId, 'repo')).toBeNull();
  });

  it('a finished create keeps no claim: a repository re-made by someone else after the project was deleted is foreign', async () => {
    const lc = await createLifecycleApp();
    await createProject(lc.app, { name: 'shop' });
    await deleteProject(lc.app, { name: 'shop', confirm: 'shop' });
    lc.git.addForeignRepo('shop', { empty: true });
    await expect(createProject(lc.app, { name: 'shop' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await lc.git.getRepo('shop')).managed).toBe(false);
  });
});

describe('start-up and names reserved without their operation', () => {
  it('reserves the name and journals its create in one transaction: when the journal insert fails, no row is left', async () => {
    const lc = await createLifecycleApp();
    const op = { id: 'same-id', kind: CREATE_PROJECT, target: 'first', input: {}, steps: ['repo'] };
    await lc.app.store.operations.start(op, { reserve: { name: 'first', description: '' } });
    await expect(
      lc.app.store.operations.start({ ...op, target: 'second' }, { reserve: { name: 'second', description: '' } }),
    ).rejects.toThrow();
    expect(await lc.app.store.projects.get('second')).toBeUndefined();
    expect((await lc.app.store.projects.require('first')).state).toBe('provisioning');
    await expect(
      lc.app.store.operations.start({ ...op, id: 'other-id' }, { reserve: { name: 'first', description: '' } }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await lc.app.store.operations.get('other-id')).toBeUndefined();
  });

  it('a provisioning row with no operation (left by an older version) is cleared at start; nothing else is touched', async () => {
    const lc = await createLifecycleApp();
    await createProject(lc.app, { name: 'keep' });
    await lc.app.store.projects.create({ name: 'stuck', description: '', state: 'provisioning' });
    const outcome = await resumeInterruptedOperations(lc.app);
    expect(outcome).toEqual({ resumed: [], failed: [], cleared: ['stuck'] });
    expect((await lc.app.store.projects.all()).map((p) => [p.name, p.state])).toEqual([['keep', 'ready']]);
    expect(await disagreements(lc)).toEqual([]);
    // The name is free again.
    await createProject(lc.app, { name: 'stuck' });
    expect(await disagreements(lc)).toEqual([]);
  });

  it('a create killed after finish() marked the row ready but before the journal said so is completed, not failed', async () => {
    const lc = await createLifecycleApp();
    const outcome = await createProject(lc.app, { name: 'shop' });
    if (outcome.dryRun) throw new Error('not a dry run');
    // The journal as that crash leaves it: every step done, the operation still running.
    await lc.app.store.operations.finish(outcome.operationId, 'running');
    expect(await resumeInterruptedOperations(lc.app)).toMatchObject({ resumed: [outcome.operationId], failed: [] });
    expect((await lc.app.store.operations.get(outcome.operationId))!.status).toBe('succeeded');
  });
});
