/**
 * The report-failure step's delivery (`status: "failure"`): authenticated like a deploy request,
 * recorded as a `ci.build_failed` event with the failed step as CI reports it, announced to the
 * project's subscribers, and never deployed. And the build tools over the memory CI server: the
 * failed step in list_builds, its log (redacted) in build_logs, and rebuild's two ways.
 */
import type { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEBHOOK_PATH } from '../../src/domain/ci-deploy.js';
import { woodpeckerWebhookRoutes } from '../../src/http/woodpecker-webhook-routes.js';
import { buildLogs } from '../../src/services/builds/build-logs.service.js';
import { listBuilds } from '../../src/services/builds/list-builds.service.js';
import { rebuild } from '../../src/services/builds/rebuild.service.js';
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

let fx: CiFixture;
let queue: DeployQueue;
let routes: Hono;
let alpha: { token: string; sha: string };
let beta: { token: string; sha: string };
let changed: string[];

beforeEach(async () => {
  fx = await createCiFixture({ env: { GITEA_TOKEN: 'gitea-token-known-to-threesix' } });
  queue = await startDeployQueue(fx.app, fixtureDeploy);
  routes = woodpeckerWebhookRoutes(fx.app, { onQueued: (project) => queue.kick(project) });
  alpha = await addCiProject(fx, 'alpha');
  beta = await addCiProject(fx, 'beta');
  changed = [];
  fx.app.events.onProjectChanged((name) => void changed.push(name));
});
afterEach(() => queue.stop());

const post = (body: string, token: string) =>
  routes.request(WEBHOOK_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });

async function failedBuild(
  project: string,
  sha: string,
  log: string[] = [
    'error building image: parsing dockerfile: dockerfile parse error on line 2: unknown instruction: runn',
  ],
) {
  const { ciRepoId } = await fx.app.store.projects.require(project);
  return fx.ci.addPipeline(ciRepoId!, {
    status: 'failure',
    event: 'push',
    branch: 'main',
    commit: sha,
    createdAt: new Date().toISOString(),
    steps: [
      { name: 'clone', state: 'success', log: ['+ git checkout'] },
      { name: 'build-and-push', state: 'failure', exitCode: 1, log },
      { name: 'notify-threesix', state: 'skipped' },
      { name: 'report-failure', state: 'running' },
    ],
  });
}

describe('failure reports on POST /webhooks/woodpecker', () => {
  it('records ci.build_failed with the step CI says failed, tells subscribers, deploys nothing', async () => {
    const sha = await pushAndBuild(fx, 'alpha');
    const build = await failedBuild('alpha', sha);
    const response = await post(notifyBody('alpha', sha, { pipeline: build.number, status: 'failure' }), alpha.token);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'recorded', reason: 'build_failed' });
    const [event, ...more] = await fx.app.store.audit.list({ action: 'ci.build_failed' });
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actor: 'ci:alpha',
      target: 'alpha',
      result: 'error',
      detail: { sha, branch: 'main', pipeline: build.number, failedStep: 'build-and-push' },
    });
    expect(changed).toContain('alpha');
    await queue.idle();
    expect(await fx.app.store.deployQueue.list('alpha')).toEqual([]);
    expect((await fx.app.store.projects.require('alpha')).deployedSha).toBeNull();
    expect(await fx.app.store.audit.list({ action: 'ci.webhook' })).toEqual([]);
  });

  it('records a repeated report of the same build once: the repeat is a 409 duplicate, audited as a delivery', async () => {
    const build = await failedBuild('alpha', alpha.sha);
    const body = notifyBody('alpha', alpha.sha, { pipeline: build.number, status: 'failure' });
    expect((await post(body, alpha.token)).status).toBe(202);
    const again = await post(body, alpha.token);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ reason: 'duplicate' });
    expect(await fx.app.store.audit.list({ action: 'ci.build_failed' })).toHaveLength(1);
    expect(await fx.app.store.audit.list({ action: 'ci.webhook' })).toEqual([
      expect.objectContaining({ result: 'rejected', detail: like.objectContaining({ reason: 'duplicate' }) }),
    ]);
    // A restart of that build is a new pipeline number, so its failure is recorded again.
    const restarted = await failedBuild('alpha', alpha.sha);
    expect(
      (await post(notifyBody('alpha', alpha.sha, { pipeline: restarted.number, status: 'failure' }), alpha.token))
        .status,
    ).toBe(202);
    expect(await fx.app.store.audit.list({ action: 'ci.build_failed' })).toHaveLength(2);
  });

  it('records the failure without a step when CI does not know the pipeline', async () => {
    const response = await post(notifyBody('alpha', alpha.sha, { pipeline: 99, status: 'failure' }), alpha.token);
    expect(response.status).toBe(202);
    expect((await fx.app.store.audit.list({ action: 'ci.build_failed' }))[0]?.detail).toMatchObject({
      pipeline: 99,
      failedStep: null,
    });
  });

  it.each([
    [
      'a wrong token',
      () => post(notifyBody('alpha', alpha.sha, { status: 'failure' }), 't36_not-the-token'),
      401,
      'unauthenticated',
    ],
    [
      "another project's token",
      () => post(notifyBody('alpha', alpha.sha, { status: 'failure' }), beta.token),
      403,
      'wrong_project',
    ],
    [
      'a status that is not success or failure',
      () => post(notifyBody('alpha', alpha.sha, { status: 'exploded' }), alpha.token),
      422,
      'invalid_body',
    ],
  ])('refuses %s and records no failed build', async (_, send, status, reason) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ reason });
    expect(await fx.app.store.audit.list({ action: 'ci.build_failed' })).toEqual([]);
    expect(changed).toEqual([]);
  });
});

