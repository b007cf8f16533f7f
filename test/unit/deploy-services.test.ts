import { describe, expect, it } from 'vitest';
import { deployRelease } from '../../src/services/deploy/deploy-release.service.js';
import { deployStatus } from '../../src/services/deploy/deploy-status.service.js';
import { listReleases } from '../../src/services/deploy/list-releases.service.js';
import { projectLogs } from '../../src/services/deploy/logs.service.js';
import { rollbackProject } from '../../src/services/deploy/rollback.service.js';
import { scaleProject } from '../../src/services/deploy/scale.service.js';
import { undeployProject } from '../../src/services/deploy/undeploy.service.js';
import { memoryDeployApp } from '../support/memory-deploy-app.js';

const setup = memoryDeployApp;

describe('deploy services (memory adapters)', () => {
  it('deploys a tag by digest, records the release and creates the project row', async () => {
    const { app, registry, deployer, image } = await setup();
    const digest = registry.push('threesix/shop', 'v1');
    const progress: string[] = [];
    const r = await deployRelease(
      app,
      { project: 'shop', image: image('v1'), actor: 'test', commitSha: 'abc1234' },
      { progress: (_p, _t, m) => Promise.resolve(void progress.push(m ?? '')) },
    );
    expect(r.status).toBe('succeeded');
    expect(r.pinned).toBe(`${registry.host}/threesix/shop@${digest}`);
    expect(deployer.applied('shop')?.image).toBe(r.pinned);
    expect(deployer.applied('shop')?.hosts).toEqual(['shop.example.test']);
    const row = await app.store.projects.require('shop');
    expect(row).toMatchObject({
      state: 'ready',
      domain: 'shop.example.test',
      deploymentStatus: 'running',
      deploymentDigest: digest,
      deployedSha: 'abc1234',
      deploymentReplicas: 1,
    });
    expect((await listReleases(app, 'shop')).releases.map((x) => x.status)).toEqual(['succeeded']);
  });

  it('records the commit of an image whose tag is a full commit id (as CI tags them), and no commit for other tags', async () => {
    const { app, registry, image } = await setup();
    const sha = 'c0ffee'.padEnd(40, '0');
    registry.push('threesix/shop', sha);
    await deployRelease(app, { project: 'shop', image: image(sha), actor: 'test' });
    expect((await app.store.projects.require('shop')).deployedSha).toBe(sha);
    expect((await listReleases(app, 'shop')).releases[0]).toMatchObject({ commitSha: sha });
    registry.push('threesix/shop', 'deadbeef');
    await deployRelease(app, { project: 'shop', image: image('deadbeef'), actor: 'test' });
    expect((await listReleases(app, 'shop')).releases[0]).toMatchObject({ commitSha: null });
  });

  it('reports the same release when the same deploy is retried', async () => {
    const { app, registry, image } = await setup();
    registry.push('threesix/shop', 'v1');
    const first = await deployRelease(app, { project: 'shop', image: image('v1'), env: { A: '1' }, actor: 'test' });
    const again = await deployRelease(app, { project: 'shop', image: image('v1'), env: { A: '1' }, actor: 'test' });
    expect(again.reused).toBe(true);
    expect(again.release.id).toBe(first.release.id);
    const redelivered = await deployRelease(app, {
      project: 'shop',
      image: image('v1'),
      env: { A: '1' },
      actor: 'ci',
      wait: false,
    });
    expect(redelivered).toMatchObject({ status: 'succeeded', reused: true, release: { id: first.release.id } });
    const changed = await deployRelease(app, { project: 'shop', image: image('v1'), env: { A: '2' }, actor: 'test' });
    expect(changed.release.id).not.toBe(first.release.id);
  });

  it('returns in_progress with the release id when the rollout outlasts the wait, and a retry reports it', async () => {
    const { app, registry, image } = await setup({ rolloutPolls: 1000, env: { THREESIX_DEPLOY_WAIT_S: '1' } });
    registry.push('threesix/shop', 'v1');
    const progress: number[] = [];
    const r = await deployRelease(
      app,
      { project: 'shop', image: image('v1'), actor: 'test' },
      { progress: (p) => Promise.resolve(void progress.push(p)) },
    );
    expect(r.status).toBe('in_progress');
    expect(r.nextStep).toContain('deploy_status');
    expect(progress.length).toBeGreaterThan(0);
    const retry = await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test', wait: false });
    expect(retry).toMatchObject({ status: 'in_progress', reused: true });
    expect(retry.release.id).toBe(r.release.id);
  });

  it('fails fast on an image that does not pull and rolls back to the last healthy release', async () => {
    const { app, registry, deployer, image } = await setup();
    const good = registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    const missing = `${registry.host}/threesix/shop@${registry.pushUnpullable('threesix/shop', 'v2')}`;
    const started = Date.now();
    const r = await deployRelease(app, { project: 'shop', image: missing, actor: 'test' });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(r.status).toBe('rolled_back');
    expect(r.failure?.reason).toBe('ImagePullBackOff');
    expect(r.rolledBackTo).toMatchObject({ status: 'succeeded', fromReleaseId: 1 });
    expect(deployer.applied('shop')?.image).toContain(good);
    expect(await app.store.projects.require('shop')).toMatchObject({
      deploymentStatus: 'running',
      deploymentDigest: good,
    });
    expect((await listReleases(app, 'shop')).releases.map((x) => x.status)).toEqual([
      'succeeded',
      'rolled_back',
      'succeeded',
    ]);
  });

  it('reports a crash loop with log lines and marks the project failed when nothing healthy came before', async () => {
    const { app, registry, deployer, image } = await setup();
    registry.push('threesix/shop', 'v1');
    deployer.setCrashLoop('shop', true);
    const r = await deployRelease(app, {
      project: 'shop',
      image: image('v1'),
      secrets: { DB_PASSWORD: 'hunter2-secret' },
      actor: 'test',
    });
    expect(r.status).toBe('failed');
    expect(r.failure?.reason).toBe('CrashLoopBackOff');
    expect(r.failure?.logTail).toContain('fatal');
    expect(r.failure?.logTail).not.toContain('hunter2-secret');
    expect((await app.store.projects.require('shop')).deploymentStatus).toBe('failed');
  });

  it('refuses bad input with INVALID_INPUT and leaves the cluster untouched', async () => {
    const { app, registry, deployer, image } = await setup();
    registry.push('threesix/shop', 'v1');
    const bad: Array<Partial<Parameters<typeof deployRelease>[1]> & { image: string }> = [
      { image: 'not an image' },
      { image: 'docker.io/library/nginx:latest' },
      { image: image('v1'), replicas: 11 },
      { image: image('v1'), replicas: -1 },
      { image: image('v1'), port: 0 },
      { image: image('v1'), port: 70000 },
      { image: image('v1'), env: { 'bad-name': 'x' } },
      { image: image('v1'), secrets: { '1X': 'x' } },
      { image: image('v1'), env: { TOKEN: 'plain' }, secrets: { TOKEN: 'hidden-value' } },
      {
        image: image('v1'),
        env: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`V${i}`, 'z'.repeat(30 * 1024)])),
      },
    ];
    for (const input of bad) {
      await expect(deployRelease(app, { project: 'shop', actor: 'test', ...input })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    }
    await expect(deployRelease(app, { project: 'Bad_Name', image: image('v1'), actor: 'test' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await deployer.listManaged()).toEqual([]);
    expect(await listReleases(app, 'shop')).toMatchObject({ releases: [] });
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    await expect(projectLogs(app, { project: 'shop', tail: 5000 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(scaleProject(app, { project: 'shop', replicas: 11 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(undeployProject(app, { project: 'shop', confirm: 'nope' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(deployer.applied('shop')?.replicas).toBe(1);
  });

  it('keeps the newest 64 KiB of logs from a whole line on, and says it cut them', async () => {
    const { app, registry, image } = await setup();
    registry.push('threesix/shop', 'v1');
    const big = 'y'.repeat(30 * 1024);
    await deployRelease(app, {
      project: 'shop',
      image: image('v1'),
      env: { A: big, B: big, C: big, Z_LAST: 'newest' },
      actor: 'test',
    });
    const logs = await projectLogs(app, { project: 'shop', tail: 2000 });
    expect(logs.truncated).toBe(true);
    expect(Buffer.byteLength(logs.text)).toBeLessThanOrEqual(64 * 1024);
    expect(logs.text.startsWith('env ')).toBe(true);
    expect(logs.text.trimEnd().endsWith('env Z_LAST=newest')).toBe(true);
  });

  it('dry runs resolve without changing anything', async () => {
    const { app, registry, deployer, image } = await setup();
    const digest = registry.push('threesix/shop', 'v1');
    const r = await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test', dryRun: true });
    expect(r).toMatchObject({ status: 'dry_run', dryRun: true });
    expect(r.release.digest).toBe(digest);
    expect(await deployer.listManaged()).toEqual([]);
    expect(await listReleases(app, 'shop')).toMatchObject({ releases: [] });
  });

  it('scales, shows status, rolls back on request and undeploys', async () => {
    const { app, registry, deployer, image } = await setup();
    const d1 = registry.push('threesix/shop', 'v1');
    registry.push('threesix/shop', 'v2');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    await deployRelease(app, { project: 'shop', image: image('v2'), actor: 'test' });
    await scaleProject(app, { project: 'shop', replicas: 3 });
    const status = await deployStatus(app, 'shop');
    expect(status.workload.desiredReplicas).toBe(3);
    expect(status.url).toBe('https://shop.example.test');
    const back = await rollbackProject(app, { project: 'shop' });
    expect(back).toMatchObject({ status: 'succeeded', fromReleaseId: 1 });
    expect((await app.store.projects.require('shop')).deploymentDigest).toBe(d1);
    const logs = await projectLogs(app, { project: 'shop', tail: 10 });
    expect(logs.text).toContain('listening');
    const gone = await undeployProject(app, { project: 'shop', confirm: 'shop' });
    expect(gone.removed.length).toBeGreaterThanOrEqual(3);
    expect(await deployer.listManaged()).toEqual([]);
    expect((await app.store.projects.require('shop')).deploymentStatus).toBe('none');
  });
});
