import { describe, expect, it } from 'vitest';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { disagreements } from '../support/convergence.js';
import { MemoryGitHost } from '../../src/adapters/memory/memory-git-host.js';
import { createLifecycleApp } from '../support/lifecycle-app.js';
import { createTestApp } from '../support/test-app.js';
import { like } from '../support/matchers.js';

describe('create_project', () => {
  it('makes the repository with starter files, collaborators, deploy key, CI with a token, and the DNS record', async () => {
    const lc = await createLifecycleApp();
    const outcome = await createProject(lc.app, { name: 'shop', description: 'A shop' });
    expect(outcome.dryRun).toBe(false);
    if (outcome.dryRun) return;
    expect(outcome).toMatchObject({
      project: 'shop',
      url: 'https://shop.example.test',
      cloneHttp: 'http://git.memory.test/threesix/shop.git',
      cloneSsh: 'git@git.memory.test:threesix/shop.git',
      ciUrl: like.stringContaining('http://ci.memory.test/repos/'),
      resumed: false,
    });
    expect(outcome.nextStep).toMatch(/push to main/);
    expect(Object.keys(lc.git.filesOn('shop', 'main')).sort()).toEqual(['.woodpecker.yaml', 'Dockerfile', 'README.md']);
    expect(await lc.git.listDeployKeys('shop')).toEqual([
      expect.objectContaining({ title: 'threesix:deploy', readOnly: true }),
    ]);
    expect(await lc.dns.listRecords({ name: 'shop.example.test' })).toEqual([
      expect.objectContaining({ type: 'A', content: '127.0.0.1', owner: 'threesix' }),
    ]);
    const row = await lc.app.store.projects.require('shop');
    expect(row).toMatchObject({ state: 'ready', domain: 'shop.example.test', gitRepoName: 'shop' });
    expect(row.deployTokenHash).toMatch(/^[0-9a-f]{64}$/);
    const op = await lc.app.store.operations.get(outcome.operationId);
    expect(op?.status).toBe('succeeded');
    expect(op?.steps.every((s) => s.status === 'done')).toBe(true);
    // The token lives in the CI secret only; the journal never holds it.
    const token = lc.ci.secretValue(row.ciRepoId!, 'threesix_deploy_token')!;
    expect(token.length).toBeGreaterThan(30);
    expect(JSON.stringify(op)).not.toContain(token);
    expect(await disagreements(lc)).toEqual([]);
  });

  it('dryRun returns the plan and changes nothing', async () => {
    const lc = await createLifecycleApp();
    const outcome = await createProject(lc.app, { name: 'plan', dryRun: true });
    expect(outcome.dryRun).toBe(true);
    if (!outcome.dryRun) return;
    expect(outcome.plan.map((s) => s.step)).toEqual([
      'reserve',
      'dns',
      'repo',
      'collaborators',
      'deploy-key',
      'ci',
      'starter-files',
    ]);
    expect(outcome.plan.find((s) => s.step === 'dns')!.action).toBe('create DNS record plan.example.test A 127.0.0.1');
    expect(await lc.app.store.projects.count()).toBe(0);
    expect((await lc.git.listRepos()).total).toBe(0);
    expect(lc.dns.writes).toBe(0);
  });

  it('refuses bad names and names held by foreign repositories or DNS records, before reserving anything', async () => {
    const lc = await createLifecycleApp();
    await expect(createProject(lc.app, { name: 'Bad_Name' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createProject(lc.app, { name: 'git' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    lc.git.addForeignRepo('taken');
    await expect(createProject(lc.app, { name: 'taken' })).rejects.toMatchObject({ code: 'CONFLICT' });
    lc.dns.seed([
      { name: 'dnstaken.example.test', type: 'A', content: '10.0.0.1', ttl: 300, proxied: false, owner: null },
    ]);
    await expect(createProject(lc.app, { name: 'dnstaken' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await lc.app.store.projects.count()).toBe(0);
    expect(await lc.app.store.operations.listByStatus('running')).toEqual([]);
  });

  it('two concurrent creates of one name make exactly one project', async () => {
    const lc = await createLifecycleApp();
    const results = await Promise.allSettled([
      createProject(lc.app, { name: 'twin' }),
      createProject(lc.app, { name: 'twin' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => (r.reason as { code?: string }).code)).toEqual(['CONFLICT']);
    expect((await lc.git.listRepos()).total).toBe(1);
    expect(await disagreements(lc)).toEqual([]);
  });

  it('twenty concurrent creates of different names all succeed', async () => {
    const lc = await createLifecycleApp();
    const names = Array.from({ length: 20 }, (_, i) => `app-${i}`);
    const results = await Promise.allSettled(names.map((name) => createProject(lc.app, { name })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await lc.app.store.projects.count()).toBe(20);
    expect(await disagreements(lc)).toEqual([]);
  });

  it('works with only a git host: DNS and CI steps are skipped and journaled as such, the README is seeded', async () => {
    const git = new MemoryGitHost();
    const app = await createTestApp({
      factories: { git: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(git) }) },
    });
    const outcome = await createProject(app, { name: 'solo' });
    if (outcome.dryRun) throw new Error('not a dry run');
    expect(outcome.ciUrl).toBeNull();
    expect(Object.keys(git.filesOn('solo', 'main'))).toEqual(['README.md']);
    const op = (await app.store.operations.get(outcome.operationId))!;
    expect(Object.fromEntries(op.steps.map((s) => [s.name, s.status]))).toEqual({
      dns: 'skipped',
      repo: 'done',
      collaborators: 'skipped',
      'deploy-key': 'skipped',
      ci: 'skipped',
      'starter-files': 'done',
    });
    expect(op.steps.find((s) => s.name === 'ci')!.output).toEqual({ skipped: 'the CI backend is not configured' });
  });

  it('never writes over a main pushed between the starter-files check and its commit; the retry adopts that main', async () => {
    const lc = await createLifecycleApp();
    // Someone pushes a Dockerfile of their own just before the starter commit goes out.
    lc.faults.git.onCall('commitFiles', async () => {
      lc.faults.git.clear();
      await lc.git.commitFiles('race', {
        branch: 'main',
        message: 'mine',
        files: [{ path: 'Dockerfile', content: 'FROM mine\n' }],
      });
    });
    await expect(createProject(lc.app, { name: 'race' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { step: 'starter-files' },
    });
    expect(lc.git.filesOn('race', 'main')).toEqual({ Dockerfile: 'FROM mine\n' });
    const again = await createProject(lc.app, { name: 'race' });
    expect(again).toMatchObject({ resumed: true });
    expect(lc.git.filesOn('race', 'main')).toEqual({ Dockerfile: 'FROM mine\n' });
    const op = (await lc.app.store.operations.get((again as { operationId: string }).operationId))!;
    expect(op.steps.find((s) => s.name === 'starter-files')!.output).toMatchObject({ seeded: false });
  });
});
