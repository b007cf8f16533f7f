/**
 * Fault injection for every step of create_project and delete_project: the backend fails at that
 * step (before its effect, or after it with the answer lost), the operation stops `failed` there,
 * and a retry converges: the database and every backend agree, with no orphan and nothing lost.
 * The same matrix with a SIGKILL instead of an error: the process dies while that call is out
 * (before its effect, or after it), and the start-up resume of a new process converges.
 * (test/e2e/crash-recovery.test.ts kills the real server process the same way.)
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/services/shared/app-context.js';
import { resumeInterruptedOperations, retryOperation } from '../../src/services/operations/resume-operation.service.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { deleteProject } from '../../src/services/projects/delete-project.service.js';
import { disagreements } from '../support/convergence.js';
import { createLifecycleApp, type LifecycleApp } from '../support/lifecycle-app.js';
import { tempDir } from '../support/test-app.js';
import { like } from '../support/matchers.js';

type Backend = keyof LifecycleApp['faults'];
const CREATE_FAULTS: Array<[step: string, backend: Backend, method: string]> = [
  ['dns', 'dns', 'applyChanges'],
  ['repo', 'git', 'createRepo'],
  ['collaborators', 'git', 'addCollaborator'],
  ['deploy-key', 'git', 'addDeployKey'],
  ['ci', 'ci', 'activate'],
  ['ci', 'ci', 'upsertSecret'],
  ['starter-files', 'git', 'commitFiles'],
];
const DELETE_FAULTS: Array<[step: string, backend: Backend, method: string]> = [
  ['deployment', 'deployer', 'remove'],
  ['database', 'deployer', 'removeDatabase'],
  ['dns', 'dns', 'applyChanges'],
  ['ci', 'ci', 'deactivate'],
  ['git-access', 'git', 'deleteDeployKey'],
  ['repo', 'git', 'deleteRepo'],
];

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeDefined();
  return error as { code: string; message: string; details: { operationId: string; step: string } };
}

async function deployed(lc: LifecycleApp, name: string) {
  await lc.deployer.apply({
    project: name,
    image: `${lc.registry.host}/threesix/${name}@sha256:${'a'.repeat(64)}`,
    port: 80,
    replicas: 1,
    env: {},
    secrets: { TOKEN: 'x' },
    hosts: [`${name}.example.test`],
  });
}

async function assertFailedAt(app: AppContext, operationId: string, step: string) {
  const op = (await app.store.operations.get(operationId))!;
  expect(op.status).toBe('failed');
  expect(op.steps.find((s) => s.name === step)).toMatchObject({
    status: 'failed',
    error: like.stringContaining(`step ${step}: UPSTREAM_UNAVAILABLE`),
  });
}

describe.each([false, true])(
  'create_project with a fault at each step (response lost after the effect: %s)',
  (after) => {
    it.each(CREATE_FAULTS)(
      '%s fails (%s.%s), then create_project again resumes and converges',
      async (step, backend, method) => {
        const lc = await createLifecycleApp();
        lc.faults[backend].failNext(method, { after });
        const error = await failure(createProject(lc.app, { name: 'shop' }));
        expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
        expect(error.details.step).toBe(step);
        await assertFailedAt(lc.app, error.details.operationId, step);
        expect((await lc.app.store.projects.require('shop')).state).toBe('failed');
        const again = await createProject(lc.app, { name: 'shop' });
        expect(again).toMatchObject({ resumed: true, operationId: error.details.operationId });
        expect(await disagreements(lc)).toEqual([]);
        expect((await lc.git.listDeployKeys('shop')).length).toBe(1);
      },
    );

    it.each(CREATE_FAULTS)('%s fails, then retry_operation resumes and converges', async (step, backend, method) => {
      const lc = await createLifecycleApp();
      lc.faults[backend].failNext(method, { after });
      const error = await failure(createProject(lc.app, { name: 'shop' }));
      const op = await retryOperation(lc.app, error.details.operationId);
      expect(op.status).toBe('succeeded');
      expect(op.steps.find((s) => s.name === step)?.status).toBe('done');
      expect(await disagreements(lc)).toEqual([]);
    });
  },
);

describe.each([false, true])(
  'delete_project with a fault at each step (response lost after the effect: %s)',
  (after) => {
    it.each(DELETE_FAULTS)(
      '%s fails (%s.%s), then delete_project again finishes and leaves nothing',
      async (step, backend, method) => {
        const lc = await createLifecycleApp();
        await createProject(lc.app, { name: 'keep' });
        await createProject(lc.app, { name: 'shop' });
        await deployed(lc, 'shop');
        lc.faults[backend].failNext(method, { after });
        const error = await failure(deleteProject(lc.app, { name: 'shop', confirm: 'shop' }));
        expect(error.details.step).toBe(step);
        await assertFailedAt(lc.app, error.details.operationId, step);
        expect((await lc.app.store.projects.require('shop')).state).toBe('deleting');
        const done = await deleteProject(lc.app, { name: 'shop', confirm: 'shop' });
        expect(done.operationId).toBe(error.details.operationId);
        expect(await lc.app.store.projects.get('shop')).toBeUndefined();
        expect(await disagreements(lc)).toEqual([]);
        expect((await lc.git.listRepos()).items.map((r) => r.name)).toEqual(['keep']);
      },
    );
  },
);

/**
 * A SIGKILL in process: this app's backends stop answering for good and its database closes
 * mid-flight, then a new app opens the same database and the same backends and runs the start-up
 * resume, as a restarted server does.
 */
