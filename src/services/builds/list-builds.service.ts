/**
 * @module services/builds/list-builds
 * A project's CI pipelines, newest first, with the step that failed in each failed one (read from
 * that pipeline's steps; the list itself does not carry them).
 */
import { invalidInput } from '../../domain/errors.js';
import type { CiPipeline } from '../../ports/ci-server.port.js';
import type { AppContext } from '../shared/app-context.js';
import { ciProject, FAILING_STATES } from './ci-project.js';

export const LIST_BUILDS_MAX = 50;

export interface BuildSummary extends Omit<CiPipeline, 'createdAt'> {
  createdAt: string;
  /** Name of the first failing step of a failed build; null otherwise (or when CI does not say). */
  failedStep: string | null;
}

export async function listBuilds(
  app: AppContext,
  name: string,
  limit = 10,
): Promise<{ project: string; builds: BuildSummary[] }> {
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_BUILDS_MAX)
    throw invalidInput(`limit must be an integer from 1 to ${LIST_BUILDS_MAX}`);
  const { project, ci, repoId } = await ciProject(app, name);
  const pipelines = await ci.listPipelines(repoId, { perPage: limit });
  const builds = await Promise.all(
    pipelines.slice(0, limit).map(async (pipeline) => {
      if (!FAILING_STATES.has(pipeline.status)) return { ...pipeline, failedStep: null };
      const detail = await ci.getPipeline(repoId, pipeline.number);
      return { ...pipeline, failedStep: detail.steps.find((s) => FAILING_STATES.has(s.state))?.name ?? null };
    }),
  );
  return { project: project.name, builds };
}
