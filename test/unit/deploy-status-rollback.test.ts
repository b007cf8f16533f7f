import { describe, expect, it } from 'vitest';
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import { MemoryImageRegistry } from '../../src/adapters/memory/memory-image-registry.js';
import { deployRelease } from '../../src/services/deploy-release.service.js';
import { deployStatus } from '../../src/services/deploy-status.service.js';
import { listReleases } from '../../src/services/list-releases.service.js';
import { createTestApp } from '../support/test-app.js';

async function setup(env: Record<string, string> = {}) {
  const registry = new MemoryImageRegistry();
  const deployer = new MemoryDeployer({ registry });
  const app = await createTestApp({
    env: { REGISTRY_URL: `http://${registry.host}`, THREESIX_DEPLOY_WAIT_S: '2', ...env },
    factories: {
      deployer: () => ({ provider: 'memory', endpoint: null, build: async () => deployer }),
      registry: () => ({ provider: 'memory', endpoint: null, build: async () => registry }),
    },
  });
  const good = registry.push('threesix/shop', 'v1');
  await deployRelease(app, { project: 'shop', image: `${registry.host}/threesix/shop:v1`, actor: 'test' });
  // A release deploy did not wait for, whose image will never pull.
  const missing = `${registry.host}/threesix/shop@sha256:${'2'.repeat(64)}`;
  const pending = await deployRelease(app, { project: 'shop', image: missing, actor: 'ci', wait: false });
  expect(pending.status).toBe('in_progress');
  return { app, deployer, good, pending };
}

describe('deploy_status settles a release deploy stopped waiting for', () => {
  it('rolls back a failed in-progress release to the last healthy one, reports and audits it, once', async () => {
    const { app, deployer, good, pending } = await setup();
    const s = await deployStatus(app, 'shop');
    expect(s.autoRollback).toMatchObject({ failedReleaseId: pending.release.id, reason: 'ImagePullBackOff', rolledBackTo: { fromReleaseId: 1, status: 'succeeded' } });
    expect(s.rollout).toBe('succeeded');
    expect(s.deploymentStatus).toBe('running');
    expect(s.digest).toBe(good);
    expect(deployer.applied('shop')?.image).toContain(good);
    const { releases } = await listReleases(app, 'shop');
    expect(releases.map(r => r.status)).toEqual(['succeeded', 'rolled_back', 'succeeded']);
    expect(releases[0]!.reason).toContain(`release #1 after release #${pending.release.id} failed`);
    const audit = await app.store.audit.list({ target: 'shop', action: 'rollback' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'threesix:auto-rollback', result: 'ok' });
    // The next look finds nothing left to settle.
    const again = await deployStatus(app, 'shop');
    expect(again.autoRollback).toBeNull();
    expect((await listReleases(app, 'shop')).releases).toHaveLength(3);
  });

  it('only records the failure when auto-rollback is off or the server is read-only', async () => {
    for (const env of [{ THREESIX_AUTO_ROLLBACK: 'false' }, { THREESIX_READ_ONLY: 'true' }] as Array<Record<string, string>>) {
      const { app, deployer, good } = await setup(env);
      const s = await deployStatus(app, 'shop');
      expect(s.autoRollback).toBeNull();
      expect(s.rollout).toBe('failed: ImagePullBackOff');
      expect(s.deploymentStatus).toBe('failed');
      expect(s.release).toMatchObject({ status: 'failed', reason: expect.stringContaining('ImagePullBackOff') });
      expect(deployer.applied('shop')?.image).not.toContain(good);
    }
  });

  it('does not roll back a rollback that failed', async () => {
    const { app, pending } = await setup();
    // As a rollback left in progress (say, by a process that stopped) is recorded.
    await app.store.releases.update(pending.release.id, { reason: 'rollback to release #1' });
    const s = await deployStatus(app, 'shop');
    expect(s.autoRollback).toBeNull();
    expect(s.release).toMatchObject({ id: pending.release.id, status: 'failed' });
    expect((await listReleases(app, 'shop')).releases).toHaveLength(2);
  });
});
