/**
 * @module services/volumes/add-volume
 * add_volume: a ReadWriteOnce PersistentVolumeClaim mounted at `path`, then a new release of what
 * runs so the pod mounts it (the deployer mounts every claim of the project at every apply, with
 * the Recreate strategy). A project with volumes runs one pod: one with more is refused until it is
 * scaled to 1. Adding the same path and size again changes nothing; another size is refused.
 */
import { invalidInput } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import { MAX_REPLICAS_WITH_VOLUMES, type ProjectVolume } from '../../ports/volume.port.js';
import type { AppContext } from '../shared/app-context.js';
import { rollOutAgain, runningRelease, type AttachedRelease } from '../databases/attach-release.js';
import { requireDeployableProject } from '../deploy/project-workload.js';
import { validateMountPath, validateVolumeSize } from './volume-settings.js';

export interface AddVolumeResult {
  project: string;
  volume: ProjectVolume | null;
  release: AttachedRelease | null;
  dryRun: boolean;
}

export async function addVolume(
  app: AppContext,
  input: { project: string; path: string; size?: string; dryRun?: boolean },
): Promise<AddVolumeResult> {
  const project = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  const path = validateMountPath(input.path);
  const size = validateVolumeSize(input.size ?? '1Gi', app.config.THREESIX_MAX_VOLUME);
  const row = await requireDeployableProject(app, project);
  if (row.deploymentReplicas > MAX_REPLICAS_WITH_VOLUMES) {
    throw invalidInput(
      `project "${project}" runs ${row.deploymentReplicas} pods; a volume attaches to one`,
      `Scale it to 1 with scale {"project": "${project}", "replicas": 1} first`,
    );
  }
  const deployer = await app.backends.deployer.get();
  const existing = (await deployer.listVolumes(project)).find((v) => v.path === path);
  if (existing && existing.size !== size)
    throw invalidInput(
      `${path} already has a ${existing.size} volume`,
      `Give size ${existing.size}, or remove_volume it first (its data goes)`,
    );
  if (input.dryRun) return { project, volume: existing ?? null, release: null, dryRun: true };
  const budgetMs = app.config.THREESIX_DEPLOY_WAIT_S * 1000;
  return app.locks.run(project, 'add_volume', budgetMs, async (waitedMs) => {
    const volume = await deployer.applyVolume({
      project,
      path,
      size,
      storageClass: app.config.THREESIX_STORAGE_CLASS ?? null,
    });
    app.logger.info('volume: claim applied', { project, path, size });
    const running = existing ? null : await runningRelease(app, project);
    const release = running
      ? await rollOutAgain(app, deployer, running, `volume added at ${path}`, Math.max(1000, budgetMs - waitedMs))
      : null;
    app.events.projectChanged(project);
    return {
      project,
      volume: (await deployer.listVolumes(project)).find((v) => v.path === path) ?? volume,
      release,
      dryRun: false,
    };
  });
}
