/**
 * The background rollout watch (issue "Integrity", item 7): a release nobody waits for any more is
 * settled, and a failed one rolled back, without any tool call; after a restart it picks up what a
 * crashed process left in_progress; it settles a release once, in one process and across two on
 * one database; a deploy that waits still reports its own outcome. deploy_status only reports.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import { MemoryImageRegistry } from '../../src/adapters/memory/memory-image-registry.js';
import type { AppContext } from '../../src/services/shared/app-context.js';
import { deployRelease } from '../../src/services/deploy/deploy-release.service.js';
import { deployStatus } from '../../src/services/deploy/deploy-status.service.js';
import {
  createRolloutWatch,
  startRolloutWatch,
  stopRolloutWatch,
} from '../../src/services/deploy/rollout-watch.service.js';
import { eventually } from '../support/eventually.js';
import { createTestApp, tempDir } from '../support/test-app.js';
import { like } from '../support/matchers.js';

interface Cluster {
  registry: MemoryImageRegistry;
  deployer: MemoryDeployer;
}

function newCluster(): Cluster {
  const registry = new MemoryImageRegistry();
  return { registry, deployer: new MemoryDeployer({ registry }) };
}

async function appOn(cluster: Cluster, env: Record<string, string> = {}, databaseFile?: string): Promise<AppContext> {
  return createTestApp({
    databaseFile,
    env: { REGISTRY_URL: `http://${cluster.registry.host}`, THREESIX_DEPLOY_WAIT_S: '1', ...env },
    factories: {
      deployer: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(cluster.deployer) }),
      registry: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(cluster.registry) }),
    },
  });
}

/** v1 healthy, then v2 deployed without waiting, whose image resolves but does not pull. */
async function leaveFailingRelease(app: AppContext, cluster: Cluster) {
  if (!(await app.store.projects.get('shop')))
    await app.store.projects.create({ name: 'shop', description: 'test', state: 'ready', domain: 'shop.example.test' });
  const good = cluster.registry.push('threesix/shop', 'v1');
  await deployRelease(app, { project: 'shop', image: `${cluster.registry.host}/threesix/shop:v1`, actor: 'test' });
  cluster.registry.pushUnpullable('threesix/shop', 'v2');
  const pending = await deployRelease(app, {
    project: 'shop',
    image: `${cluster.registry.host}/threesix/shop:v2`,
    actor: 'ci',
    wait: false,
  });
  expect(pending.status).toBe('in_progress');
  return { good, pending };
}

const statuses = async (app: AppContext) => (await app.store.releases.list('shop')).map((r) => r.status);
const autoRollbacks = (app: AppContext) => app.store.audit.list({ target: 'shop', action: 'rollback' });

