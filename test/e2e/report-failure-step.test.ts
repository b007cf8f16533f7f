/**
 * The template's report-failure step, run for real: its script (after Woodpecker's `$$` unescaping)
 * under `/bin/sh -e` with curl, as Woodpecker runs a step's commands (pipeline/backend/common/
 * script_posix.go), against the webhook routes on a real socket. It records `ci.build_failed` with
 * the step CI says failed and deploys nothing; a repeated report of the same build and a wrong token
 * fail the step (409 duplicate and 401, curl -f: exit 22). The
 * Woodpecker stand-in's interpreter (step-script.ts) must reach the same exit codes on the same script.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { performCurl } from '../../src/sandbox/woodpecker/curl-transfer.js';
import { runStepScript } from '../../src/sandbox/woodpecker/step-script.js';
import type { DeployQueue } from '../../src/services/deploy/deploy-queue.service.js';
import { addCiProject, pushAndBuild, type CiFixture } from '../support/ci-fixture.js';
import { startTemplateStep, type TemplateStep } from '../support/template-step.js';

const run = promisify(execFile);

describe('the template report-failure step', () => {
  let fx: CiFixture;
  let queue: DeployQueue;
  let command: string;

  let step: TemplateStep;
  beforeEach(async () => {
    step = await startTemplateStep('report-failure');
    ({ fx, queue, command } = step);
    expect(step.step.when).toEqual([{ status: ['failure'] }]);
  });
  afterEach(() => step.close());

  async function environment(token: string, sha: string, pipeline: number) {
    const project = await fx.app.store.projects.require('shop');
    return {
      PATH: process.env.PATH!,
      CI: 'woodpecker',
      CI_REPO: 'threesix/shop',
      CI_COMMIT_SHA: sha,
      CI_COMMIT_BRANCH: 'main',
      CI_PIPELINE_NUMBER: String(pipeline),
      CI_PIPELINE_URL: `http://ci.example.test/repos/${project.ciRepoId}/pipeline/${pipeline}`,
      DEPLOY_TOKEN: token,
    };
  }

  async function failedPipeline(sha: string) {
    const { ciRepoId } = await fx.app.store.projects.require('shop');
    return fx.ci.addPipeline(ciRepoId!, {
      status: 'failure',
      event: 'push',
      branch: 'main',
      commit: sha,
      createdAt: new Date().toISOString(),
      steps: [
        { name: 'clone', state: 'success' },
        { name: 'build-and-push', state: 'failure', exitCode: 1 },
        { name: 'notify-threesix', state: 'skipped' },
        { name: 'report-failure', state: 'running' },
      ],
    });
  }

  it('records ci.build_failed with the failed step and deploys nothing; the stand-in agrees', async () => {
    const { token } = await addCiProject(fx, 'shop');
    const sha = await pushAndBuild(fx, 'shop');
    const pipeline = await failedPipeline(sha);
    const env = await environment(token, sha, pipeline.number);
    await run('/bin/sh', ['-e', '-c', command], { env, timeout: 20_000 });
    // The same build reported again is a 409 duplicate, which curl -f turns into 22; a restarted build is new.
    expect((await runStepScript([command], env, performCurl)).exitCode).toBe(22);
    const restarted = await failedPipeline(sha);
    expect(
      (await runStepScript([command], await environment(token, sha, restarted.number), performCurl)).exitCode,
    ).toBe(0);
    await queue.idle();
    const events = await fx.app.store.audit.list({ action: 'ci.build_failed' });
    expect(events).toHaveLength(2); // the real run and the simulated restart
    expect(events.every((e) => e.detail?.failedStep === 'build-and-push' && e.detail?.sha === sha)).toBe(true);
    expect((await fx.deployer.status('shop')).exists).toBe(false);
  });

  it("fails with curl -f's exit 22 on a wrong token, without printing it; the stand-in agrees", async () => {
    await addCiProject(fx, 'shop');
    const sha = await pushAndBuild(fx, 'shop');
    const env = await environment('t36_wrong-token', sha, 1);
    const error = (await run('/bin/sh', ['-e', '-c', command], { env, timeout: 20_000 }).catch(
      (e: unknown) => e,
    )) as Error & { code: number; stdout: string; stderr: string };
    expect(error.code).toBe(22);
    expect(`${error.stdout}${error.stderr}`).not.toContain('t36_wrong-token');
    expect((await runStepScript([command], env, performCurl)).exitCode).toBe(22);
    expect(await fx.app.store.audit.list({ action: 'ci.build_failed' })).toEqual([]);
  });
});
