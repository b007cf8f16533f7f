/**
 * @module services/databases/delete-database
 * delete_database: deletes the project's Cluster (its volumes and data go with it; backups in the
 * object store stay) and rolls the app out without the database env, whose Secret is gone too.
 * Clusters without our labels are never touched.
 */
import { notFound, requireConfirm } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import { databaseClusterName } from '../../ports/database.port.js';
import type { AppContext } from '../shared/app-context.js';
import { DATABASE_DELETED } from '../reconcile/database-drift.js';
import { rollOutAgain, runningRelease, type AttachedRelease } from './attach-release.js';

export interface DeleteDatabaseResult {
  project: string;
  removed: string[];
  release: AttachedRelease | null;
  dryRun: boolean;
}

export async function deleteDatabase(
  app: AppContext,
  input: { project: string; confirm: string; dryRun?: boolean },
): Promise<DeleteDatabaseResult> {
  const project = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  requireConfirm(project, input.confirm);
  await app.store.projects.require(project);
  const deployer = await app.backends.deployer.get();
  const status = await deployer.databaseStatus(project);
  if (!status.exists)
    throw notFound(
      `project "${project}" has no database (no Cluster ${databaseClusterName(project)} of threesix's)`,
      'Call get_project to see what it has',
    );
  if (input.dryRun) return { project, removed: [`Cluster/${status.cluster}`], release: null, dryRun: true };
  const budgetMs = app.config.THREESIX_DEPLOY_WAIT_S * 1000;
  return app.locks.run(project, 'delete_database', budgetMs, async (waitedMs) => {
    const { removed } = await deployer.removeDatabase(project);
    await app.store.audit.record({
      actor: 'threesix',
      action: DATABASE_DELETED,
      target: project,
      result: 'ok',
      detail: { removed },
    });
    app.logger.info('database: cluster removed', { project, removed });
    const running = await runningRelease(app, project);
    const release = running
      ? await rollOutAgain(app, deployer, running, 'database removed', Math.max(1000, budgetMs - waitedMs))
      : null;
    app.events.projectChanged(project);
    return { project, removed, release, dryRun: false };
  });
}
