/**
 * @module services/ci/ci-build-failure
 * A failed build, reported by the pipeline's report-failure step (body `status: "failure"`, the
 * project's deploy token): recorded as a `ci.build_failed` audit event with the step that failed,
 * and announced to the project's subscribers. Nothing is deployed. The failed step is read from
 * the CI server (the body is only a pointer to the pipeline); when CI cannot be asked in time the
 * event is recorded without it rather than lost.
 */
import type { Project } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';
import { FAILING_STATES } from '../builds/ci-project.js';
import { withTimeout } from '../shared/with-timeout.js';

const CI_TIMEOUT_MS = 5000;

export interface FailedBuild {
  sha: string;
  branch: string;
  pipeline: number;
  pipelineUrl: string;
}

/**
 * Records the failure once per pipeline and commit: a repeated report (curl's retry after a
 * timeout that threesix had in fact answered) is `duplicate` and records nothing more.
 */
export async function recordBuildFailure(
  app: AppContext,
  project: Project,
  build: FailedBuild,
  actor: string,
): Promise<{ duplicate: true } | { duplicate: false; failedStep: string | null }> {
  const key = `failed:${project.name}:${build.pipeline}:${build.sha}`;
  if (!(await app.store.deliveries.claim({ key, project: project.name, sha: build.sha, status: 'build_failed' })))
    return { duplicate: true };
  const failedStep = await failedStepOf(app, project, build.pipeline);
  await app.store.audit.record({
    actor,
    action: 'ci.build_failed',
    target: project.name,
    result: 'error',
    detail: {
      sha: build.sha,
      branch: build.branch,
      pipeline: build.pipeline,
      pipelineUrl: build.pipelineUrl,
      failedStep,
    },
  });
  app.events.projectChanged(project.name);
  return { duplicate: false, failedStep };
}

async function failedStepOf(app: AppContext, project: Project, number: number): Promise<string | null> {
  if (project.ciRepoId === null || app.backends.ci.info.mode === 'none') return null;
  try {
    const ci = await app.backends.ci.get();
    const detail = await withTimeout(ci.getPipeline(project.ciRepoId, number), CI_TIMEOUT_MS, 'CI server');
    return detail.steps.find((s) => FAILING_STATES.has(s.state))?.name ?? null;
  } catch (error) {
    app.logger.warn('ci webhook: the failed step could not be read from CI', {
      project: project.name,
      pipeline: number,
      err: error,
    });
    return null;
  }
}
