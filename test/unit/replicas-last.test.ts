/**
 * Replicas are project state (issue "Integrity", item 9): scaled to 3, the next push's deploy (the
 * CI queue running deployRelease, as serve wires it), a deploy without `replicas` and a rollback
 * all keep 3, and their results say how many pods run. Given a count, deploy and rollback use it
 * and it becomes the project's count. Through an MCP client on the memory cluster.
 */
import { describe, expect, it } from 'vitest';
import { startDeployQueue } from '../../src/services/deploy/deploy-queue.service.js';
import { addCiProject, createCiFixture, fixtureDeploy, pushAndBuild, type CiFixture } from '../support/ci-fixture.js';
import { connectInMemory } from '../support/in-memory-client.js';

/** The fields of the tools' structured answers these tests read (toMatchObject checks the others). */
type Data = Record<string, unknown> & {
  workload?: { desiredReplicas?: number };
  release?: { replicas?: number };
};
type Result = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Data;
};

async function setup() {
  const fx = await createCiFixture({ env: { THREESIX_DEPLOY_WAIT_S: '2' } });
  await addCiProject(fx, 'shop');
  const client = await connectInMemory(fx.app);
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args })) as Result;
    expect(result.isError, result.content[0]?.text).toBeFalsy();
    return { data: result.structuredContent!, text: result.content[0]!.text! };
  };
  return { fx, client, call };
}

/** What CI does on a push: a built image, queued and deployed by the queue's worker. */
async function ciPush(fx: CiFixture, message: string): Promise<string> {
  const sha = await pushAndBuild(fx, 'shop', message);
  const queue = await startDeployQueue(fx.app, fixtureDeploy);
  await fx.app.store.deployQueue.enqueue({
    project: 'shop',
    sha,
    image: `${fx.registry.host}/threesix/shop:${sha}`,
    actor: 'ci:shop',
    keys: [`sha:shop:${sha}`],
  });
  queue.kick('shop');
  await queue.idle();
  await queue.stop();
  return sha;
}

describe('replicas last across deploys and rollbacks', () => {
  it('keeps a scaled count through the next push, a deploy without replicas and a rollback, and says so', async () => {
    const { fx, client, call } = await setup();
    await ciPush(fx, 'first');
    expect(fx.deployer.applied('shop')?.replicas).toBe(1);
    await call('scale', { project: 'shop', replicas: 3 });

    await ciPush(fx, 'second');
    expect(fx.deployer.applied('shop')?.replicas).toBe(3);
    const latest = await fx.app.store.releases.latest('shop');
    expect(latest).toMatchObject({ status: 'succeeded', replicas: 3 });
    expect((await call('deploy_status', { project: 'shop' })).data.workload?.desiredReplicas).toBe(3);

    fx.registry.push('threesix/shop', 'v3');
    const deployed = await call('deploy', { project: 'shop', image: `${fx.registry.host}/threesix/shop:v3` });
    expect(deployed.data).toMatchObject({ status: 'succeeded', release: { replicas: 3 } });
    expect(deployed.text).toContain('3 replicas');
    expect(fx.deployer.applied('shop')?.replicas).toBe(3);

    const back = await call('rollback', { project: 'shop' });
    expect(back.data).toMatchObject({ status: 'succeeded', release: { replicas: 3 } });
    expect(back.text).toContain('3 replicas');
    expect(fx.deployer.applied('shop')?.replicas).toBe(3);
    expect((await fx.app.store.projects.require('shop')).deploymentReplicas).toBe(3);
    await client.close();
  });

  it('uses a count given to deploy or rollback, and keeps that one afterwards', async () => {
    const { fx, client, call } = await setup();
    await ciPush(fx, 'first');
    fx.registry.push('threesix/shop', 'v2');
    const deployed = await call('deploy', {
      project: 'shop',
      image: `${fx.registry.host}/threesix/shop:v2`,
      replicas: 2,
    });
    expect(deployed.data.release?.replicas).toBe(2);
    await ciPush(fx, 'third');
    expect(fx.deployer.applied('shop')?.replicas).toBe(2);

    const back = await call('rollback', { project: 'shop', replicas: 4 });
    expect(back.data.release?.replicas).toBe(4);
    expect(fx.deployer.applied('shop')?.replicas).toBe(4);
    expect((await fx.app.store.projects.require('shop')).deploymentReplicas).toBe(4);
    await client.close();
  });

  it('refuses a count out of range in rollback and changes nothing', async () => {
    const { fx, client } = await setup();
    await ciPush(fx, 'first');
    await ciPush(fx, 'second');
    const before = await fx.app.store.releases.list('shop');
    const result = (await client.callTool({
      name: 'rollback',
      arguments: { project: 'shop', replicas: 11 },
    })) as Result;
    expect(result.content[0]!.text).toMatch(/^INVALID_INPUT/);
    expect(await fx.app.store.releases.list('shop')).toEqual(before);
    await client.close();
  });
});
