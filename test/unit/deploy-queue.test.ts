/**
 * The deploy queue is persisted: deploys queued (or interrupted mid-run) before a restart are
 * resumed by the next start, one at a time per project, the newest commit winning.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openSqliteStateStore } from '../../src/adapters/sqlite/sqlite-state-store.js';
import { startDeployQueue } from '../../src/services/deploy/deploy-queue.service.js';
import {
  addCiProject,
  createCiFixture,
  fixtureDeploy,
  pushAndBuild,
  runningAndExpected,
} from '../support/ci-fixture.js';
import { tempDir } from '../support/test-app.js';
import { like } from '../support/matchers.js';

describe('deploy queue', () => {
  it('resumes after a restart what was queued or running, deploying only the newest commit', async () => {
    const file = join(tempDir(), 'threesix.db');
    const first = await createCiFixture({ databaseFile: file });
    await addCiProject(first, 'shop');
    const older = await pushAndBuild(first, 'shop', 'older');
    const newer = await pushAndBuild(first, 'shop', 'newer');
    const image = (sha: string) => `${first.registry.host}/threesix/shop:${sha}`;
    // Queued by the webhook of a process that died before running them; one was mid-deploy.
    await first.app.store.deployQueue.enqueue({
      project: 'shop',
      sha: older,
      image: image(older),
      actor: 'ci:shop',
      keys: [`sha:shop:${older}`],
    });
    await first.app.store.deployQueue.takeNext('shop');
    await first.app.store.deployQueue.enqueue({
      project: 'shop',
      sha: newer,
      image: image(newer),
      actor: 'ci:shop',
      keys: [`sha:shop:${newer}`],
    });
    await first.app.store.close();

    // The next start: same database file, same backends.
    const store = await openSqliteStateStore(file);
    const app = { ...first.app, store };
    const queue = await startDeployQueue(app, fixtureDeploy);
    await queue.idle();
    const { running, expected } = await runningAndExpected(first, 'shop', newer);
    expect(running).toBe(expected);
    const rows = await store.deployQueue.list('shop');
    expect(rows.map((r) => [r.sha, r.status])).toEqual([
      [newer, 'done'],
      [older, 'superseded'],
    ]);
    expect((await store.releases.list('shop')).map((r) => r.commitSha)).toEqual([newer]);
    expect((await store.deliveries.get(`sha:shop:${newer}`))?.status).toBe('deployed');
    await queue.stop();
    await store.close();
  });

  it('records a failed deploy with its reason and keeps going', async () => {
    const fx = await createCiFixture();
    await addCiProject(fx, 'shop');
    const sha = await pushAndBuild(fx, 'shop');
    const queue = await startDeployQueue(fx.app, fixtureDeploy);
    // The image vanished between the webhook's check and the deploy.
    fx.registry.remove('threesix/shop', sha);
    await fx.app.store.deployQueue.enqueue({
      project: 'shop',
      sha,
      image: `${fx.registry.host}/threesix/shop:${sha}`,
      actor: 'ci:shop',
      keys: ['k'],
    });
    queue.kick('shop');
    await queue.idle();
    const [row] = await fx.app.store.deployQueue.list('shop');
    expect(row).toMatchObject({ status: 'failed', reason: like.stringMatching(/^NOT_FOUND/) });
    expect((await fx.app.store.audit.list({ action: 'ci.deploy' }))[0]).toMatchObject({ result: 'error' });
    await queue.stop();
  });

  it('retries a deploy that finds the project locked by another operation, then deploys', async () => {
    const fx = await createCiFixture();
    await addCiProject(fx, 'shop');
    const sha = await pushAndBuild(fx, 'shop');
    let releaseLock!: () => void;
    const held = new Promise<void>((resolve) => (releaseLock = resolve));
    // An agent's operation holds the lock; the queue's first attempt cannot get it in time.
    const agent = fx.app.locks.run('shop', 'an agent deploy', 0, () => held);
    let calls = 0;
    const queue = await startDeployQueue(fx.app, async (app, input) => {
      calls++;
      if (calls > 1) return fixtureDeploy(app, input); // deployRelease takes the lock itself
      // The first attempt finds the lock taken and gives up at once with a retryable CONFLICT;
      // only then does the agent's operation finish, so the retry finds the lock free.
      return fx.app.locks.run(input.project, 'ci deploy', 0, () => fixtureDeploy(app, input)).finally(releaseLock);
    });
    await fx.app.store.deployQueue.enqueue({
      project: 'shop',
      sha,
      image: `${fx.registry.host}/threesix/shop:${sha}`,
      actor: 'ci:shop',
      keys: ['k2'],
    });
    queue.kick('shop');
    await queue.idle();
    await agent;
    expect(calls).toBe(2);
    const [row] = await fx.app.store.deployQueue.list('shop');
    expect(row).toMatchObject({ status: 'done' });
    await queue.stop();
  });

  it('never brings a deleted project back: a queued deploy for a project without a row fails NOT_FOUND', async () => {
    const fx = await createCiFixture();
    await addCiProject(fx, 'shop');
    const sha = await pushAndBuild(fx, 'shop');
    const queue = await startDeployQueue(fx.app, fixtureDeploy);
    await fx.app.store.deployQueue.enqueue({
      project: 'shop',
      sha,
      image: `${fx.registry.host}/threesix/shop:${sha}`,
      actor: 'ci:shop',
      keys: ['k3'],
    });
    await fx.app.store.projects.delete('shop'); // delete_project removed the rows after the webhook queued it
    queue.kick('shop');
    await queue.idle();
    expect(await fx.app.store.projects.get('shop')).toBeUndefined();
    expect(await fx.app.store.releases.list('shop')).toEqual([]);
    await queue.stop();
  });
});
