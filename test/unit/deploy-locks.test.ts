import { describe, expect, it } from 'vitest';
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import { MemoryImageRegistry } from '../../src/adapters/memory/memory-image-registry.js';
import { deployRelease } from '../../src/services/deploy/deploy-release.service.js';
import { listReleases } from '../../src/services/deploy/list-releases.service.js';
import { scaleProject } from '../../src/services/deploy/scale.service.js';
import { UNBOUNDED_WAIT } from '../../src/services/shared/project-locks.js';
import { eventually } from '../support/eventually.js';
import { seedProject } from '../support/seed-project.js';
import { createTestApp } from '../support/test-app.js';

async function setup(rolloutPolls: number, waitS = '3') {
  const registry = new MemoryImageRegistry();
  const deployer = new MemoryDeployer({ registry, rolloutPolls });
  const app = await createTestApp({
    env: { REGISTRY_URL: `http://${registry.host}`, THREESIX_DEPLOY_WAIT_S: waitS },
    factories: {
      deployer: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(deployer) }),
      registry: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(registry) }),
    },
  });
  await seedProject(app, 'shop');
  await seedProject(app, 'blog');
  return { app, registry, deployer, image: (repo: string, tag: string) => `${registry.host}/threesix/${repo}:${tag}` };
}

describe('per-project deploy lock', () => {
  it('serialises two concurrent deploys of one project: both complete, history and row agree with the cluster', async () => {
    const { app, registry, deployer, image } = await setup(2);
    registry.push('threesix/shop', 'a');
    const b = registry.push('threesix/shop', 'b');
    const [first, second] = await Promise.all([
      deployRelease(app, { project: 'shop', image: image('shop', 'a'), actor: 'agent' }),
      deployRelease(app, { project: 'shop', image: image('shop', 'b'), actor: 'ci' }),
    ]);
    expect(first.status).toBe('succeeded');
    expect(second.status).toBe('succeeded');
    expect(second.release.id).toBeGreaterThan(first.release.id);
    const { releases } = await listReleases(app, 'shop');
    expect(releases.map((r) => [r.id, r.status])).toEqual([
      [second.release.id, 'succeeded'],
      [first.release.id, 'succeeded'],
    ]);
    const row = await app.store.projects.require('shop');
    expect(row).toMatchObject({ deploymentStatus: 'running', deploymentDigest: b });
    expect(deployer.applied('shop')?.image).toContain(b);
  });

  it('makes scale wait for a deploy of the same project instead of racing its row update', async () => {
    const { app, registry, deployer, image } = await setup(2);
    registry.push('threesix/shop', 'a');
    const order: string[] = [];
    const deploying = deployRelease(app, {
      project: 'shop',
      image: image('shop', 'a'),
      replicas: 1,
      actor: 'agent',
    }).then(() => order.push('deploy'));
    // Scale arrives while the deploy is mid-rollout (its project row exists, its release is in progress).
    await eventually(async () => expect((await app.store.releases.latest('shop'))?.status).toBe('in_progress'));
    await Promise.all([deploying, scaleProject(app, { project: 'shop', replicas: 3 }).then(() => order.push('scale'))]);
    // Without the lock, scale changed the Deployment under the deploy's rollout and finished first.
    expect(order).toEqual(['deploy', 'scale']);
    expect(deployer.applied('shop')?.replicas).toBe(3);
    expect((await app.store.projects.require('shop')).deploymentReplicas).toBe(3);
  });

  it('lets deploys of different projects run in parallel', async () => {
    const { app, registry, image } = await setup(1_000_000, '1');
    registry.push('threesix/shop', 'a');
    registry.push('threesix/blog', 'a');
    const order: string[] = [];
    await Promise.all([
      deployRelease(app, { project: 'shop', image: image('shop', 'a'), actor: 'agent' }).then((r) =>
        order.push(`shop:${r.status}`),
      ),
      deployRelease(app, { project: 'blog', image: image('blog', 'a'), actor: 'ci', wait: false }).then((r) =>
        order.push(`blog:${r.status}`),
      ),
    ]);
    // blog does not queue behind shop's one-second wait.
    expect(order).toEqual(['blog:in_progress', 'shop:in_progress']);
  });

  it('a deploy following a slow rollout steps aside for delete_project: it answers in_progress and the delete runs', async () => {
    // 60 s of deploy wait and a rollout that never finishes in this test's time: without stepping
    // aside the delete would wait out the whole budget (and the test its timeout).
    const { app, registry, image } = await setup(100_000, '60');
    registry.push('threesix/shop', 'a');
    const deploy = deployRelease(app, { project: 'shop', image: image('shop', 'a'), actor: 'agent' });
    await eventually(async () => expect((await listReleases(app, 'shop')).releases).toHaveLength(1));
    const deletion = app.locks.run('shop', 'delete_project', UNBOUNDED_WAIT, () => Promise.resolve('deleted'));
    expect((await deploy).status).toBe('in_progress');
    expect(await deletion).toBe('deleted');
  });
});
