/**
 * The deploy webhook against hostile and honest deliveries: each refusal gets its status code,
 * deploys nothing and leaves an audit row; an accepted delivery deploys exactly once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { WEBHOOK_PATH } from '../../src/domain/ci-deploy.js';
import { woodpeckerWebhookRoutes } from '../../src/http/woodpecker-webhook-routes.js';
import { signBody } from '../../src/services/ci/ci-webhook-auth.js';
import { startDeployQueue, type DeployQueue } from '../../src/services/deploy/deploy-queue.service.js';
import {
  addCiProject,
  createCiFixture,
  fixtureDeploy,
  notifyBody,
  pushAndBuild,
  runningAndExpected,
  type CiFixture,
} from '../support/ci-fixture.js';
import { like } from '../support/matchers.js';

let fx: CiFixture;
let queue: DeployQueue;
let routes: Hono;
let alpha: { token: string; sha: string };
let beta: { token: string; sha: string };

async function setup(env: Record<string, string> = {}) {
  fx = await createCiFixture({ env });
  queue = await startDeployQueue(fx.app, fixtureDeploy);
  routes = woodpeckerWebhookRoutes(fx.app, { onQueued: (project) => queue.kick(project) });
  alpha = await addCiProject(fx, 'alpha');
  beta = await addCiProject(fx, 'beta');
}

function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    routes.request(WEBHOOK_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    }),
  );
}
const bearer = (token: string, key?: string) => ({
  authorization: `Bearer ${token}`,
  ...(key ? { 'idempotency-key': key } : {}),
});

async function deliveries() {
  return fx.app.store.audit.list({ action: 'ci.webhook' });
}
async function expectDeployed(project: string, sha: string) {
  await queue.idle();
  const { running, expected } = await runningAndExpected(fx, project, sha);
  expect(running).toBe(expected);
  expect((await fx.app.store.projects.require(project)).deployedSha).toBe(sha);
}

describe('POST /webhooks/woodpecker', () => {
  beforeEach(() => setup());
  afterEach(() => queue.stop());

  it('queues a sound delivery, answers 202 at once, and the deploy follows', async () => {
    const sha = await pushAndBuild(fx, 'alpha');
    // "At once" is measured in bench/webhook.mjs (accepted deliveries per second), not with a wall clock here.
    const response = await post(notifyBody('alpha', sha), bearer(alpha.token, 'k1'));
    expect(response.status).toBe(202);
    const answer = (await response.json()) as { deployId?: number };
    expect(answer).toMatchObject({ status: 'queued', reason: 'queued', deployId: like.any(Number) });
    await expectDeployed('alpha', sha);
    const [audit, ...others] = await deliveries();
    expect(others).toEqual([]);
    expect(audit).toMatchObject({
      actor: 'ci:alpha',
      target: 'alpha',
      result: 'ok',
      detail: like.objectContaining({ reason: 'queued', sha, idempotencyKey: 'k1', deployId: answer.deployId }),
    });
    expect(JSON.stringify(await fx.app.store.audit.list({}))).not.toContain(alpha.token);
  });

  it('deploys exactly once when the same delivery is replayed 100 times', async () => {
    const sha = await pushAndBuild(fx, 'alpha');
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => post(notifyBody('alpha', sha), bearer(alpha.token, 'replayed'))),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    await queue.idle();
    expect(await fx.app.store.releases.list('alpha')).toHaveLength(1);
    expect(await fx.app.store.deployQueue.list('alpha')).toHaveLength(1);
    const audit = await deliveries();
    expect(audit).toHaveLength(100);
    expect(audit.filter((a) => a.result === 'rejected').every((a) => a.detail?.reason === 'duplicate')).toBe(true);
    const metrics = fx.app.metrics.render();
    expect(metrics).toMatch(/threesix_webhook_deliveries_total\{outcome="queued"\} 1\b/);
    expect(metrics).toMatch(/threesix_webhook_deliveries_total\{outcome="duplicate"\} 99\b/);
    expect(metrics).toMatch(/threesix_deploys_total\{result="succeeded"\} 1\b/);
  });

  it.each([
    ['a wrong token', 401, 'unauthenticated', () => post(notifyBody('alpha', alpha.sha), bearer('t36_not-the-token'))],
    ['no token at all', 401, 'unauthenticated', () => post(notifyBody('alpha', alpha.sha))],
    ["another project's token", 403, 'wrong_project', () => post(notifyBody('alpha', alpha.sha), bearer(beta.token))],
    [
      'an unknown project',
      404,
      'unknown_project',
      () => post(notifyBody('gamma', alpha.sha, { repo: 'threesix/gamma' }), bearer(alpha.token)),
    ],
    ['malformed JSON', 400, 'malformed_json', () => post('{"project": "alpha", ', bearer(alpha.token))],
    [
      'a body naming a foreign image',
      422,
      'image_in_body',
      () => post(notifyBody('alpha', alpha.sha, { image: 'evil.example/x:latest' }), bearer(alpha.token)),
    ],
    ['a short sha', 422, 'invalid_body', () => post(notifyBody('alpha', 'abc123'), bearer(alpha.token))],
    [
      'a branch other than the default',
      422,
      'not_default_branch',
      () => post(notifyBody('alpha', alpha.sha, { branch: 'feature' }), bearer(alpha.token)),
    ],
    [
      'a commit whose image is not in the registry',
      422,
      'image_missing',
      () => post(notifyBody('alpha', alpha.sha), bearer(alpha.token)),
    ],
    [
      'a bad HMAC signature',
      401,
      'bad_signature',
      () => post(notifyBody('alpha', alpha.sha), { 'x-threesix-signature': `sha256=${'0'.repeat(64)}` }),
    ],
  ])('refuses %s with %i, deploys nothing and audits it', async (_, status, reason, send) => {
    await queue.stop();
    await setup({ WOODPECKER_WEBHOOK_SECRET: 'whsec-test' });
    const response = await send();
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ status: 'rejected', reason });
    await queue.idle();
    expect(await fx.app.store.deployQueue.list('alpha')).toHaveLength(0);
    expect((await fx.deployer.status('alpha')).exists).toBe(false);
    const [audit] = await deliveries();
    expect(audit).toMatchObject({ result: 'rejected', detail: like.objectContaining({ reason }) });
  });

  it.each([
    ['malformed JSON', '{"project": "alpha", '],
    ['a body naming an image', notifyBody('alpha', 'a'.repeat(40), { image: 'evil.example/x:latest' })],
    ['a body off the schema', JSON.stringify({ nothing: 'here' })],
  ])(
    'answers %s without a valid token with 401 alone: the schema is not revealed before authentication',
    async (_, body) => {
      for (const headers of [{}, bearer('t36_not-the-token')]) {
        const response = await post(body, headers);
        expect(response.status).toBe(401);
        const answer = (await response.json()) as { reason: string; message: string };
        expect(answer.reason).toBe('unauthenticated');
        expect(answer.message).not.toMatch(/json|schema|image|invalid|sha|branch/i);
      }
      const audit = await deliveries();
      expect(audit.every((a) => a.detail?.reason === 'unauthenticated' && a.detail?.claimed === undefined)).toBe(true);
    },
  );

  it('refuses a body over 64 KiB with 413 before reading it, and audits it', async () => {
    const response = await post(
      notifyBody('alpha', alpha.sha, { pipeline_url: `http://x.test/${'a'.repeat(70_000)}` }),
      bearer(alpha.token),
    );
    expect(response.status).toBe(413);
    const [audit] = await deliveries();
    expect(audit).toMatchObject({ result: 'rejected', detail: like.objectContaining({ reason: 'too_large' }) });
    expect(await fx.app.store.deployQueue.list('alpha')).toHaveLength(0);
  });

  it('refuses a stale commit: older than the deployed one, or no longer the branch head', async () => {
    const first = await pushAndBuild(fx, 'alpha', 'first');
    const second = await pushAndBuild(fx, 'alpha', 'second');
    // `first` is no longer the head: the pipeline of `second` deploys that.
    const late = await post(notifyBody('alpha', first), bearer(alpha.token, 'late'));
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ reason: 'stale' });
    expect((await post(notifyBody('alpha', second), bearer(alpha.token, 'second'))).status).toBe(202);
    await queue.idle();
    // The deployed commit again, under a new key: already deployed.
    const again = await post(notifyBody('alpha', second), bearer(alpha.token, 'second-again'));
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ reason: 'duplicate' });
    expect(await fx.app.store.releases.list('alpha')).toHaveLength(1);
    expect((await deliveries()).filter((a) => a.result === 'rejected')).toHaveLength(2);
  });

  it('accepts a delivery signed with WOODPECKER_WEBHOOK_SECRET instead of a token', async () => {
    await queue.stop();
    await setup({ WOODPECKER_WEBHOOK_SECRET: 'whsec-test' });
    const sha = await pushAndBuild(fx, 'beta');
    const body = notifyBody('beta', sha);
    const response = await post(body, { 'x-threesix-signature': signBody(body, 'whsec-test') });
    expect(response.status).toBe(202);
    await expectDeployed('beta', sha);
    expect((await deliveries())[0]).toMatchObject({ actor: 'ci:signed', result: 'ok' });
  });

  it('stops accepting a token once it is rotated', async () => {
    const { rotateDeployToken } = await import('../../src/services/ci/ci-activation.service.js');
    await rotateDeployToken(fx.app, 'alpha');
    const sha = await pushAndBuild(fx, 'alpha');
    expect((await post(notifyBody('alpha', sha), bearer(alpha.token))).status).toBe(401);
  });
});
