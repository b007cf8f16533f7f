/**
 * @module services/builds/ci-project
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * The CI side of a project for the build tools: its row, its CI repository id and the CI server.
 * A project without a CI activation cannot have builds; that is a precondition, not "not found".
 */
import { preconditionFailed } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { Project } from '../../domain/project.js';
import type { CiServer } from '../../ports/ci-server.port.js';
import type { AppContext } from '../shared/app-context.js';

export interface CiProject {
  project: Project;
  ci: CiServer;
  repoId: number;
}

export async function ciProject(app: AppContext, name: string): Promise<CiProject> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  const project = await app.store.projects.require(name);
  if (project.ciRepoId === null) {
    throw preconditionFailed(
      `project ${name} is not activated in CI, so it has no builds`,
      'Run reconcile with repair (or retry_operation for an unfinished create) to activate it',
    );
  }
  return { project, ci: await app.backends.ci.get(), repoId: project.ciRepoId };
}

/** Step states Woodpecker counts as failing (server/model/step.go Failing). */
export const FAILING_STATES = new Set(['failure', 'error', 'killed']);

export const BUILD_NUMBER_MAX = 1_000_000_000;
