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
    app.post('/webhooks/woodpecker', async (c) => {
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
    await adapter.upsertSecret(repo.id, {
      name: 'threesix_deploy_token',
      value: 't36_secret-for-test',
      events: ['push'],
    });
    return { adapter, repo };
  }

  async function commit(name: string, files: Array<{ path: string; content: string }>) {
    const response = await fetch(`${gitea.gitea.url}/api/v1/repos/${gitea.gitea.org}/${name}/contents`, {
      method: 'POST',
      headers: { authorization: `token ${gitea.gitea.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        branch: 'main',
        message: 'seed',
        files: files.map((f) => ({
          operation: 'create',
          path: f.path,
          content: Buffer.from(f.content).toString('base64'),
        })),
      }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { commit: { sha: string } }).commit.sha;
  }

  it('builds the image and makes the notify call the template describes', async () => {
    const { adapter, repo } = await activated('web');
    const registryHost = new URL(registry.url).host;
    const files = renderStarterFiles({
      project: 'web',
      org: gitea.gitea.org,
      registry: registryHost,
      registryInsecure: true,
      registryAuth: false,
      webhookUrl: `${receiver.url}/webhooks/woodpecker`,
    });
    const sha = await commit('web', files);
    await gitea.gitea.settle(); // the push hook reaches CI after the commit has answered
    await ci.settle();

    const manifest = await fetch(`${registry.url}/v2/${gitea.gitea.org}/web/manifests/${sha}`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(manifest.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers.authorization).toBe('Bearer t36_secret-for-test');
    expect(received[0]!.headers['idempotency-key']).toBe(`woodpecker-${repo.forgeRemoteId}-${sha}-1`);
    expect(JSON.parse(received[0]!.body)).toEqual({
      project: 'web',
      repo: `${gitea.gitea.org}/web`,
      sha,
      branch: 'main',
      pipeline: 1,
      pipeline_url: `${ci.url}/repos/${repo.id}/pipeline/1`,
    });
    const [pipeline] = await adapter.listPipelines(repo.id);
    expect(pipeline).toMatchObject({ number: 1, status: 'success', event: 'push', branch: 'main', commit: sha });
    const { steps } = await adapter.getPipeline(repo.id, 1);
    expect(steps.map((s) => [s.name, s.state])).toEqual([
      ['clone', 'success'],
      ['build-and-push', 'success'],
      ['notify-threesix', 'success'],
      ['report-failure', 'skipped'],
    ]);
    const build = (await adapter.readStepLog(repo.id, 1, steps[1]!.id)).map((l) => l.text);
    expect(build).toContain(`INFO[0001] Pushing image to ${registryHost}/${gitea.gitea.org}/web:${sha}`);
    expect(build.at(-1)).toMatch(
      new RegExp(`^INFO\\[0001\\] Pushed ${registryHost}/${gitea.gitea.org}/web@sha256:[0-9a-f]{64}$`),
    );
  });

  it('never runs a command from the repository: the pipeline fails instead', async () => {
    const { adapter, repo } = await activated('evil');
    const marker = join(tempDir('threesix-marker-'), 'ran');
    const sha = await commit('evil', [
      {
        path: '.woodpecker.yaml',
        content: `steps:\n  - name: x\n    image: alpine\n    commands:\n      - touch ${marker}\n`,
      },
    ]);
    await gitea.gitea.settle(); // the push hook reaches CI after the commit has answered
    await ci.settle();
    expect(existsSync(marker)).toBe(false);
    expect(received).toHaveLength(0);
    expect((await adapter.listPipelines(repo.id))[0]).toMatchObject({ status: 'failure', commit: sha });
  });

  it.each([
    [
      'no Dockerfile',
      undefined,
      /^Error: error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile$/m,
    ],
    [
      'an unknown instruction',
      'FROM busybox:1.37\nCOPY . /www\nRUNN echo hi\n',
      /^error building image: parsing dockerfile: dockerfile parse error on line 3: unknown instruction: RUNN \(did you mean RUN\?\)$/m,
    ],
    [
      'an unknown instruction nothing is near',
      'FROM busybox:1.37\nfrobnicate now\n',
      /^error building image: parsing dockerfile: dockerfile parse error on line 2: unknown instruction: frobnicate$/m,
    ],
    [
      'a misspelt lower-case instruction',
      'from busybox:1.37\ncopyy . /www\n',
      /^error building image: parsing dockerfile: dockerfile parse error on line 2: unknown instruction: copyy \(did you mean copy\?\)$/m,
    ],
    [
      'a COPY of a file not in the repository',
      'FROM busybox:1.37\nCOPY missing.txt /www/\n',
      /^error building image: error building stage: failed to get files used from context: failed to get fileinfo for \/woodpecker\/src\/127\.0\.0\.1\/\S+\/broken\/missing\.txt: lstat \S+: no such file or directory$/m,
    ],
  ])(
    'fails the build step like kaniko on %s, skips notify, runs report-failure, and serves the log',
    async (_, dockerfile, message) => {
      const { adapter, repo } = await activated('broken');
      const registryHost = new URL(registry.url).host;
      const files = renderStarterFiles({
        project: 'broken',
        org: gitea.gitea.org,
        registry: registryHost,
        registryInsecure: true,
        registryAuth: false,
        webhookUrl: `${receiver.url}/webhooks/woodpecker`,
      })
        .filter((f) => f.path !== 'Dockerfile')
        .concat(dockerfile === undefined ? [] : [{ path: 'Dockerfile', content: dockerfile }]);
      const sha = await commit('broken', files);
      await gitea.gitea.settle();
      await ci.settle();

      const [listed] = await adapter.listPipelines(repo.id);
      expect(listed).toMatchObject({ status: 'failure', commit: sha });
      const detail = await adapter.getPipeline(repo.id, listed!.number);
      expect(detail.steps.map((s) => [s.name, s.state])).toEqual([
        ['clone', 'success'],
        ['build-and-push', 'failure'],
        ['notify-threesix', 'skipped'],
        ['report-failure', 'success'],
      ]);
      const build = detail.steps.find((s) => s.name === 'build-and-push')!;
      expect(build.exitCode).toBe(1);
      const log = (await adapter.readStepLog(repo.id, listed!.number, build.id)).map((l) => l.text).join('\n');
      expect(log).toMatch(message);
      // Nothing was published, and threesix heard of the failure only.
      const manifest = await fetch(`${registry.url}/v2/${gitea.gitea.org}/broken/manifests/${sha}`, { method: 'HEAD' });
      expect(manifest.status).toBe(404);
      expect(received.map((r) => (JSON.parse(r.body) as { status: string }).status)).toEqual(['failure']);
      expect(received[0]!.headers.authorization).toBe('Bearer t36_secret-for-test');
    },
  );

  it('restarts a build as a new number and runs a manual pipeline for the branch head', async () => {
    const { adapter, repo } = await activated('again');
    const files = renderStarterFiles({
      project: 'again',
      org: gitea.gitea.org,
      registry: new URL(registry.url).host,
      registryInsecure: true,
      registryAuth: false,
      webhookUrl: `${receiver.url}/webhooks/woodpecker`,
    });
    const sha = await commit('again', files);
    await gitea.gitea.settle();
    await ci.settle();
    const restarted = await adapter.restartPipeline(repo.id, 1);
    const manual = await adapter.runPipeline(repo.id, 'main');
    await ci.settle();
    expect(restarted).toMatchObject({ number: 2, event: 'push', commit: sha });
    expect(manual).toMatchObject({ number: 3, event: 'manual', commit: sha, branch: 'main' });
    expect((await adapter.listPipelines(repo.id)).map((p) => [p.number, p.status])).toEqual([
      [3, 'success'],
      [2, 'success'],
      [1, 'success'],
    ]);
    expect(ci.state.repos.get(repo.id)!.pipelines[1]!.parent).toBe(1);
    expect(received).toHaveLength(3);
  });

  it('makes no pipeline for a commit without .woodpecker.yaml (a manual run is 204), and an error one for YAML it cannot parse', async () => {
    const { adapter, repo } = await activated('configless');
    await commit('configless', [{ path: 'index.html', content: 'hi' }]);
    await gitea.gitea.settle();
    await ci.settle();
    expect(await adapter.listPipelines(repo.id)).toEqual([]);
    expect(await adapter.runPipeline(repo.id, 'main')).toBeUndefined();
    const sha = await commit('configless', [{ path: '.woodpecker.yaml', content: 'steps: [unclosed\n' }]);
    await gitea.gitea.settle();
    await ci.settle();
    const [broken] = await adapter.listPipelines(repo.id);
    expect(broken).toMatchObject({ status: 'error', commit: sha });
    expect((await adapter.getPipeline(repo.id, broken!.number)).errors[0]).toMatch(/./);
  });
});
