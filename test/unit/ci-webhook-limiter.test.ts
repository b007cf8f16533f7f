/**
 * The refusal limiter: an unauthenticated flood leaves a bounded number of audit rows and gets 429
 * with Retry-After, while authenticated deliveries from the same address are never throttled.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { WEBHOOK_PATH } from '../../src/domain/ci-deploy.js';
import { woodpeckerWebhookRoutes } from '../../src/http/woodpecker-webhook-routes.js';
import { RefusalLimiter } from '../../src/services/ci/ci-webhook-limiter.js';
import { startDeployQueue, type DeployQueue } from '../../src/services/deploy/deploy-queue.service.js';
import {
  addCiProject,
  createCiFixture,
  fixtureDeploy,
  notifyBody,
  pushAndBuild,
  type CiFixture,
} from '../support/ci-fixture.js';
import { like } from '../support/matchers.js';

describe('RefusalLimiter', () => {
  it('records up to the bound, summarises once, then drops until the window ends', () => {
    let now = 1_000_000;
    const limiter = new RefusalLimiter({ perClient: 3, total: 100, windowMs: 60_000, maxClients: 10 }, () => now);
    const kinds = Array.from({ length: 6 }, () => limiter.refuse('a').kind);
    expect(kinds).toEqual(['record', 'record', 'record', 'summarise', 'drop', 'drop']);
    expect(limiter.refuse('b').kind).toBe('record');
    const dropped = limiter.refuse('a');
    expect(dropped).toMatchObject({ kind: 'drop', scope: 'client' });
    expect(dropped.kind !== 'record' && dropped.retryAfterS).toBe(20);
    now += 20_000;
    expect(limiter.refuse('a').kind).toBe('record');
  });

  it('bounds all clients together and the number of clients it remembers', () => {
    const limiter = new RefusalLimiter({ perClient: 2, total: 5, windowMs: 60_000, maxClients: 2 }, () => 0);
    const kinds = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((c) => limiter.refuse(c));
    // c onward share one overflow bucket: its third refusal is over the per-client bound.
    expect(kinds.map((k) => k.kind)).toEqual([
      'record',
      'record',
      'record',
      'record',
      'summarise',
      'summarise',
      'drop',
    ]);
    expect(kinds[5]).toMatchObject({ scope: 'all' });
  });
});

describe('POST /webhooks/woodpecker under a flood of refused deliveries', () => {
  let fx: CiFixture;
  let queue: DeployQueue;
  let server: ServerType | undefined;
  afterEach(async () => {
    await queue.stop();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  async function setup(limiter?: RefusalLimiter) {
    fx = await createCiFixture({});
    queue = await startDeployQueue(fx.app, fixtureDeploy);
    const routes = woodpeckerWebhookRoutes(fx.app, { onQueued: (project) => queue.kick(project), limiter });
    const alpha = await addCiProject(fx, 'alpha');
    return { routes, alpha };
  }
  // What @hono/node-server passes as the env: the incoming request and its socket.
  const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
  const post = (routes: Hono, address: string, body: string, token: string) =>
    routes.request(
      WEBHOOK_PATH,
      { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body },
      from(address),
    );
  const audited = () => fx.app.store.audit.list({ action: 'ci.webhook', limit: 1000 });

  it('answers a bad-token flood with 429 and bounded audit rows, yet queues a valid delivery from the same address', async () => {
    const { routes, alpha } = await setup();
    const bad = notifyBody('alpha', alpha.sha);
    const responses = [];
    for (let i = 0; i < 200; i++) responses.push(await post(routes, '203.0.113.7', bad, 't36_wrong'));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(170);
    const last = responses.at(-1)!;
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await last.json()).toMatchObject({ status: 'rejected', reason: 'throttled' });

    const rows = await audited();
    expect(rows).toHaveLength(31);
    expect(rows.filter((r) => r.detail?.reason === 'throttled')).toEqual([
      expect.objectContaining({
        result: 'rejected',
        detail: like.objectContaining({
          refused: 'unauthenticated',
          client: '203.0.113.7',
          scope: 'client',
          limit: 30,
        }),
      }),
    ]);
    expect(fx.app.metrics.render()).toMatch(/threesix_webhook_deliveries_total\{outcome="throttled"\} 170\b/);

    // Another address has its own bucket; the flooding address still deploys with a valid token.
    expect((await post(routes, '198.51.100.2', bad, 't36_wrong')).status).toBe(401);
    const sha = await pushAndBuild(fx, 'alpha');
    const good = await post(routes, '203.0.113.7', notifyBody('alpha', sha), alpha.token);
    expect(good.status).toBe(202);
    // Authenticated refusals are not throttled either: the replay is a plain 409, audited.
    expect((await post(routes, '203.0.113.7', notifyBody('alpha', sha), alpha.token)).status).toBe(409);
    expect(await audited()).toHaveLength(34);
  });

  it('keys clients by the real socket address and throttles oversized bodies too', async () => {
    const { routes, alpha } = await setup(
      new RefusalLimiter({ perClient: 2, total: 100, windowMs: 60_000, maxClients: 10 }),
    );
    const url = await new Promise<string>((resolve) => {
      server = serve({ fetch: routes.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
        resolve(`http://127.0.0.1:${info.port}${WEBHOOK_PATH}`),
      );
    });
    const huge = notifyBody('alpha', alpha.sha, { pipeline_url: `http://x.test/${'a'.repeat(70_000)}` });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: huge,
      });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([413, 413, 429, 429, 429]);
    const rows = await audited();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      detail: like.objectContaining({
        reason: 'throttled',
        refused: 'too_large',
        client: like.stringMatching(/127\.0\.0\.1$/),
      }),
    });
  });
});
