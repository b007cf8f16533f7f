/**
 * The Woodpecker stand-in's pipeline simulation, with every exchange checked against the
 * official specs (Woodpecker's for its API, Gitea's for the calls it makes as the bot user):
 * activation registers a push hook in Gitea; a push of the template publishes the image to the
 * registry and makes the notify step's call with the repository's secret; a step that is not a
 * build or a curl call fails the pipeline and is never executed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WoodpeckerCiServer } from '../../src/adapters/woodpecker/woodpecker-ci-server.js';
import { renderStarterFiles } from '../../src/domain/starter-files.js';
import { serveStandIn, type ServedStandIn } from '../../src/sandbox/serve-stand-in.js';
import { startValidatedGitea, type ValidatedGitea } from '../support/gitea-stand-in.js';
import { startCheckedRegistry, type CheckedRegistry } from '../support/registry-stand-in.js';
import { tempDir } from '../support/test-app.js';
import { createForgeRepo, startCheckedWoodpecker, type CheckedWoodpecker } from '../support/woodpecker.js';

describe('Woodpecker stand-in pipelines', () => {
  let gitea: ValidatedGitea;
  let registry: CheckedRegistry;
  let receiver: ServedStandIn;
  let ci: CheckedWoodpecker;
  let received: Array<{ headers: Record<string, string>; body: string }>;

  beforeEach(async () => {
    gitea = await startValidatedGitea();
    registry = await startCheckedRegistry();
    received = [];
    const app = new Hono();
    app.post('/webhooks/woodpecker', async c => {
      received.push({ headers: Object.fromEntries(c.req.raw.headers), body: await c.req.text() });
      return c.json({ status: 'queued' }, 202);
    });
    receiver = await serveStandIn(app);
    ci = await startCheckedWoodpecker({ giteaUrl: gitea.gitea.url, giteaToken: gitea.gitea.token });
  });
  afterEach(async () => {
    await ci.stop();
    await Promise.all([receiver.close(), registry.close(), gitea.stop()]);
    expect([...ci.spec.takeViolations(), ...gitea.takeViolations(), ...registry.spec.takeViolations()]).toEqual([]);
  });

  async function activated(name: string) {
    const forge = await createForgeRepo(gitea.gitea, name);
    const adapter = new WoodpeckerCiServer({ baseUrl: ci.url, token: ci.token });
    const repo = await adapter.activate(forge.id, forge.fullName);
    await adapter.upsertSecret(repo.id, { name: 'threesix_deploy_token', value: 't36_secret-for-test', events: ['push'] });
    return { adapter, repo };
  }

  async function commit(name: string, files: Array<{ path: string; content: string }>) {
    const response = await fetch(`${gitea.gitea.url}/api/v1/repos/${gitea.gitea.org}/${name}/contents`, {
      method: 'POST',
      headers: { authorization: `token ${gitea.gitea.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ branch: 'main', message: 'seed', files: files.map(f => ({ operation: 'create', path: f.path, content: Buffer.from(f.content).toString('base64') })) }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { commit: { sha: string } }).commit.sha;
  }

  it('builds the image and makes the notify call the template describes', async () => {
    const { adapter, repo } = await activated('web');
    const registryHost = new URL(registry.url).host;
    const files = renderStarterFiles({ project: 'web', org: gitea.gitea.org, registry: registryHost, registryInsecure: true, registryAuth: false, webhookUrl: `${receiver.url}/webhooks/woodpecker` });
    const sha = await commit('web', files);
    await gitea.gitea.settle(); // the push hook reaches CI after the commit has answered
    await ci.settle();

    const manifest = await fetch(`${registry.url}/v2/${gitea.gitea.org}/web/manifests/${sha}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    expect(manifest.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers.authorization).toBe('Bearer t36_secret-for-test');
    expect(received[0]!.headers['idempotency-key']).toBe(`woodpecker-${repo.forgeRemoteId}-${sha}-1`);
    expect(JSON.parse(received[0]!.body)).toEqual({
      project: 'web', repo: `${gitea.gitea.org}/web`, sha, branch: 'main', pipeline: 1, pipeline_url: `${ci.url}/repos/${repo.id}/pipeline/1`,
    });
    const [pipeline] = await adapter.listPipelines(repo.id);
    expect(pipeline).toMatchObject({ number: 1, status: 'success', event: 'push', branch: 'main', commit: sha });
  });

  it('never runs a command from the repository: the pipeline fails instead', async () => {
    const { adapter, repo } = await activated('evil');
    const marker = join(tempDir('threesix-marker-'), 'ran');
    const sha = await commit('evil', [{ path: '.woodpecker.yaml', content: `steps:\n  - name: x\n    image: alpine\n    commands:\n      - touch ${marker}\n` }]);
    await gitea.gitea.settle(); // the push hook reaches CI after the commit has answered
    await ci.settle();
    expect(existsSync(marker)).toBe(false);
    expect(received).toHaveLength(0);
    expect((await adapter.listPipelines(repo.id))[0]).toMatchObject({ status: 'failure', commit: sha });
  });
});
