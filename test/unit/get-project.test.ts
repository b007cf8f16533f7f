import { describe, expect, it } from 'vitest';
import { getProject } from '../../src/services/projects/get-project.service.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { createLifecycleApp } from '../support/lifecycle-app.js';
import { createTestApp } from '../support/test-app.js';
import { like } from '../support/matchers.js';

describe('get_project', () => {
  it('joins the row with what every backend reports now', async () => {
    const lc = await createLifecycleApp();
    await createProject(lc.app, { name: 'shop' });
    const status = await getProject(lc.app, 'shop');
    expect(status).toMatchObject({ name: 'shop', state: 'ready', url: 'https://shop.example.test', operation: null });
    expect(status.live.git).toMatchObject({
      status: 'ok',
      data: { exists: true, managed: true, empty: false, head: like.stringMatching(/^[0-9a-f]{40}$/) },
    });
    expect(status.live.ci).toMatchObject({ status: 'ok', data: { active: true, lastPipeline: null } });
    expect(status.live.dns).toMatchObject({
      status: 'ok',
      data: { records: [{ name: 'shop.example.test', type: 'A', content: '127.0.0.1', ours: true }] },
    });
    expect(status.live.deployment).toMatchObject({ status: 'ok', data: { exists: false } });
  });

  it('answers in time with a partial result when one backend hangs and another fails', async () => {
    const lc = await createLifecycleApp({ THREESIX_STATUS_TIMEOUT_MS: '200' });
    await createProject(lc.app, { name: 'shop' });
    let release!: () => void;
    lc.faults.deployer.onCall('status', () => new Promise<void>((resolve) => (release = resolve)));
    lc.faults.dns.failNext('listRecords');
    const started = Date.now();
    const status = await getProject(lc.app, 'shop');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(status.live.deployment).toEqual({
      status: 'error',
      error: like.stringMatching(/^TIMEOUT: the cluster did not answer within 200 ms/),
    });
    expect(status.live.dns).toEqual({ status: 'error', error: like.stringMatching(/^UPSTREAM_UNAVAILABLE: /) });
    expect(status.live.git.status).toBe('ok');
    expect(status.state).toBe('ready');
    release();
  });

  it('says not_configured for backends without configuration, and NOT_FOUND for an unknown project', async () => {
    const app = await createTestApp();
    await app.store.projects.create({ name: 'bare', description: '' });
    const status = await getProject(app, 'bare');
    expect(Object.values(status.live).map((s) => s.status)).toEqual([
      'not_configured',
      'not_configured',
      'not_configured',
      'not_configured',
      'not_configured',
    ]);
    await expect(getProject(app, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
