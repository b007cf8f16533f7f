import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { defineOperation } from '../../src/services/operations/operation-definition.js';
import { resumeInterruptedOperations, retryOperation } from '../../src/services/operations/resume-operation.service.js';
import { executeOperation, startOperation } from '../../src/services/operations/run-operation.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { createProjectOperation } from '../../src/services/projects/create-project.operation.js';
import { disagreements } from '../support/convergence.js';
import { createLifecycleApp } from '../support/lifecycle-app.js';
import { createTestApp } from '../support/test-app.js';

describe('operation runner', () => {
  it('runs independent steps concurrently and dependent ones in order, journaling outputs', async () => {
    const app = await createTestApp();
    const log: string[] = [];
    // Each of a and b finishes only once the other has started: run one after the other, they would never finish.
    const started = { a: signal(), b: signal() };
    const meet = async (me: 'a' | 'b', other: 'a' | 'b') => {
      log.push(`${me}+`);
      started[me].fire();
      await started[other].promise;
      log.push(`${me}-`);
    };
    const op = defineOperation<Record<string, unknown>, { seen: unknown }>({
      kind: 'test',
      steps: [
        { name: 'a', run: async () => (await meet('a', 'b'), { id: 1 }) },
        { name: 'b', run: async () => (await meet('b', 'a'), { id: 2 }) },
        {
          name: 'c',
          after: ['a', 'b'],
          run: (ctx) => {
            log.push('c');
            return Promise.resolve({ sum: (ctx.outputs.a!.id as number) + (ctx.outputs.b!.id as number) });
          },
        },
      ],
      finish: (ctx) => Promise.resolve({ seen: ctx.outputs.c }),
    });
    const run = await executeOperation(app, op, await startOperation(app, op, 't', {}));
    expect(log.slice(0, 2).sort()).toEqual(['a+', 'b+']);
    expect(log.at(-1)).toBe('c');
    expect(run.operation.status).toBe('succeeded');
    expect(run.operation.result).toEqual({ seen: { sum: 3 } });
    expect(run.operation.steps.map((s) => [s.name, s.status, s.output])).toEqual([
      ['a', 'done', { id: 1 }],
      ['b', 'done', { id: 2 }],
      ['c', 'done', { sum: 3 }],
    ]);
  });

  it('refuses a dependency on a later or unknown step', () => {
    expect(() =>
      defineOperation({
        kind: 'x',
        steps: [
          { name: 'a', after: ['b'], run: () => Promise.resolve(undefined) },
          { name: 'b', run: () => Promise.resolve(undefined) },
        ],
        finish: () => Promise.resolve({}),
      }),
    ).toThrow(/not an earlier step/);
  });

  it('a failing step stops only what depends on it, and a resume reuses stored outputs', async () => {
    const app = await createTestApp();
    let fail = true;
    let aRuns = 0;
    const op = defineOperation<Record<string, unknown>, Record<string, unknown>>({
      kind: 'test',
      steps: [
        { name: 'a', run: () => Promise.resolve({ id: ++aRuns }) },
        {
          name: 'b',
          after: ['a'],
          run: () => (fail ? Promise.reject(new Error('secret detail')) : Promise.resolve({})),
        },
        { name: 'c', after: ['b'], run: (ctx) => Promise.resolve({ a: ctx.outputs.a!.id }) },
      ],
      finish: (ctx) => Promise.resolve({ ...ctx.outputs.c }),
    });
    const first = await executeOperation(app, op, await startOperation(app, op, 't', {}));
    expect(first.operation.status).toBe('failed');
    expect(first.operation.error).toBe('step b: INTERNAL: unexpected failure (see the server log)');
    expect(first.operation.steps.map((s) => s.status)).toEqual(['done', 'failed', 'pending']);
    fail = false;
    const second = await executeOperation(app, op, await app.store.operations.reopen(first.operation.id));
    expect(second.operation.status).toBe('succeeded');
    expect(aRuns).toBe(1);
    expect(second.operation.result).toEqual({ a: 1 });
  });

  it('at start-up resumes an operation a crash left running mid-step', async () => {
    const lc = await createLifecycleApp();
    // What a SIGKILL after "repo" started leaves behind: the row, the journal, and maybe the repo.
    await lc.app.store.projects.create({ name: 'crash', description: '', state: 'provisioning' });
    const op = await startOperation(lc.app, createProjectOperation, 'crash', {
      name: 'crash',
      description: '',
      private: false,
    });
    await lc.git.createRepo({ name: 'crash', description: '', private: false, autoInit: false });
    await lc.app.store.operations.markStep(op.id, 'repo', 'running');
    const { resumed } = await resumeInterruptedOperations(lc.app);
    expect(resumed).toEqual([op.id]);
    expect((await lc.app.store.operations.get(op.id))!.status).toBe('succeeded');
    expect(await disagreements(lc)).toEqual([]);
  });

  it('does not resurrect a create whose project was deleted meanwhile', async () => {
    const lc = await createLifecycleApp();
    lc.faults.ci.failNext('activate');
    const failed = await createProject(lc.app, { name: 'gone' }).catch(
      (e: { details: { operationId: string } }) => e.details.operationId,
    );
    await lc.app.store.projects.delete('gone');
    await lc.app.store.operations.reopen(failed as string);
    const { failed: notResumed } = await resumeInterruptedOperations(lc.app);
    expect(notResumed).toEqual([failed]);
    expect((await lc.app.store.operations.get(failed as string))!.error).toMatch(/PRECONDITION_FAILED/);
  });
});

describe('operation leases (several processes on one database)', () => {
  async function interrupted() {
    const lc = await createLifecycleApp();
    await lc.app.store.projects.create({ name: 'leased', description: '', state: 'provisioning' });
    const op = await startOperation(lc.app, createProjectOperation, 'leased', {
      name: 'leased',
      description: '',
      private: false,
    });
    return { lc, op };
  }
  const deadPid = () => {
    const child = spawnSync(process.execPath, ['-e', '0']);
    return child.pid;
  };

  it('leaves an operation another live process holds alone', async () => {
    const { lc, op } = await interrupted();
    expect(await lc.app.store.operations.claim(op.id, `${hostname()}:${process.pid}:othernonce`, 60_000)).toBe(true);
    const outcome = await resumeInterruptedOperations(lc.app);
    expect(outcome).toEqual({ resumed: [], failed: [], cleared: [] });
    expect((await lc.app.store.operations.get(op.id))!.status).toBe('running');
    await expect(retryOperation(lc.app, op.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('takes over from a dead process on this host, and from an expired lease', async () => {
    const { lc, op } = await interrupted();
    expect(await lc.app.store.operations.claim(op.id, `${hostname()}:${deadPid()}:gone`, 60_000)).toBe(true);
    expect((await resumeInterruptedOperations(lc.app)).resumed).toEqual([op.id]);
    const after = (await lc.app.store.operations.get(op.id))!;
    expect(after.status).toBe('succeeded');
    expect(after.lease).toBeNull();

    const second = await interrupted();
    expect(await second.lc.app.store.operations.claim(second.op.id, 'other-host:1:x', 60_000)).toBe(true);
    // A minute later (on a fake clock) that lease has expired.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      expect((await resumeInterruptedOperations(second.lc.app)).resumed).toEqual([second.op.id]);
    } finally {
      vi.useRealTimers();
    }
  });
});

/** A promise and the function that resolves it (Promise.withResolvers is Node 22+). */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}
