/**
 * @module services/deploy-status
 * Live state of a project's workload next to what threesix recorded: replicas, pods, conditions,
 * events, usage, and how the newest release's rollout stands. It only reads: the release deploy
 * stopped waiting for is settled (and a failure rolled back) by the background rollout watch
 * (rollout-watch.service.ts), whether or not anyone asks; this reports what the watch did.
 */
import { assessRollout } from './assess-rollout.js';
import { validateProjectName } from '../domain/project-name.js';
import type { Release } from '../domain/project.js';
import type { WorkloadStatus } from '../ports/deployer.port.js';
import type { AppContext } from './app-context.js';
import { autoRollbackOf, pinnedOf, type ReleaseOutcome } from './rollout-release.js';

export interface DeployStatusView {
  project: string;
  url: string | null;
  deploymentStatus: string;
  digest: string | null;
  release: Release | null;
  rollout: string;
  /** Set when the newest release is the automatic rollback of a failed one. */
  autoRollback: { failedReleaseId: number; reason: string; rolledBackTo: NonNullable<ReleaseOutcome['rolledBackTo']> } | null;
  workload: WorkloadStatus;
}

export async function deployStatus(app: AppContext, name: string): Promise<DeployStatusView> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  const project = await app.store.projects.require(name);
  const deployer = await app.backends.deployer.get();
  const workload = await deployer.status(name);
  const release = (await app.store.releases.latest(name)) ?? null;
  let rollout = workload.exists ? 'unknown' : 'not deployed';
  if (release?.digest && workload.exists) {
    const verdict = assessRollout(workload, pinnedOf(release), workload.desiredReplicas);
    rollout = verdict.state === 'failed' ? `failed: ${verdict.reason}` : verdict.state;
  }
  return {
    project: name,
    url: project.domain && workload.exists ? `https://${project.domain}` : null,
    deploymentStatus: project.deploymentStatus,
    digest: project.deploymentDigest,
    release,
    rollout,
    autoRollback: release ? await autoRollbackView(app, release) : null,
    workload,
  };
}

/** What the newest release says about an automatic rollback, read from the release history. */
async function autoRollbackView(app: AppContext, release: Release): Promise<DeployStatusView['autoRollback']> {
  const made = autoRollbackOf(release);
  if (!made) return null;
  const failed = await app.store.releases.get(made.failedReleaseId);
  const status = release.status === 'succeeded' || release.status === 'in_progress' ? release.status : 'failed';
  return {
    failedReleaseId: made.failedReleaseId,
    reason: failed?.reason?.split(':')[0] ?? 'failed',
    rolledBackTo: { releaseId: release.id, fromReleaseId: made.restoredReleaseId, image: release.image, status },
  };
}
