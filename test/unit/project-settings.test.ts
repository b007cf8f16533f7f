/**
 * Settings that last (set_env, list_env, configure) on the memory adapters: each change rolls out
 * a release of the running image, and later deploys, CI-style deploys and rollbacks keep them.
 */
import { describe, expect, it } from 'vitest';
import { deployRelease } from '../../src/services/deploy/deploy-release.service.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { deleteProject } from '../../src/services/projects/delete-project.service.js';
import { rollbackProject } from '../../src/services/deploy/rollback.service.js';
import { configureProject } from '../../src/services/settings/configure.service.js';
import { listEnv } from '../../src/services/settings/list-env.service.js';
import { setEnv } from '../../src/services/settings/set-env.service.js';
import { undeployProject } from '../../src/services/deploy/undeploy.service.js';
import { createLifecycleApp } from '../support/lifecycle-app.js';
import { memoryDeployApp } from '../support/memory-deploy-app.js';
import { like } from '../support/matchers.js';

const setup = () => memoryDeployApp({ env: { THREESIX_MAX_MEMORY: '1Gi', THREESIX_MAX_CPU: '1' } });

describe('project settings', () => {
  it('set_env rolls out the running image with the variables; list_env hides secret values; the next deploy and a rollback keep them', async () => {
    const { app, registry, deployer, image } = await setup();
    const v1 = registry.push('threesix/shop', 'v1');
    registry.push('threesix/shop', 'v2');
    await deployRelease(app, { project: 'shop', image: image('v1'), commitSha: 'aaaaaaa', actor: 'test' });
    const r = await setEnv(app, {
      project: 'shop',
      set: { MODE: 'prod' },
      secrets: { API_KEY: 'k-9f8e7d-secret' },
      actor: 'test',
    });
    expect(r).toMatchObject({
      status: 'succeeded',
      reused: false,
      release: { id: 2, commitSha: 'aaaaaaa', digest: v1 },
    });
    expect(deployer.applied('shop')).toMatchObject({ env: { MODE: 'prod' }, secrets: { API_KEY: 'k-9f8e7d-secret' } });
    const view = await listEnv(app, 'shop');
    expect(view).toMatchObject({ env: { MODE: 'prod' }, secrets: ['API_KEY'] });
    expect(JSON.stringify(view)).not.toContain('k-9f8e7d-secret');
    const [audited] = await app.store.audit.list({ target: 'shop', action: 'settings.set_env' });
    expect(audited).toMatchObject({
      actor: 'test',
      result: 'ok',
      detail: { set: ['MODE'], secrets: ['API_KEY'], unset: [], release: 2, status: 'succeeded' },
    });
    expect(JSON.stringify(audited)).not.toContain('k-9f8e7d-secret');

    // A push (CI deploy: image and commit only) keeps env and secret.
    const pushed = await deployRelease(app, {
      project: 'shop',
      image: image('v2'),
      commitSha: 'bbbbbbb',
      actor: 'ci:test',
    });
    expect(pushed.status).toBe('succeeded');
    expect(deployer.applied('shop')).toMatchObject({ env: { MODE: 'prod' }, secrets: { API_KEY: 'k-9f8e7d-secret' } });
    // A rollback to v1 keeps the current settings too.
    const back = await rollbackProject(app, { project: 'shop' });
    expect(back.status).toBe('succeeded');
    expect(deployer.applied('shop')).toMatchObject({ env: { MODE: 'prod' }, secrets: { API_KEY: 'k-9f8e7d-secret' } });
    expect(deployer.applied('shop')?.image).toContain(v1);
  });

  it('the same set_env again changes nothing; unset removes plain and secret names; moving a name between kinds leaves the other', async () => {
    const { app, registry, deployer, image } = await setup();
    registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    const first = await setEnv(app, { project: 'shop', set: { A: '1' }, secrets: { S: 'secret-one' }, actor: 'test' });
    const again = await setEnv(app, { project: 'shop', set: { A: '1' }, secrets: { S: 'secret-one' }, actor: 'test' });
    expect(again?.reused).toBe(true);
    expect(again?.release.id).toBe(first?.release.id);
    // Replacing or removing needs confirm: threesix keeps no copy of the old value. Refused, nothing changes.
    await expect(setEnv(app, { project: 'shop', set: { S: 'now-plain' }, actor: 'test' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: like.stringContaining('S'),
    });
    await expect(setEnv(app, { project: 'shop', unset: ['A'], confirm: 'other', actor: 'test' })).rejects.toMatchObject(
      { code: 'INVALID_INPUT' },
    );
    expect(deployer.applied('shop')).toMatchObject({ env: { A: '1' }, secrets: { S: 'secret-one' } });
    await setEnv(app, { project: 'shop', set: { S: 'now-plain' }, confirm: 'shop', actor: 'test' });
    expect(deployer.applied('shop')).toMatchObject({ env: { A: '1', S: 'now-plain' }, secrets: {} });
    await setEnv(app, { project: 'shop', secrets: { A: 'now-secret' }, unset: ['S'], confirm: 'shop', actor: 'test' });
    expect(deployer.applied('shop')).toMatchObject({ env: {}, secrets: { A: 'now-secret' } });
    expect(await listEnv(app, 'shop')).toMatchObject({ env: {}, secrets: ['A'] });
  });

  it('refuses bad input and changes nothing', async () => {
    const { app, registry, deployer, image } = await setup();
    registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    const before = deployer.applied('shop');
    const bad: Array<Parameters<typeof setEnv>[1]> = [
      { project: 'shop', actor: 't' },
      { project: 'shop', set: { 'bad-name': 'x' }, actor: 't' },
      { project: 'shop', set: { A: 'x' }, secrets: { A: 'y' }, actor: 't' },
      { project: 'shop', set: { A: 'x' }, unset: ['A'], actor: 't' },
      { project: 'shop', unset: ['lower'], actor: 't' },
      { project: 'shop', set: { BIG: 'z'.repeat(33 * 1024) }, actor: 't' },
    ];
    for (const input of bad) await expect(setEnv(app, input)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    for (const input of [
      { memory: '4Gi' },
      { memory: '512' },
      { cpu: '2' },
      { cpu: 'lots' },
      { healthCheckPath: 'healthz' },
      { port: 0 },
      {},
    ]) {
      await expect(configureProject(app, { project: 'shop', actor: 't', ...input })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    }
    expect(deployer.applied('shop')).toEqual(before);
    expect(await app.store.settings.get('shop')).toBeUndefined();
  });

  it('configure sets the probe path, limits and port, which survive a push and a rollback; "" resets', async () => {
    const { app, registry, deployer, image } = await setup();
    registry.push('threesix/shop', 'v1');
    registry.push('threesix/shop', 'v2');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    const r = await configureProject(app, {
      project: 'shop',
      healthCheckPath: '/healthz',
      memory: '512Mi',
      cpu: '250m',
      port: 3000,
      actor: 'test',
    });
    expect(r).toMatchObject({ status: 'succeeded', release: { port: 3000 } });
    const want = {
      healthCheckPath: '/healthz',
      port: 3000,
      resources: { cpuLimit: '250m', cpuRequest: '50m', memoryLimit: '512Mi', memoryRequest: '64Mi' },
    };
    expect(deployer.applied('shop')).toMatchObject(want);
    await deployRelease(app, { project: 'shop', image: image('v2'), actor: 'ci:test' });
    expect(deployer.applied('shop')).toMatchObject(want);
    await rollbackProject(app, { project: 'shop' });
    expect(deployer.applied('shop')).toMatchObject(want);
    expect(await listEnv(app, 'shop')).toMatchObject({
      healthCheckPath: '/healthz',
      memory: '512Mi',
      cpu: '250m',
      port: 3000,
    });
    expect(
      await configureProject(app, { project: 'shop', healthCheckPath: '', memory: '', dryRun: true, actor: 'test' }),
    ).toBe('dry_run');
    expect(deployer.applied('shop')).toMatchObject(want);
    await configureProject(app, { project: 'shop', healthCheckPath: '', memory: '', actor: 'test' });
    expect(deployer.applied('shop')).toMatchObject({
      healthCheckPath: null,
      resources: { cpuLimit: '250m', memoryLimit: '256Mi' },
    });
  });

  it("a limit below the operator's default request lowers the request with it", async () => {
    const { app, registry, deployer, image } = await setup();
    registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    await configureProject(app, { project: 'shop', memory: '32Mi', cpu: '20m', actor: 'test' });
    expect(deployer.applied('shop')?.resources).toEqual({
      cpuRequest: '20m',
      cpuLimit: '20m',
      memoryRequest: '32Mi',
      memoryLimit: '32Mi',
    });
  });

  it('on a project with nothing deployed: plain settings are stored for the first deploy, secrets are refused', async () => {
    const { app, registry, deployer, image } = await setup();
    expect(await setEnv(app, { project: 'shop', set: { MODE: 'dev' }, actor: 'test' })).toBeNull();
    expect(await configureProject(app, { project: 'shop', port: 5000, actor: 'test' })).toBeNull();
    await expect(setEnv(app, { project: 'shop', secrets: { K: 'v' }, actor: 'test' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    registry.push('threesix/shop', 'v1');
    const r = await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'ci:test' });
    expect(r.release.port).toBe(5000);
    expect(deployer.applied('shop')).toMatchObject({ env: { MODE: 'dev' }, port: 5000 });
  });

  it('a deploy that gives env replaces the stored variables, and one that gives a port keeps it for the next', async () => {
    const { app, registry, deployer, image } = await setup();
    registry.push('threesix/shop', 'v1');
    registry.push('threesix/shop', 'v2');
    await deployRelease(app, { project: 'shop', image: image('v1'), env: { A: '1' }, port: 4000, actor: 'test' });
    await setEnv(app, { project: 'shop', set: { B: '2' }, actor: 'test' });
    await deployRelease(app, { project: 'shop', image: image('v2'), env: { C: '3' }, actor: 'test' });
    expect(deployer.applied('shop')).toMatchObject({ env: { C: '3' }, port: 4000 });
    expect(await listEnv(app, 'shop')).toMatchObject({ env: { C: '3' }, port: 4000 });
  });

  it('undeploy forgets the secret names (their values went with the Secret); a deleted and re-created project starts without settings', async () => {
    const { app, registry, image } = await setup();
    registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), actor: 'test' });
    await setEnv(app, {
      project: 'shop',
      set: { MODE: 'prod' },
      secrets: { K: 'gone-with-the-secret' },
      actor: 'test',
    });
    await undeployProject(app, { project: 'shop', confirm: 'shop' });
    expect(await listEnv(app, 'shop')).toMatchObject({ env: { MODE: 'prod' }, secrets: [] });

    const lc = await createLifecycleApp();
    await createProject(lc.app, { name: 'again' });
    await setEnv(lc.app, { project: 'again', set: { OLD: 'value' }, actor: 'test' });
    await configureProject(lc.app, { project: 'again', port: 9000, actor: 'test' });
    await deleteProject(lc.app, { name: 'again', confirm: 'again' });
    await createProject(lc.app, { name: 'again' });
    expect(await lc.app.store.settings.get('again')).toBeUndefined();
    expect(await listEnv(lc.app, 'again')).toMatchObject({ env: {}, secrets: [], port: 8080 });
  });

  it('configure on a project deployed before settings existed keeps the env only its Deployment holds', async () => {
    const { app, registry, deployer, image } = await setup();
    registry.push('threesix/shop', 'v1');
    await deployRelease(app, { project: 'shop', image: image('v1'), env: { LEGACY: 'kept' }, actor: 'test' });
    await app.store.settings.delete('shop'); // as an upgrade finds it: env in the cluster, no settings row
    await configureProject(app, { project: 'shop', memory: '128Mi', actor: 'test' });
    expect(deployer.applied('shop')).toMatchObject({ env: { LEGACY: 'kept' }, resources: { memoryLimit: '128Mi' } });
  });
});