async function killAndRestart(
  lc: LifecycleApp,
  databaseFile: string,
): Promise<{ lc: LifecycleApp; outcome: Awaited<ReturnType<typeof resumeInterruptedOperations>> }> {
  for (const faults of Object.values(lc.faults)) faults.freeze();
  await lc.app.store.close();
  const restarted = await createLifecycleApp({}, databaseFile, lc);
  return { lc: restarted, outcome: await resumeInterruptedOperations(restarted.app) };
}

/** Arms `method` to hang (the process dies while the call is out) and resolves once it was called. */
function armKill(lc: LifecycleApp, backend: Backend, method: string, after: boolean): () => Promise<void> {
  const before = lc.faults[backend].calls[method] ?? 0;
  lc.faults[backend].failNext(method, { after, hang: true });
  return async () => {
    const deadline = Date.now() + 5000;
    while ((lc.faults[backend].calls[method] ?? 0) === before) {
      if (Date.now() > deadline) throw new Error(`${backend}.${method} was never called`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // Let a call that runs before dying (after=true) land its effect.
    await new Promise((resolve) => setTimeout(resolve, 5));
  };
}

describe.each([false, true])('create_project killed at each step (SIGKILL after the effect: %s)', (after) => {
  it.each(CREATE_FAULTS)(
    '%s (%s.%s): the start-up resume finishes it, no orphan, no lost row',
    async (_step, backend, method) => {
      const file = join(tempDir(), 'threesix.db');
      const first = await createLifecycleApp({}, file);
      const called = armKill(first, backend, method, after);
      void createProject(first.app, { name: 'shop' }).catch(() => undefined);
      await called();
      const { lc, outcome } = await killAndRestart(first, file);
      expect(outcome).toMatchObject({ resumed: [expect.any(String)], failed: [] });
      expect((await lc.app.store.projects.require('shop')).state).toBe('ready');
      expect(await disagreements(lc)).toEqual([]);
      expect((await lc.git.listDeployKeys('shop')).length).toBe(1);
    },
  );
});

describe.each([false, true])('delete_project killed at each step (SIGKILL after the effect: %s)', (after) => {
  it.each(DELETE_FAULTS)(
    '%s (%s.%s): the start-up resume finishes it and leaves nothing',
    async (_step, backend, method) => {
      const file = join(tempDir(), 'threesix.db');
      const first = await createLifecycleApp({}, file);
      await createProject(first.app, { name: 'keep' });
      await createProject(first.app, { name: 'shop' });
      await deployed(first, 'shop');
      const called = armKill(first, backend, method, after);
      void deleteProject(first.app, { name: 'shop', confirm: 'shop' }).catch(() => undefined);
      await called();
      const { lc, outcome } = await killAndRestart(first, file);
      expect(outcome).toMatchObject({ resumed: [expect.any(String)], failed: [] });
      expect(await lc.app.store.projects.get('shop')).toBeUndefined();
      expect(await disagreements(lc)).toEqual([]);
      expect((await lc.git.listRepos()).items.map((r) => r.name)).toEqual(['keep']);
    },
  );
});
