/**
 * Dry runs are generated from the steps the operation runs: a step added to an operation shows up
 * in its plan with no change to any planner, and create's and delete's dry runs list exactly the
 * steps their journals will hold.
 */
import { describe, expect, it } from 'vitest';
import { defineOperation } from '../../src/services/operations/operation-definition.js';
import { planOperation } from '../../src/services/operations/plan-operation.js';
import { startOperation } from '../../src/services/operations/run-operation.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { createProjectOperation } from '../../src/services/projects/create-project.operation.js';
import { deleteProject } from '../../src/services/projects/delete-project.service.js';
import { deleteProjectOperation } from '../../src/services/projects/delete-project.operation.js';
import { createLifecycleApp } from '../support/lifecycle-app.js';
import { createTestApp } from '../support/test-app.js';

describe('planOperation', () => {
  it('asks each step: its plan (given the preflight reads), its skip reason, or its name', async () => {
    const app = await createTestApp();
    const op = defineOperation<{ who: string }, unknown>({
      kind: 'test',
      preflight: (_app, input) => Promise.resolve({ greeting: `hello ${input.who}` }),
      steps: [
        {
          name: 'greet',
          plan: (ctx) => `say ${String(ctx.preflight.greeting)}`,
          run: () => Promise.resolve(undefined),
        },
        {
          name: 'twice',
          after: ['greet'],
          plan: () => ['first effect', 'second effect'],
          run: () => Promise.resolve(undefined),
        },
        { name: 'off', skip: () => 'not configured', plan: () => 'never shown', run: () => Promise.resolve(undefined) },
        { name: 'plain', run: () => Promise.resolve(undefined) },
      ],
      finish: () => Promise.resolve({}),
    });
    expect(await planOperation(app, op, 't', { who: 'ada' })).toEqual([
      { step: 'greet', action: 'say hello ada', skipped: false },
      { step: 'twice', action: 'first effect', skipped: false },
      { step: 'twice', action: 'second effect', skipped: false },
      { step: 'off', action: 'skip: not configured', skipped: true },
      { step: 'plain', action: 'run step plain', skipped: false },
    ]);
  });

  it('refuses as the preflight refuses, and runs no step plan then', async () => {
    const app = await createTestApp();
    let planned = false;
    const op = defineOperation<Record<string, unknown>, unknown>({
      kind: 'test',
      preflight: () => Promise.reject(new Error('name taken')),
      steps: [{ name: 'a', plan: () => ((planned = true), 'a'), run: () => Promise.resolve(undefined) }],
      finish: () => Promise.resolve({}),
    });
    await expect(planOperation(app, op, 't', {})).rejects.toThrow('name taken');
    expect(planned).toBe(false);
  });

  it('a step added to create_project appears in its plan, in order, without touching the planner', async () => {
    const lc = await createLifecycleApp();
    const extended = defineOperation({
      ...createProjectOperation,
      steps: [
        ...createProjectOperation.steps,
        {
          name: 'greeting-issue',
          after: ['repo'],
          plan: (ctx) => `open an issue welcoming ${ctx.input.name}`,
          run: () => Promise.resolve(undefined),
        },
      ],
    });
    const plan = await planOperation(lc.app, extended, 'newbie', { name: 'newbie', description: '', private: false });
    expect(plan.map((p) => p.step)).toEqual([...createProjectOperation.steps.map((s) => s.name), 'greeting-issue']);
    expect(plan.at(-1)).toEqual({ step: 'greeting-issue', action: 'open an issue welcoming newbie', skipped: false });
    expect(await lc.app.store.projects.count()).toBe(0);
  });

  it('create and delete dry runs list the steps their journals hold', async () => {
    const lc = await createLifecycleApp();
    const dry = await createProject(lc.app, { name: 'same', dryRun: true });
    if (!dry.dryRun) throw new Error('not a dry run');
    const journaled = (
      await startOperation(lc.app, createProjectOperation, 'other', { name: 'other', description: '', private: false })
    ).steps.map((s) => s.name);
    expect(dry.plan.map((p) => p.step)).toEqual(['reserve', ...journaled]);

    await createProject(lc.app, { name: 'shop' });
    const dryDelete = await deleteProject(lc.app, { name: 'shop', confirm: 'shop', dryRun: true });
    const deletePlan = await planOperation(lc.app, deleteProjectOperation, 'shop', {
      name: 'shop',
      repoName: 'shop',
      ciRepoId: null,
      domains: ['shop.example.test'],
    });
    expect(dryDelete.removed).toEqual(deletePlan.filter((p) => !p.skipped).map((p) => p.action));
    // Other steps may join; these are what the row of a created project implies, workload first, row last.
    expect(dryDelete.removed[0]).toBe('workload objects of shop');
    expect(dryDelete.removed.at(-1)).toBe('project row shop');
    expect(dryDelete.removed).toEqual(
      expect.arrayContaining([
        'database of shop (its CloudNativePG Cluster shop-db, if threesix made one)',
        'DNS records at shop.example.test owned by threesix',
        'CI activation',
        'threesix webhooks and deploy keys',
        'repository shop (delete)',
      ]),
    );
  });
});
