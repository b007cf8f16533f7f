/**
 * @module services/projects/delete-project
 * delete_project: after the caller confirms with the project's exact name, marks the project
 * `deleting` and runs the journaled delete saga. A failed or interrupted deletion resumes when
 * called again (or through retry_operation); the rows go last, so nothing is forgotten. What an
 * interrupted create made is found from its journal too, not only from the row.
 */
import { notFound, requireConfirm } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { AppContext } from '../shared/app-context.js';
import { operationFailure } from '../operations/operation-failure.js';
import { planOperation } from '../operations/plan-operation.js';
import { executeOperation, startOperation } from '../operations/run-operation.js';
import { UNBOUNDED_WAIT } from '../shared/project-locks.js';
import type { Project } from '../../domain/project.js';
import { DELETE_PROJECT, deleteProjectOperation, type DeleteProjectResult } from './delete-project.operation.js';
import type { DeleteProjectInput } from './delete-project.steps.js';
import { openRepoIntent } from './repo-create-intent.js';

export type DeleteProjectOutcome = DeleteProjectResult & { operationId: string; dryRun: boolean };

export async function deleteProject(
  app: AppContext,
  request: { name: string; confirm: string; dryRun?: boolean },
): Promise<DeleteProjectOutcome> {
  const name = validateProjectName(request.name, app.config.THREESIX_RESERVED_NAMES);
  requireConfirm(name, request.confirm);
  return app.locks.run(name, 'delete_project', UNBOUNDED_WAIT, async () => {
    const unfinished = await app.store.operations.findUnfinished(DELETE_PROJECT, name);
    const project = await app.store.projects.get(name);
    if (!project && !unfinished)
      throw notFound(`project "${name}" does not exist`, 'Call list_projects to see the projects');
    if (request.dryRun) {
      // The dry run is the saga's own steps planned on the input a real run would start with.
      const input = (unfinished?.input as DeleteProjectInput | undefined) ?? (await deleteInput(app, project!));
      const plan = await planOperation(app, deleteProjectOperation, name, input);
      const removed = plan.filter((p) => !p.skipped).map((p) => p.action);
      return { dryRun: true, operationId: '', project: name, archived: [], warnings: [], removed };
    }
    let operation = unfinished;
    if (operation?.status === 'failed') operation = await app.store.operations.reopen(operation.id);
    operation ??= await startOperation(app, deleteProjectOperation, name, await deleteInput(app, project!));
    if (project && project.state !== 'deleting') await app.store.projects.update(name, { state: 'deleting' });
    app.events.projectChanged(name);
    const run = await executeOperation(app, deleteProjectOperation, operation);
    if (run.failure) throw operationFailure(run, `deleting project "${name}"`);
    return { dryRun: false, operationId: run.operation.id, ...(run.operation.result as DeleteProjectResult) };
  });
}

/** What the delete saga starts from: a snapshot of the row, so a resumed run needs nothing the rows step removed. */
async function deleteInput(app: AppContext, project: Project): Promise<DeleteProjectInput> {
  const domains = [project.domain, ...project.customDomains].filter((d): d is string => Boolean(d));
  // A create interrupted inside its repo step recorded no repository on the row, only its intent in the journal.
  const repoName = project.gitRepoName ?? (await openRepoIntent(app, project.name))?.intent.repo ?? null;
  return { name: project.name, repoName, ciRepoId: project.ciRepoId, domains };
}
