/**
 * The pipeline template's own notify step, run for real: its shell command (after Woodpecker's
 * config-time `$$` unescaping) runs under `sh` with the CI_* environment Woodpecker documents
 * (specs/woodpecker/ci-environment-variables.json; every runtime variable set, the ones the step
 * uses with this build's values) and the deploy token from the secret, against a running server.
 * A deploy must follow; with a wrong token the step must fail and nothing deploys.
 */
import { serve } from '@hono/node-server';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { woodpeckerWebhookRoutes } from '../../src/http/woodpecker-webhook-routes.js';
import { freePort } from '../../src/main/webhook-listener.js';
import { startDeployQueue, type DeployQueue } from '../../src/services/deploy-queue.service.js';
import { starterFiles } from '../../src/services/starter-files.service.js';
import { addCiProject, createCiFixture, fixtureDeploy, pushAndBuild, runningAndExpected, type CiFixture } from '../support/ci-fixture.js';
import { loadSpec, SPECS_PRESENT } from '../support/specs.js';

const run = promisify(execFile);

function documentedEnvironment(): Record<string, string> {
  if (!SPECS_PRESENT) return {};
  const { variables } = loadSpec('woodpecker/ci-environment-variables.json') as { variables: Array<{ name: string; scope: string[]; example: string }> };
  return Object.fromEntries(variables.filter(v => v.scope.includes('runtime') && /^[A-Z_]+$/.test(v.name)).map(v => [v.name, v.example.replace(/`/g, '')]));
}

describe('the template notify step', () => {
  let fx: CiFixture;
  let queue: DeployQueue;
  let server: ReturnType<typeof serve>;
  let command: string;

  beforeEach(async () => {
    const port = await freePort('127.0.0.1');
    fx = await createCiFixture({ env: { THREESIX_PUBLIC_URL: `http://127.0.0.1:${port}` } });
    queue = await startDeployQueue(fx.app, fixtureDeploy);
    const routes = woodpeckerWebhookRoutes(fx.app, { onQueued: p => queue.kick(p) });
    server = await new Promise(resolve => {
      const s = serve({ fetch: routes.fetch, hostname: '127.0.0.1', port }, () => resolve(s));
    });
    const pipeline = parse(starterFiles(fx.app, 'shop').find(f => f.path === '.woodpecker.yaml')!.content);
    const notify = pipeline.steps.find((s: { name: string }) => s.name === 'notify-threesix');
    // Woodpecker substitutes `${VAR}` at parse time and turns `$$` into `$`; the template escapes everything.
    expect(notify.commands[0]).not.toMatch(/(^|[^$])\$\{/);
    command = notify.commands[0].replace(/\$\$/g, '$');
  });
  afterEach(async () => {
    await queue.stop();
    await new Promise(resolve => server.close(resolve));
  });

  async function runStep(token: string, sha: string) {
    const project = await fx.app.store.projects.require('shop');
    const env = {
      ...documentedEnvironment(),
      PATH: process.env.PATH!,
      CI: 'woodpecker',
      CI_REPO: 'threesix/shop',
      CI_REPO_OWNER: 'threesix',
      CI_REPO_NAME: 'shop',
      CI_REPO_REMOTE_ID: String(project.gitRepoId),
      CI_REPO_DEFAULT_BRANCH: 'main',
      CI_COMMIT_SHA: sha,
      CI_COMMIT_REF: 'refs/heads/main',
      CI_COMMIT_BRANCH: 'main',
      CI_PIPELINE_NUMBER: '3',
      CI_PIPELINE_EVENT: 'push',
      CI_PIPELINE_URL: `http://ci.example.test/repos/${project.ciRepoId}/pipeline/3`,
      DEPLOY_TOKEN: token,
    };
    return run('sh', ['-c', command], { env, timeout: 20_000 });
  }

  it('runs with the CI environment and the secret, and a deploy follows', async () => {
    const { token } = await addCiProject(fx, 'shop');
    const sha = await pushAndBuild(fx, 'shop');
    await runStep(token, sha);
    await queue.idle();
    const { running, expected } = await runningAndExpected(fx, 'shop', sha);
    expect(running).toBe(expected);
    expect((await fx.app.store.projects.require('shop')).deployedSha).toBe(sha);
    const [audit] = await fx.app.store.audit.list({ action: 'ci.webhook' });
    expect(audit).toMatchObject({ result: 'ok', detail: expect.objectContaining({ pipeline: 3, idempotencyKey: expect.stringContaining(sha) }) });
  });

  it('fails the step (curl -f) and deploys nothing with a wrong token', async () => {
    await addCiProject(fx, 'shop');
    const sha = await pushAndBuild(fx, 'shop');
    await expect(runStep('t36_wrong', sha)).rejects.toThrow(/401/);
    await queue.idle();
    expect((await fx.deployer.status('shop')).exists).toBe(false);
  });
});