describe('the background rollout watch', () => {
  it('rolls back a failed release nobody waits for, with no tool call, audits it once; deploy_status reports it', async () => {
    const cluster = newCluster();
    const app = await appOn(cluster);
    const watch = startRolloutWatch(app, { pollMs: 20 });
    const { good, pending } = await leaveFailingRelease(app, cluster);
    await eventually(
      async () => expect(await statuses(app)).toEqual(['succeeded', 'rolled_back', 'succeeded']),
      5000,
      20,
    );
    await watch.idle();
    expect(cluster.deployer.applied('shop')?.image).toContain(good);
    expect((await app.store.releases.latest('shop'))?.reason).toContain(
      `release #1 after release #${pending.release.id} failed`,
    );
    expect(await autoRollbacks(app)).toEqual([
      expect.objectContaining({ actor: 'threesix:auto-rollback', result: 'ok' }),
    ]);
    expect(await app.store.projects.require('shop')).toMatchObject({
      deploymentStatus: 'running',
      deploymentDigest: good,
    });

    const view = await deployStatus(app, 'shop');
    expect(view.autoRollback).toMatchObject({
      failedReleaseId: pending.release.id,
      reason: 'ImagePullBackOff',
      rolledBackTo: { fromReleaseId: 1, status: 'succeeded' },
    });
    expect(view.rollout).toBe('succeeded');
    // Further sweeps and changes find nothing left to settle.
    await watch.sweep();
    app.events.projectChanged('shop');
    await watch.idle();
    expect(await statuses(app)).toHaveLength(3);
    await watch.stop();
  });

  it('only records the failure when auto-rollback is off or the server is read-only', async () => {
    for (const env of [{ THREESIX_AUTO_ROLLBACK: 'false' }, { THREESIX_READ_ONLY: 'true' }] as Array<
      Record<string, string>
    >) {
      const cluster = newCluster();
      const app = await appOn(cluster, env);
      const watch = startRolloutWatch(app, { pollMs: 20 });
      const { good, pending } = await leaveFailingRelease(app, cluster);
      await eventually(async () => expect(await statuses(app)).toEqual(['failed', 'succeeded']), 5000, 20);
      await watch.stop();
      expect(await app.store.releases.get(pending.release.id)).toMatchObject({
        reason: like.stringContaining('ImagePullBackOff'),
      });
      expect((await app.store.projects.require('shop')).deploymentStatus).toBe('failed');
      expect(cluster.deployer.applied('shop')?.image).not.toContain(good);
      expect(await autoRollbacks(app)).toEqual([]);
    }
  });

  it('does not roll back a rollback that failed', async () => {
    const cluster = newCluster();
    const app = await appOn(cluster);
    const { pending } = await leaveFailingRelease(app, cluster);
    // As a rollback left in progress (say, by a process that stopped) is recorded.
    await app.store.releases.update(pending.release.id, { reason: 'rollback to release #1' });
    const watch = createRolloutWatch(app, { pollMs: 20 });
    watch.watch('shop');
    await watch.idle();
    expect(await statuses(app)).toEqual(['failed', 'succeeded']);
    await watch.stop();
  });

  it('after a restart, settles the release a crashed process left in_progress', async () => {
    const cluster = newCluster();
    const file = join(tempDir(), 'threesix.db');
    const crashed = await appOn(cluster, {}, file);
    const { good } = await leaveFailingRelease(crashed, cluster);
    await crashed.store.close(); // the process dies with release #2 in_progress and nobody watching

    const restarted = await appOn(cluster, {}, file);
    const watch = startRolloutWatch(restarted, { pollMs: 50 });
    await eventually(
      async () => expect(await statuses(restarted)).toEqual(['succeeded', 'rolled_back', 'succeeded']),
      8000,
      50,
    );
    await watch.stop();
    expect(cluster.deployer.applied('shop')?.image).toContain(good);
    expect(await autoRollbacks(restarted)).toHaveLength(1);
  });

  it('settles a release once: many triggers in one process, and two processes on one database', async () => {
    const cluster = newCluster();
    const file = join(tempDir(), 'threesix.db');
    const first = await appOn(cluster, {}, file);
    const second = await appOn(cluster, {}, file); // its own locks and events, as another process has
    await leaveFailingRelease(first, cluster);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // older than the deploy wait: fair game for a sweep
    const watches = [startRolloutWatch(first, { pollMs: 5 }), startRolloutWatch(second, { pollMs: 5 })];
    expect(startRolloutWatch(first)).toBe(watches[0]); // one watch per process
    for (let i = 0; i < 5; i++) {
      first.events.projectChanged('shop');
      second.events.projectChanged('shop');
      void watches[0]!.sweep();
      void watches[1]!.sweep();
    }
    await eventually(
      async () => expect(await statuses(first)).toEqual(['succeeded', 'rolled_back', 'succeeded']),
      5000,
      20,
    );
    await Promise.all(watches.map((w) => w.idle()));
    expect(await statuses(first)).toHaveLength(3);
    expect(await autoRollbacks(first)).toHaveLength(1);
    await stopRolloutWatch(first);
    await stopRolloutWatch(second);
  });

  it('leaves a waiting deploy its own outcome: the deploy reports the rollback, the watch adds none', async () => {
    const cluster = newCluster();
    const app = await appOn(cluster, { THREESIX_DEPLOY_WAIT_S: '3' });
    const watch = startRolloutWatch(app, { pollMs: 5 });
    await app.store.projects.create({ name: 'shop', description: 'test', state: 'ready', domain: 'shop.example.test' });
    cluster.registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: `${cluster.registry.host}/threesix/shop:v1`, actor: 'test' });
    cluster.registry.pushUnpullable('threesix/shop', 'v2');
    const outcome = await deployRelease(app, {
      project: 'shop',
      image: `${cluster.registry.host}/threesix/shop:v2`,
      actor: 'test',
    });
    expect(outcome).toMatchObject({
      status: 'rolled_back',
      failure: { reason: 'ImagePullBackOff' },
      rolledBackTo: { fromReleaseId: 1, status: 'succeeded' },
    });
    await watch.idle();
    expect(await statuses(app)).toEqual(['succeeded', 'rolled_back', 'succeeded']);
    expect(await autoRollbacks(app)).toEqual([]); // the deploy rolled back, not the watch
    await watch.stop();
  });
});
