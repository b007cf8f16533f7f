/**
 * The whole auto-deploy path in `serve --sandbox`, every backend a stand-in: create the repository,
 * activate CI (a push hook lands in the Gitea stand-in), seed the starter files, then a real
 * `git push`: Gitea's push webhook reaches the Woodpecker stand-in, which simulates the pipeline
 * (image manifest to the registry stand-in, then the notify step's call with the project's
 * secret); the webhook queues the deploy and deployRelease rolls it out on the Kubernetes
 * stand-in. deploy_status must show the pushed commit's digest running, with no tool call.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, type Booted } from '../../src/main/boot.js';
import { runServe, type RunningHttp } from '../../src/main/run-serve.js';
import { freePort } from '../../src/main/webhook-listener.js';
import { activateCi } from '../../src/services/ci/ci-activation.service.js';
import { deployStatus } from '../../src/services/deploy/deploy-status.service.js';
import { starterFiles } from '../../src/services/projects/starter-files.js';
import { eventually } from '../support/eventually.js';
import { connectHttp } from '../support/mcp-clients.js';
import { exchangeLogEnv } from '../support/exchange-log.js';
import { tempDir } from '../support/test-app.js';

const run = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  run('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.test', ...args], { cwd });

describe('git push deploys with no tool call (serve --sandbox)', () => {
  let booted: Booted;
  let http: RunningHttp;

  beforeAll(async () => {
    const port = await freePort('127.0.0.1');
    booted = await boot({
      sandbox: true,
      env: {
        ...exchangeLogEnv(),
        THREESIX_DATA_DIR: tempDir(),
        DEFAULT_DOMAIN: 'example.test',
        THREESIX_LOG_LEVEL: 'error',
        THREESIX_PUBLIC_URL: `http://127.0.0.1:${port}`,
        THREESIX_DEPLOY_WAIT_S: '20',
      },
    });
    http = await runServe(booted, { host: '127.0.0.1', port });
  }, 30_000);
  afterAll(async () => {
    await http?.close();
  });

  it('create repo, activate CI, git push, pipeline, webhook, deploy on the cluster', async () => {
    const app = booted.app;
    const gitHost = await app.backends.git.get();
    const repo = await gitHost.createRepo({ name: 'shop', description: 'e2e', private: false, autoInit: true });
    await app.store.projects.create({
      name: 'shop',
      description: 'e2e',
      state: 'ready',
      gitRepoId: repo.id,
      gitRepoName: 'shop',
      domain: 'shop.example.test',
    });
    const activation = await activateCi(app, 'shop');
    expect(activation.secrets).toContain('threesix_deploy_token');
    const hooks = await gitHost.listWebhooks('shop');
    expect(hooks.map((h) => new URL(h.url).origin)).toContain(booted.config.WOODPECKER_URL);

    // The lifecycle's seed commit (through the contents API) already builds and deploys.
    const seeded = await gitHost.commitFiles('shop', {
      branch: 'main',
      message: 'threesix starter files',
      files: starterFiles(app, 'shop'),
    });
    await eventually(
      async () =>
        expect((await deployStatus(app, 'shop')).release).toMatchObject({ commitSha: seeded.sha, status: 'succeeded' }),
      20_000,
      100,
    );

    // A developer's push over smart HTTP.
    const work = tempDir('threesix-e2e-clone-');
    const remote = new URL(repo.cloneHttp);
    remote.username = 'e2e';
    remote.password = booted.config.GITEA_TOKEN!;
    await git(work, 'clone', remote.toString(), 'shop');
    const checkout = join(work, 'shop');
    writeFileSync(join(checkout, 'index.html'), '<h1>hello from a push</h1>\n');
    await git(checkout, 'add', 'index.html');
    await git(checkout, 'commit', '-m', 'first page');
    await git(checkout, 'push', 'origin', 'HEAD:main');
    const sha = (await git(checkout, 'rev-parse', 'HEAD')).stdout.trim();

    const registry = await app.backends.registry.get();
    const status = await eventually(
      async () => {
        const view = await deployStatus(app, 'shop');
        expect(view.release).toMatchObject({ commitSha: sha, status: 'succeeded' });
        expect(view.deploymentStatus).toBe('running');
        return view;
      },
      20_000,
      200,
    );
    const { digest } = await registry.resolve('threesix/shop', sha);
    expect(status.digest).toBe(digest);
    expect(status.workload.image).toBe(`${registry.host}/threesix/shop@${digest}`);
    // What an agent sees through the deploy_status tool.
    const client = await connectHttp(new URL(`${http.url}/mcp`));
    try {
      const result = await client.callTool({ name: 'deploy_status', arguments: { project: 'shop' } });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ project: 'shop', deploymentStatus: 'running', digest });
    } finally {
      await client.close();
    }

    await eventually(
      async () => {
        const audit = await app.store.audit.list({ target: 'shop' });
        expect(audit.filter((a) => a.action === 'ci.webhook' && a.result === 'ok').map((a) => a.detail?.sha)).toEqual(
          expect.arrayContaining([seeded.sha, sha]),
        );
        // The queue records its deploy once deployRelease returns, a moment after the rollout settled.
        expect(audit.filter((a) => a.action === 'ci.deploy' && a.result === 'ok').map((a) => a.detail?.sha)).toEqual([
          sha,
          seeded.sha,
        ]);
      },
      20_000,
      100,
    );
  }, 60_000);
});
