/**
 * @module services/volumes/remove-volume
 * remove_volume: deletes the project's claim at `path` (its data goes with it) and rolls out a
 * release that no longer mounts it. Claims someone else made are never touched.
 */
import { notFound, requireConfirm } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { AppContext } from '../shared/app-context.js';
import { rollOutAgain, runningRelease, type AttachedRelease } from '../databases/attach-release.js';
import { validateMountPath } from './volume-settings.js';

export async function removeVolume(
  app: AppContext,
  input: { project: string; path: string; confirm: string; dryRun?: boolean },
): Promise<{ project: string; removed: string[]; release: AttachedRelease | null; dryRun: boolean }> {
  const project = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  const path = validateMountPath(input.path);
  requireConfirm(project, input.confirm);
  await app.store.projects.require(project);
  const deployer = await app.backends.deployer.get();
  const volume = (await deployer.listVolumes(project)).find((v) => v.path === path);
  if (!volume) throw notFound(`project "${project}" has no volume at ${path}`, 'Call get_project to see its volumes');
  if (input.dryRun) return { project, removed: [`PersistentVolumeClaim/${volume.claim}`], release: null, dryRun: true };
  const budgetMs = app.config.THREESIX_DEPLOY_WAIT_S * 1000;
  return app.locks.run(project, 'remove_volume', budgetMs, async (waitedMs) => {
    // Deleted first: the claim then no longer counts as mounted (a claim in use stays, finalized, until its pod is
    // gone).
    const { removed } = await deployer.removeVolume(project, path);
    const running = await runningRelease(app, project);
    const release = running
      ? await rollOutAgain(app, deployer, running, `volume removed from ${path}`, Math.max(1000, budgetMs - waitedMs))
      : null;
    app.events.projectChanged(project);
    return { project, removed, release, dryRun: false };
  });
}
