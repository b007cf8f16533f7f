/**
 * The pipeline template's own notify step, run for real: its shell script (after Woodpecker's
 * config-time `$$` unescaping) runs the way Woodpecker runs a step's commands (each traced with
 * `echo + <command>`, the whole under `/bin/sh -e`: pipeline/backend/common/script_posix.go and
 * script.go in woodpecker-ci/woodpecker) with the CI_* environment Woodpecker documents
 * (specs/woodpecker/ci-environment-variables.json; every runtime variable set, the ones the step
 * uses with this build's values) and the deploy token from the secret, against a running server.
 * A deploy must follow. The step must stay green on threesix's 409 answers that mean "nothing to
 * deploy" (duplicate, already_deployed, stale) and fail on real errors: a wrong token, an invalid
 * body, 5xx after curl's retries, no connection.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { performCurl } from '../../src/sandbox/woodpecker/curl-transfer.js';
import { runStepScript } from '../../src/sandbox/woodpecker/step-script.js';
import type { DeployQueue } from '../../src/services/deploy/deploy-queue.service.js';
import { renderStarterFiles } from '../../src/domain/starter-files.js';
import { parse } from 'yaml';
import { addCiProject, pushAndBuild, runningAndExpected, type CiFixture } from '../support/ci-fixture.js';
import { loadSpec, SPECS_PRESENT } from '../support/specs.js';
import { startTemplateStep, type TemplateStep } from '../support/template-step.js';

const run = promisify(execFile);

function documentedEnvironment(): Record<string, string> {
  if (!SPECS_PRESENT) return {};
  const { variables } = loadSpec('woodpecker/ci-environment-variables.json') as {
    variables: Array<{ name: string; scope: string[]; example: string }>;
  };
  return Object.fromEntries(
    variables
      .filter((v) => v.scope.includes('runtime') && /^[A-Z_]+$/.test(v.name))
      .map((v) => [v.name, v.example.replace(/`/g, '')]),
  );
}

describe('the template notify step', () => {
  let fx: CiFixture;
  let queue: DeployQueue;
  let command: string;

  let step: TemplateStep;
  beforeEach(async () => {
    step = await startTemplateStep('notify-threesix');
    ({ fx, queue, command } = step);
  });
  afterEach(() => step.close());

  async function runStep(token: string, sha: string, overrides: Record<string, string> = {}) {
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
      ...overrides,
    };
    return runAsWoodpecker(command, env);
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
    expect(audit).toMatchObject({
      result: 'ok',
      detail: expect.objectContaining({
        pipeline: 3,
        idempotencyKey: expect.stringContaining(sha) as unknown,
      }) as unknown,
    });
  });

  it('fails the step and deploys nothing with a wrong token (401), without printing the token', async () => {
    await addCiProject(fx, 'shop');
    const sha = await pushAndBuild(fx, 'shop');
    const error = (await runStep('t36_wrong', sha).catch((e: unknown) => e)) as Error & {
      code: number;
      stdout: string;
      stderr: string;
    };
    expect(error.code).toBe(1);
    expect(error.stdout).toMatch(/did not accept the deploy request \(HTTP 401\)/);
    expect(`${error.stdout}${error.stderr}`).not.toContain('t36_wrong');
    await queue.idle();
    expect((await fx.deployer.status('shop')).exists).toBe(false);
  });

  it('stays green when the same pipeline notifies again (409 duplicate), and deploys once', async () => {
    const { token } = await addCiProject(fx, 'shop');
    const sha = await pushAndBuild(fx, 'shop');
    await runStep(token, sha);
    await queue.idle();
    const again = await runStep(token, sha);
    expect(again.stdout).not.toMatch(/did not accept the deploy request \(HTTP \d/);
    await queue.idle();
    const webhooks = await fx.app.store.audit.list({ action: 'ci.webhook' });
    expect(webhooks.map((a) => a.result).sort()).toEqual(['ok', 'rejected']);
    expect((await fx.app.store.audit.list({ action: 'ci.deploy' })).length).toBe(1);
  });

  it('stays green for an older commit once a newer one is the head (409 stale), and deploys nothing', async () => {
    const { token } = await addCiProject(fx, 'shop');
    const older = await pushAndBuild(fx, 'shop', 'older');
    await pushAndBuild(fx, 'shop', 'newer');
    await runStep(token, older);
    await queue.idle();
    expect((await fx.deployer.status('shop')).exists).toBe(false);
  });

  it('fails the step on an invalid request (422: not the default branch)', async () => {
    const { token } = await addCiProject(fx, 'shop');
    const sha = await pushAndBuild(fx, 'shop');
    await expect(runStep(token, sha, { CI_COMMIT_BRANCH: 'feature' })).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/HTTP 422/) as unknown,
    });
  });
});

/** A server that answers the step's requests from a script, counting them. */
async function scriptedServer(
  answers: Array<{ status: number; body?: unknown }>,
): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    const answer = answers[Math.min(count++, answers.length - 1)]!;
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body ?? { status: answer.status < 300 ? 'queued' : 'rejected' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the template notify step against answers a test scripts, in sh and in the Woodpecker stand-in', () => {
  const template = (webhookUrl: string) => {
    const pipeline = parse(
      renderStarterFiles({
        project: 'shop',
        org: 'threesix',
        registry: 'registry.example.test',
        registryInsecure: true,
        registryAuth: false,
        webhookUrl,
      }).find((f) => f.path === '.woodpecker.yaml')!.content,
    ) as { steps: Array<{ name: string; commands: string[] }> };
    return pipeline.steps.find((s) => s.name === 'notify-threesix')!.commands[0]!.replace(/\$\$/g, '$');
  };
  const env = {
    PATH: process.env.PATH!,
    DEPLOY_TOKEN: 't36_scripted',
    CI_REPO: 'threesix/shop',
    CI_REPO_REMOTE_ID: '1',
    CI_COMMIT_SHA: 'a'.repeat(40),
    CI_COMMIT_BRANCH: 'main',
    CI_PIPELINE_NUMBER: '4',
    CI_PIPELINE_URL: 'http://ci.example.test/repos/1/pipeline/4',
  };
  const servers: Array<Awaited<ReturnType<typeof scriptedServer>>> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  /**
   * The step's exit code and request count under the real sh and curl, and under the stand-in's
   * interpreter (step-script.ts), each against a fresh server answering `answers`; they must agree.
   */
  async function outcome(
    answers: Array<{ status: number; body?: unknown }>,
    edit: (command: string) => string = (c) => c,
  ) {
    const real = await scriptedServer(answers);
    const simulated = await scriptedServer(answers);
    servers.push(real, simulated);
    const shell = await runAsWoodpecker(edit(template(`${real.url}/webhooks/woodpecker`)), env).then(
      (r) => ({ exitCode: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ exitCode: e.code, stdout: e.stdout }),
    );
    const standIn = await runStepScript([edit(template(`${simulated.url}/webhooks/woodpecker`))], env, performCurl);
    expect({ exitCode: standIn.exitCode, requests: simulated.requests() }, 'the stand-in agrees with sh').toEqual({
      exitCode: shell.exitCode,
      requests: real.requests(),
    });
    return { ...shell, requests: real.requests() };
  }

  it.each(['duplicate', 'already_deployed', 'stale'])('exits 0 on 409 %s', async (reason) => {
    expect(
      (await outcome([{ status: 409, body: { status: 'rejected', reason, message: 'nothing to deploy' } }])).exitCode,
    ).toBe(0);
  });

  it('fails on a 409 with another reason (project_deleting), printing the answer', async () => {
    const result = await outcome([
      {
        status: 409,
        body: { status: 'rejected', reason: 'project_deleting', message: 'the project is being deleted' },
      },
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('project_deleting');
  });

  it('retries a transient 503 and succeeds on the 202 that follows', async () => {
    expect(await outcome([{ status: 503 }, { status: 202 }])).toMatchObject({ exitCode: 0, requests: 2 });
  });

  it.each([401, 422])('fails on %i at once, without retrying', async (status) => {
    expect(await outcome([{ status }, { status: 202 }])).toMatchObject({ exitCode: 1, requests: 1 });
  });

  // curl's backoff (1, 2, 4, 8, 16 s) is cut to one retry here; what is decided afterwards is unchanged.
  const oneRetry = (command: string) => command.replace('--retry 5 ', '--retry 1 ');

  it('fails on 5xx after its retries', async () => {
    const result = await outcome([{ status: 500 }], oneRetry);
    expect(result).toMatchObject({ exitCode: 1, requests: 2 });
    expect(result.stdout).toMatch(/HTTP 500/);
  });

  it("fails when nothing listens (connection refused), with curl's exit code", async () => {
    const closed = await scriptedServer([{ status: 202 }]);
    await closed.close();
    const command = oneRetry(template(`${closed.url}/webhooks/woodpecker`));
    await expect(runAsWoodpecker(command, env)).rejects.toMatchObject({ code: 7 });
    expect((await runStepScript([command], env, performCurl)).exitCode).toBe(7);
  });
});

/**
 * Runs a step's commands as Woodpecker's POSIX backend does: each command traced with
 * `echo + <command, shell-quoted>`, then run, the whole script under `/bin/sh -e`
 * (pipeline/backend/common/script_posix.go generateScriptPosix, script.go GenerateContainerConf).
 */
function runAsWoodpecker(command: string, env: Record<string, string>) {
  const quoted = `'${command.replace(/'/g, `'"'"'`)}'`;
  return run('/bin/sh', ['-e', '-c', `echo + ${quoted}\n${command}\n`], { env, timeout: 20_000 });
}
