import { describe, expect, it } from 'vitest';
import { deployRelease } from '../../src/services/deploy/deploy-release.service.js';
import { getProject } from '../../src/services/projects/get-project.service.js';
import { listReleases } from '../../src/services/deploy/list-releases.service.js';
import { deleteProject } from '../../src/services/projects/delete-project.service.js';
import { scaleProject } from '../../src/services/deploy/scale.service.js';
import { addVolume } from '../../src/services/volumes/add-volume.service.js';
import { removeVolume } from '../../src/services/volumes/remove-volume.service.js';
import { memoryDeployApp } from '../support/memory-deploy-app.js';
import { like } from '../support/matchers.js';

describe('volume services (memory adapters)', () => {
  it('adds a volume, rolls the running app out with it mounted once, and keeps the project at one pod', async () => {
    const { app, registry, deployer, image } = await memoryDeployApp();
    registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    const r = await addVolume(app, { project: 'shop', path: '/data', size: '2Gi' });
    expect(r).toMatchObject({
      volume: { path: '/data', size: '2Gi', phase: 'Bound' },
      release: { status: 'succeeded' },
      dryRun: false,
    });
    expect(deployer.mountedPaths('shop')).toEqual(['/data']);
    expect((await listReleases(app, 'shop')).releases[0]?.reason).toBe('volume added at /data');
    expect((await addVolume(app, { project: 'shop', path: '/data', size: '2Gi' })).release).toBeNull();
    await expect(addVolume(app, { project: 'shop', path: '/data', size: '3Gi' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(scaleProject(app, { project: 'shop', replicas: 2 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: like.stringContaining('volumes'),
    });
    expect((await getProject(app, 'shop')).live.deployment.data?.volumes).toEqual([
      { path: '/data', size: '2Gi', phase: 'Bound' },
    ]);
  });

  it('refuses bad paths, sizes and a project of several pods, changing nothing', async () => {
    const { app, registry, deployer, image } = await memoryDeployApp({ env: { THREESIX_MAX_VOLUME: '5Gi' } });
    for (const path of ['data', '/', '/etc', '/usr/share/x', '/data/', '/a/../b', '/a b']) {
      await expect(addVolume(app, { project: 'shop', path }), path).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(addVolume(app, { project: 'shop', path: '/data', size: '6Gi' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: like.stringContaining('5Gi'),
    });
    registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), replicas: 2, actor: 'test' });
    await expect(addVolume(app, { project: 'shop', path: '/data' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      hint: like.stringContaining('scale'),
    });
    expect(await deployer.listVolumes('shop')).toEqual([]);
  });

  it('removes a volume after confirmation and rolls out without it; delete_project removes the rest and plans it', async () => {
    const { app, registry, deployer, image } = await memoryDeployApp();
    registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    await addVolume(app, { project: 'shop', path: '/data' });
    await addVolume(app, { project: 'shop', path: '/cache' });
    await expect(removeVolume(app, { project: 'shop', path: '/data', confirm: 'nope' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(removeVolume(app, { project: 'shop', path: '/other', confirm: 'shop' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const r = await removeVolume(app, { project: 'shop', path: '/data', confirm: 'shop' });
    expect(r).toMatchObject({
      removed: [expect.stringMatching(/^PersistentVolumeClaim\/shop-vol-/)],
      release: { status: 'succeeded' },
    });
    expect(deployer.mountedPaths('shop')).toEqual(['/cache']);
    deployer.volumes.addForeign('shop', '/theirs');
    const plan = await deleteProject(app, { name: 'shop', confirm: 'shop', dryRun: true });
    expect(plan.removed).toContain('volumes of shop (its PersistentVolumeClaims, with their data)');
    const done = await deleteProject(app, { name: 'shop', confirm: 'shop' });
    expect(done.removed.filter((x) => x.startsWith('PersistentVolumeClaim/'))).toHaveLength(1);
    expect(await deployer.listVolumes('shop')).toEqual([]);
  });
});
