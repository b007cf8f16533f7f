import { describe, expect, it } from 'vitest';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { deleteProject } from '../../src/services/projects/delete-project.service.js';
import { disagreements } from '../support/convergence.js';
import { createLifecycleApp } from '../support/lifecycle-app.js';

describe('delete_project', () => {
  it('removes workload, DNS, CI, our keys, the repository and the row, and lists them', async () => {
    const lc = await createLifecycleApp();
    await createProject(lc.app, { name: 'shop' });
    await lc.deployer.apply({
      project: 'shop',
      image: 'r.test/x/shop@sha256:' + 'b'.repeat(64),
      port: 80,
      replicas: 1,
      env: {},
      secrets: { A: 'b' },
      hosts: ['shop.example.test'],
    });
    await lc.git.addDeployKey('shop', {
      title: 'someone-else',
      key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyMaterial0000000000000000000000000 x',
      readOnly: true,
    });
    const result = await deleteProject(lc.app, { name: 'shop', confirm: 'shop' });
    expect(result.removed).toEqual(
      expect.arrayContaining([
        'Deployment/shop',
        'Secret/shop-env',
        'DNS records at shop.example.test',
        'CI activation of shop',
        'deploy key threesix:deploy',
        'repository threesix/shop',
        'project row shop',
      ]),
    );
    expect(result.warnings).toEqual([]);
    expect(await lc.app.store.projects.count()).toBe(0);
    expect(await lc.deployer.listManaged()).toEqual([]);
    expect(await lc.dns.listRecords()).toEqual([]);
    expect(await lc.ci.listRepos()).toEqual([]);
    expect(await disagreements(lc)).toEqual([]);
  });

  it('requires confirm, answers NOT_FOUND for an unknown project, and a dry run changes nothing', async () => {
    const lc = await createLifecycleApp();
    await createProject(lc.app, { name: 'shop' });
    await expect(deleteProject(lc.app, { name: 'shop', confirm: 'shp' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(deleteProject(lc.app, { name: 'nope', confirm: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const dry = await deleteProject(lc.app, { name: 'shop', confirm: 'shop', dryRun: true });
    expect(dry.removed).toContain('repository shop (delete)');
    expect((await lc.app.store.projects.require('shop')).state).toBe('ready');
    expect(await disagreements(lc)).toEqual([]);
  });

  it('archives instead of deleting when THREESIX_DELETE_REPOS=archive, and a later create refuses the archived name', async () => {
    const lc = await createLifecycleApp({ THREESIX_DELETE_REPOS: 'archive' });
    await createProject(lc.app, { name: 'shop' });
    const result = await deleteProject(lc.app, { name: 'shop', confirm: 'shop' });
    expect(result.archived).toEqual(['repository threesix/shop']);
    expect((await lc.git.getRepo('shop')).archived).toBe(true);
    await expect(createProject(lc.app, { name: 'shop' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('leaves a DNS record someone else added at a project name and says so', async () => {
    const lc = await createLifecycleApp();
    await createProject(lc.app, { name: 'shop' });
    lc.dns.seed([
      { name: 'shop.example.test', type: 'TXT', content: 'verify=1', ttl: 300, proxied: false, owner: null },
    ]);
    const result = await deleteProject(lc.app, { name: 'shop', confirm: 'shop' });
    expect(result.warnings).toEqual([
      '1 DNS record(s) at shop.example.test are not owned by threesix and were left in place',
    ]);
    expect(await lc.dns.listRecords()).toEqual([expect.objectContaining({ type: 'TXT', owner: null })]);
  });

  it('cancels deploys still queued for the project, so none re-creates the workload after the removal', async () => {
    const lc = await createLifecycleApp();
    await createProject(lc.app, { name: 'shop' });
    for (const sha of ['a'.repeat(40), 'b'.repeat(40)]) {
      await lc.app.store.deployQueue.enqueue({
        project: 'shop',
        sha,
        image: `r.test/threesix/shop:${sha}`,
        actor: 'ci:shop',
        keys: [`k-${sha}`],
      });
    }
    const result = await deleteProject(lc.app, { name: 'shop', confirm: 'shop' });
    expect(result.warnings).toEqual([]);
    const left = await lc.app.store.deployQueue.list('shop');
    expect(left.map((d) => d.status).sort()).toEqual(['failed', 'superseded']);
    expect(await lc.app.store.deployQueue.pendingProjects()).toEqual([]);
  });
});
