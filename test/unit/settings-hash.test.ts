/**
 * A release's envHash is an HMAC under a per-installation key, not a bare sha256 of the settings:
 * reading it must not let anyone confirm a guess at a secret, yet equal settings still compare equal.
 */
import { createHash } from 'node:crypto';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import { MemoryImageRegistry } from '../../src/adapters/memory/memory-image-registry.js';
import { deployRelease } from '../../src/services/deploy/deploy-release.service.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { seedProject } from '../support/seed-project.js';
import { createTestApp } from '../support/test-app.js';

async function setup() {
  const registry = new MemoryImageRegistry();
  const deployer = new MemoryDeployer({ registry, rolloutPolls: 0 });
  const app = await createTestApp({
    env: { REGISTRY_URL: `http://${registry.host}`, THREESIX_DEPLOY_WAIT_S: '2' },
    factories: {
      deployer: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(deployer) }),
      registry: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(registry) }),
    },
  });
  await seedProject(app, 'shop');
  registry.push('threesix/shop', 'v1');
  registry.push('threesix/shop', 'v2');
  return { app, image: (tag: string) => `${registry.host}/threesix/shop:${tag}` };
}

const env = { MODE: 'prod' };
const secrets = { PIN: 'pin-7431-secret' };
const sorted = (o: Record<string, string>) =>
  Object.keys(o)
    .sort()
    .map((k) => [k, o[k]]);
const bareSha = (e: Record<string, string>, s: Record<string, string>) =>
  createHash('sha256')
    .update(JSON.stringify({ env: sorted(e), secrets: sorted(s) }))
    .digest('hex');

describe('release settings hash', () => {
  it('is keyed: not the sha256 of the settings, stable for equal settings, changed by a secret', async () => {
    const { app, image } = await setup();
    const first = await deployRelease(app, { project: 'shop', image: image('v1'), env, secrets, actor: 'test' });
    const second = await deployRelease(app, { project: 'shop', image: image('v2'), env, secrets, actor: 'test' });
    const changed = await deployRelease(app, {
      project: 'shop',
      image: image('v2'),
      env,
      secrets: { PIN: 'pin-7432-secret' },
      actor: 'test',
    });
    expect(first.release.envHash).toMatch(/^[0-9a-f]{32}$/);
    expect(bareSha(env, secrets).startsWith(first.release.envHash!)).toBe(false);
    expect(second.release.id).not.toBe(first.release.id);
    expect(second.release.envHash).toBe(first.release.envHash);
    expect(changed.release.envHash).not.toBe(first.release.envHash);
    const key = await app.store.installSecrets.getOrCreate('settings-hmac-key', () => 'not-made-again');
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
  });

  it('uses a different key in another installation, so equal settings hash differently there', async () => {
    const a = await setup();
    const b = await setup();
    const ra = await deployRelease(a.app, { project: 'shop', image: a.image('v1'), env, secrets, actor: 'test' });
    const rb = await deployRelease(b.app, { project: 'shop', image: b.image('v1'), env, secrets, actor: 'test' });
    expect(ra.release.envHash).not.toBe(rb.release.envHash);
  });

  it('never shows the key or the secret in tool output, resources or the audit trail', async () => {
    const { app, image } = await setup();
    const client = await connectInMemory(app);
    try {
      const outputs: unknown[] = [];
      const call = async (name: string, args: Record<string, unknown>) => {
        const result = await client.callTool({ name, arguments: args }, CallToolResultSchema);
        expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
        outputs.push(result);
      };
      await call('deploy', { project: 'shop', image: image('v1'), env, secrets });
      await call('deploy', { project: 'shop', image: image('v2'), secrets, dryRun: true });
      await call('list_releases', { project: 'shop' });
      await call('deploy_status', { project: 'shop' });
      await call('get_project', { project: 'shop' });
      for (const uri of [
        'threesix://projects/shop',
        'threesix://projects/shop/releases',
        'threesix://projects/shop/events',
      ])
        outputs.push(await client.readResource({ uri }));
      outputs.push(await app.store.audit.list({}));
      const text = JSON.stringify(outputs);
      expect(text).toContain('envHash');
      const key = await app.store.installSecrets.getOrCreate('settings-hmac-key', () => 'not-made-again');
      for (const leak of [key, Buffer.from(key, 'base64').toString('hex'), secrets.PIN])
        expect(text).not.toContain(leak);
    } finally {
      await client.close();
    }
  });
});