describe('build tools over the memory CI server', () => {
  it('list_builds names the failed step; build_logs defaults to it, bounded and redacted', async () => {
    const sha = await pushAndBuild(fx, 'alpha');
    await failedBuild('alpha', sha, [
      'step one',
      'Authorization: Bearer abc.def',
      'leaked gitea-token-known-to-threesix and t36_AAAAAAAAAAAAAAAAAAAAAAAA',
      'last line',
    ]);
    const { builds } = await listBuilds(fx.app, 'alpha');
    expect(builds).toEqual([
      expect.objectContaining({ number: 1, status: 'failure', commit: sha, failedStep: 'build-and-push' }),
    ]);
    const logs = await buildLogs(fx.app, { project: 'alpha', tail: 3 });
    expect(logs).toMatchObject({
      build: 1,
      step: { name: 'build-and-push', state: 'failure', exitCode: 1 },
      lines: 3,
      truncated: true,
    });
    expect(logs.text).toBe('Authorization: Bearer [REDACTED]\nleaked [REDACTED] and [REDACTED]\nlast line');
    expect((await buildLogs(fx.app, { project: 'alpha', step: 'clone' })).text).toBe('+ git checkout');
  });

  it.each([
    [{ tail: 0 }, 'INVALID_INPUT'],
    [{ build: -1 }, 'INVALID_INPUT'],
    [{ step: 'no-such' }, 'NOT_FOUND'],
  ])('build_logs refuses %o with %s', async (input, code) => {
    await failedBuild('alpha', alpha.sha);
    await expect(buildLogs(fx.app, { project: 'alpha', ...input })).rejects.toMatchObject({ code });
  });

  it("build_logs says why a build that ran no steps ended, in CI's words", async () => {
    const { ciRepoId } = await fx.app.store.projects.require('alpha');
    fx.ci.addPipeline(ciRepoId!, {
      status: 'error',
      event: 'push',
      branch: 'main',
      commit: alpha.sha,
      createdAt: new Date().toISOString(),
      errors: ['yaml: line 3: did not find expected key'],
    });
    await expect(buildLogs(fx.app, { project: 'alpha' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'build 1 ran no steps (error): yaml: line 3: did not find expected key',
    });
  });

  it('build_logs says NOT_FOUND when there is no build yet', async () => {
    await expect(buildLogs(fx.app, { project: 'beta' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: like.stringContaining('no builds yet'),
    });
  });

  it('rebuild runs the default branch head, or restarts a given build; a dry run starts nothing', async () => {
    const { ciRepoId } = await fx.app.store.projects.require('alpha');
    fx.ci.setBranchHead(ciRepoId!, 'main', alpha.sha);
    expect(await rebuild(fx.app, 'alpha', { dryRun: true })).toMatchObject({
      dryRun: true,
      build: null,
      branch: 'main',
    });
    expect(await fx.ci.listPipelines(ciRepoId!)).toEqual([]);
    const fresh = await rebuild(fx.app, 'alpha');
    expect(fresh).toMatchObject({ build: 1, restartedFrom: null, branch: 'main', commit: alpha.sha });
    const again = await rebuild(fx.app, 'alpha', { build: 1 });
    expect(again).toMatchObject({ build: 2, restartedFrom: 1, commit: alpha.sha });
    expect(changed.filter((n) => n === 'alpha')).toHaveLength(2);
    await expect(rebuild(fx.app, 'alpha', { build: 5 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a project without CI activation has no builds: PRECONDITION_FAILED', async () => {
    await fx.app.store.projects.create({ name: 'gamma', description: 'test', state: 'ready' });
    await expect(listBuilds(fx.app, 'gamma')).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });
});
