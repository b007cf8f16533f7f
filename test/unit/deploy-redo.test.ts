/**
 * A deploy redone after the replica running it died mid-apply (the deploy queue of a surviving
 * replica puts it back, services/deploy/deploy-queue.service.ts): the dead deploy left its release
 * `in_progress` and the project row pointing at it, but the cluster may never have received the
 * apply. The redo reuses that release and applies it, rather than watching a rollout that never began.
 */
import { describe, expect, it } from 'vitest';
import { deployRelease } from '../../src/services/deploy/deploy-release.service.js';
import { listReleases } from '../../src/services/deploy/list-releases.service.js';
import { memoryDeployApp } from '../support/memory-deploy-app.js';

/** v1 deployed, then a deploy of v2 that recorded its release (in_progress) and died. */
async function deployedThenKilled() {
  const setup = await memoryDeployApp();
  const { app, registry, image } = setup;
  registry.push('threesix/shop', 'v1');
  const first = await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'ci:shop' });
  const v2 = registry.push('threesix/shop', 'v2');
  const dead = await app.store.releases.create({
    project: 'shop',
    image: image('v2'),
    digest: v2,
    commitSha: null,
    envHash: first.release.envHash,
    port: first.release.port,
    replicas: first.release.replicas,
    status: 'in_progress',
  });
  return { ...setup, first, v2, dead };
}

describe('a deploy redone after its replica died mid-apply', () => {
  it('applies the release the dead deploy made, once, instead of waiting on a rollout that never began', async () => {
    // What rolloutRelease writes before its apply, and all a replica killed during that apply leaves.
    const { app, registry, deployer, image, first, v2, dead } = await deployedThenKilled();
    await app.store.projects.update('shop', {
      deploymentStatus: 'deploying',
      deploymentImage: image('v2'),
      deploymentDigest: v2,
    });
    expect(deployer.applied('shop')?.image).toBe(first.pinned);

    const redo = await deployRelease(app, { project: 'shop', image: image('v2'), actor: 'ci:shop' });
    expect(redo).toMatchObject({ status: 'succeeded', reused: true, release: { id: dead.id } });
    expect(deployer.applied('shop')?.image).toBe(`${registry.host}/threesix/shop@${v2}`);
    expect((await listReleases(app, 'shop')).releases.map((r) => [r.id, r.status])).toEqual([
      [dead.id, 'succeeded'],
      [first.release.id, 'succeeded'],
    ]);
  });

  it('reuses the release also when the replica died before the project row named it (between the two writes)', async () => {
    // Killed right after the release was recorded: the row still names v1's release.
    const { app, registry, deployer, image, first, v2, dead } = await deployedThenKilled();

    const redo = await deployRelease(app, { project: 'shop', image: image('v2'), actor: 'ci:shop' });
    expect(redo).toMatchObject({ status: 'succeeded', reused: true, release: { id: dead.id } });
    expect(deployer.applied('shop')?.image).toBe(`${registry.host}/threesix/shop@${v2}`);
    expect((await listReleases(app, 'shop')).releases.map((r) => [r.id, r.status])).toEqual([
      [dead.id, 'succeeded'],
      [first.release.id, 'succeeded'],
    ]);
  });
});
