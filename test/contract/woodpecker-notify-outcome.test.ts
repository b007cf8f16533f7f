/**
 * The pipeline status the Woodpecker stand-in gives after the template's notify step, interpreted
 * (step-script.ts) against a receiver that answers as threesix does: green for 202 and for the 409s
 * that mean "nothing to deploy", red for a refused token, with the step's output (secret masked,
 * as pipeline/shared/replace_secrets.go does) in that step's log, and the report-failure step
 * telling the receiver about the failed build.
 */
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WoodpeckerCiServer } from '../../src/adapters/woodpecker/woodpecker-ci-server.js';
import { renderStarterFiles } from '../../src/domain/starter-files.js';
import type { GiteaStandIn } from '../../src/sandbox/gitea/index.js';
import { serveStandIn, type ServedStandIn } from '../../src/sandbox/serve-stand-in.js';
import { startValidatedGitea, type ValidatedGitea } from '../support/gitea-stand-in.js';
import { startCheckedRegistry, type CheckedRegistry } from '../support/registry-stand-in.js';
import { createForgeRepo, startCheckedWoodpecker, type CheckedWoodpecker } from '../support/woodpecker.js';

const SECRET = 't36_secret-never-in-logs';

describe('Woodpecker stand-in: the notify step decides the pipeline status', () => {
  let forge: ValidatedGitea;
  let gitea: GiteaStandIn;
  let registry: CheckedRegistry;
  let receiver: ServedStandIn;
  let ci: CheckedWoodpecker;
  let answer: { status: number; body: unknown };
  let received = 0;

  beforeEach(async () => {
    forge = await startValidatedGitea();
    gitea = forge.gitea;
    registry = await startCheckedRegistry();
    received = 0;
    receiver = await serveStandIn(
      new Hono().post('/webhooks/woodpecker', (c) => ((received += 1), c.json(answer.body, answer.status as 202))),
    );
    ci = await startCheckedWoodpecker({ giteaUrl: gitea.url, giteaToken: gitea.token });
  });
  afterEach(async () => {
    await ci.stop();
    await Promise.all([receiver.close(), registry.close(), forge.stop()]);
    expect([...ci.spec.takeViolations(), ...forge.takeViolations(), ...registry.spec.takeViolations()]).toEqual([]);
  });

  async function pushTemplate(name: string) {
    const forge = await createForgeRepo(gitea, name);
    const adapter = new WoodpeckerCiServer({ baseUrl: ci.url, token: ci.token });
    const repo = await adapter.activate(forge.id, forge.fullName);
    await adapter.upsertSecret(repo.id, { name: 'threesix_deploy_token', value: SECRET, events: ['push'] });
    const files = renderStarterFiles({
      project: name,
      org: gitea.org,
      registry: new URL(registry.url).host,
      registryInsecure: true,
      registryAuth: false,
      webhookUrl: `${receiver.url}/webhooks/woodpecker`,
    });
    const response = await fetch(`${gitea.url}/api/v1/repos/${gitea.org}/${name}/contents`, {
      method: 'POST',
      headers: { authorization: `token ${gitea.token}`, 'content-type': 'application/json' },
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
    await gitea.settle();
    await ci.settle();
    return ci.state.repos.get(repo.id)!.pipelines.at(-1)!;
  }

  it.each([
    ['202 queued', 202, { status: 'queued', reason: 'queued' }],
    [
      '409 duplicate',
      409,
      { status: 'rejected', reason: 'duplicate', message: 'this delivery (or this commit) was accepted before' },
    ],
    [
      '409 already_deployed',
      409,
      { status: 'rejected', reason: 'already_deployed', message: 'this commit is already deployed' },
    ],
  ])('%s: success', async (_, status, body) => {
    answer = { status, body };
    expect(await pushTemplate('green')).toMatchObject({ status: 'success' });
    expect(received).toBe(1);
  });

  it("401: failure, the answer in the notify step's log, the secret nowhere, the failure reported", async () => {
    answer = {
      status: 401,
      body: { status: 'rejected', reason: 'unauthenticated', message: 'missing or wrong deploy token' },
    };
    const pipeline = await pushTemplate('red');
    expect(pipeline.status).toBe('failure');
    const notify = pipeline.steps.find((s) => s.name === 'notify-threesix')!;
    expect(notify).toMatchObject({ state: 'failure', exitCode: 1 });
    expect(notify.log.join('\n')).toMatch(/HTTP 401.*unauthenticated/s);
    expect(pipeline.steps.find((s) => s.name === 'report-failure')).toMatchObject({ state: 'failure' }); // the receiver answers 401 to it too
    expect(JSON.stringify(pipeline)).not.toContain(SECRET);
    expect(received).toBe(2); // notify, then report-failure
  });
});
