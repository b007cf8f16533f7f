import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/services/reconcile/reconcile.service.js';
import { addDomain } from '../../src/services/domains/add-domain.service.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { disagreements } from '../support/convergence.js';
import { createLifecycleApp } from '../support/lifecycle-app.js';

async function twoProjects() {
  const lc = await createLifecycleApp();
  lc.app.resolver = { resolve: () => Promise.resolve({ addresses: [], cnames: [] }) };
  await createProject(lc.app, { name: 'shop' });
  await createProject(lc.app, { name: 'blog' });
  return lc;
}

describe('reconcile', () => {
  it('finds nothing when the database and the backends agree, using one list call per backend', async () => {
    const lc = await twoProjects();
    const snapshot = () =>
      Object.entries(lc.faults).flatMap(([backend, f]) =>
        Object.entries(f.calls).map(([m, n]) => [`${backend}.${m}`, n] as const),
      );
    const before = new Map(snapshot());
    const outcome = await reconcile(lc.app, {});
    expect(outcome).toMatchObject({
      checked: 2,
      drift: [],
      backends: { git: 'ok', ci: 'ok', dns: 'ok', deployer: 'ok', database: 'ok' },
    });
    const made = Object.fromEntries(
      snapshot()
        .map(([k, n]) => [k, n - (before.get(k) ?? 0)] as const)
        .filter(([, n]) => n !== 0),
    );
    // The cluster is listed twice: its workloads, and its CloudNativePG Clusters (database-drift.ts).
    expect(made).toEqual({
      'git.listRepos': 1,
      'ci.listRepos': 1,
      'dns.listRecords': 1,
      'deployer.listManaged': 1,
      'deployer.listDatabases': 1,
    });
  });

  it('finds a record deleted behind our back, one pointing elsewhere, and repairs both', async () => {
    const lc = await twoProjects();
    const [shopRecord] = await lc.dns.listRecords({ name: 'shop.example.test' });
    const [blogRecord] = await lc.dns.listRecords({ name: 'blog.example.test' });
    await lc.dns.applyChanges({ create: [], update: [], delete: [shopRecord!] }, 'threesix');
    await lc.dns.applyChanges(
      {
        create: [],
        update: [{ from: blogRecord!, to: { ...blogRecord!, type: 'A', content: '10.9.9.9' } }],
        delete: [],
      },
      'threesix',
    );
    const report = await reconcile(lc.app, {});
    expect(report.drift).toEqual([
      expect.objectContaining({ project: 'blog', backend: 'dns', kind: 'pointing_elsewhere', repaired: false }),
      expect.objectContaining({ project: 'shop', backend: 'dns', kind: 'missing', repaired: false }),
    ]);
    await expect(reconcile(lc.app, { repair: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const repaired = await reconcile(lc.app, { repair: true, confirm: 'all' });
    expect(repaired.drift.every((d) => d.repaired)).toBe(true);
    expect(repaired.operations).toHaveLength(2);
    expect((await reconcile(lc.app, {})).drift).toEqual([]);
    // Repaired rows keep pointing at the new record ids.
    expect(await disagreements(lc)).toEqual([]);
  });

  it('re-creates a repository and CI activation deleted behind our back', async () => {
    const lc = await twoProjects();
    await lc.git.deleteRepo('shop');
    const report = await reconcile(lc.app, { project: 'shop' });
    expect(report.drift.map((d) => `${d.backend}:${d.kind}`)).toEqual(['git:missing']);
    await reconcile(lc.app, { project: 'shop', repair: true, confirm: 'shop' });
    expect((await lc.git.getRepo('shop')).managed).toBe(true);
    const after = await reconcile(lc.app, {});
    // The old CI activation pointed at the deleted repository: an orphan, which the next repair removes.
    expect(after.drift.map((d) => `${d.project}:${d.backend}:${d.kind}`)).toEqual(['shop:ci:orphan']);
    await reconcile(lc.app, { repair: true, confirm: 'all' });
    expect((await reconcile(lc.app, {})).drift).toEqual([]);
    expect(await disagreements(lc)).toEqual([]);
  });

  it('reports foreign names and orphans, removes orphaned records and workloads but never repositories', async () => {
    const lc = await twoProjects();
    await addDomain(lc.app, { project: 'shop', domain: 'store.example.test' });
    const [cname] = await lc.dns.listRecords({ name: 'store.example.test' });
    await lc.dns.applyChanges({ create: [], update: [], delete: [cname!] }, 'threesix');
    lc.dns.seed([
      {
        name: 'store.example.test',
        type: 'CNAME',
        content: 'elsewhere.net',
        ttl: 300,
        proxied: false,
        owner: 'someone',
      },
    ]);
    lc.dns.seed([
      { name: 'ghost.example.test', type: 'A', content: '127.0.0.1', ttl: 300, proxied: false, owner: 'threesix' },
    ]);
    await lc.git.createRepo({ name: 'ghost', description: '', private: false, autoInit: true });
    await lc.deployer.apply({
      project: 'ghost',
      image: 'r.test/x/ghost@sha256:' + 'd'.repeat(64),
      port: 80,
      replicas: 1,
      env: {},
      secrets: {},
      hosts: [],
    });
    const report = await reconcile(lc.app, { repair: true, confirm: 'all' });
    const view = report.drift.map((d) => `${d.project}:${d.backend}:${d.kind}:${d.repaired}`).sort();
    expect(view).toEqual([
      'ghost:deployer:orphan:true',
      'ghost:dns:orphan:true',
      'ghost:git:orphan:false',
      'shop:dns:foreign:false',
    ]);
    expect(await lc.dns.listRecords({ name: 'ghost.example.test' })).toEqual([]);
    expect(await lc.deployer.listManaged()).toEqual([]);
    expect((await lc.git.getRepo('ghost')).name).toBe('ghost');
  });

  it('reports a backend it cannot list instead of failing', async () => {
    const lc = await twoProjects();
    lc.faults.ci.failNext('listRepos');
    const report = await reconcile(lc.app, {});
    expect(report.backends.ci).toMatch(/^UPSTREAM_UNAVAILABLE/);
    expect(report.drift).toEqual([]);
  });
});
