/**
 * @module services/deploy-status
 * Live state of a project's workload next to what threesix recorded: replicas, pods, conditions,
 * events, usage, and how the newest release's rollout stands. It only reads: the release deploy
 * stopped waiting for is settled (and a failure rolled back) by the background rollout watch
 * (rollout-watch.service.ts), whether or not anyone asks; this reports what the watch did.
 * Each pod says which commit it runs (its image's digest, matched to the release that recorded
 * it), so "1/1 ready" mid-rollout no longer hides that the ready pod is the old commit; a pod that
 * restarted brings the last lines its previous container wrote (the crash).
 */
import { assessRollout } from './assess-rollout.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { Release } from '../../domain/project.js';
import type { PodState, WorkloadStatus } from '../../ports/deployer.port.js';
import type { Deployer } from '../../ports/deployer.port.js';
import type { AppContext } from '../shared/app-context.js';
import { toDatabaseView, type DatabaseView } from '../databases/database-view.js';
import { autoRollbackOf, pinnedOf, type ReleaseOutcome } from './rollout-release.js';

export interface DeployStatusView {
  project: string;
  url: string | null;
  deploymentStatus: string;
  digest: string | null;
  release: Release | null;
  rollout: string;
  /** Set when the newest release is the automatic rollback of a failed one. */
  autoRollback: {
    failedReleaseId: number;
    reason: string;
    rolledBackTo: NonNullable<ReleaseOutcome['rolledBackTo']>;
  } | null;
  workload: Omit<WorkloadStatus, 'pods'> & { pods: Array<PodState & { commit: string | null }> };
  /** Last lines of the previous container of a pod that restarted (crash loop), secrets redacted; untrusted. */
  previousLog: string | null;
  /** The project's database (create_database), null when it has none or the cluster could not say. */
  database: DatabaseView | null;
}

const PREVIOUS_LOG_LINES = 20;

export async function deployStatus(app: AppContext, name: string): Promise<DeployStatusView> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  const project = await app.store.projects.require(name);
  const deployer = await app.backends.deployer.get();
  const workload = await deployer.status(name);
  const releases = await app.store.releases.list(name, 100);
  const release = releases[0] ?? null;
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
    workload: { ...workload, pods: workload.pods.map((pod) => ({ ...pod, commit: commitOf(pod, releases) })) },
    previousLog: await previousLog(deployer, name, workload),
    // A cluster without CloudNativePG (or rights on it) has no database to show; the workload view still stands.
    database: await deployer.databaseStatus(name).then(toDatabaseView, () => null),
  };
}

/** The commit of the newest release whose image the pod runs (matched by digest, as pods run pinned images). */
function commitOf(pod: PodState, releases: Release[]): string | null {
  const digest = pod.image?.split('@')[1];
  return (digest && releases.find((r) => r.digest === digest)?.commitSha) || null;
}

async function previousLog(deployer: Deployer, project: string, workload: WorkloadStatus): Promise<string | null> {
  if (!workload.pods.some((p) => p.restarts > 0)) return null;
  // The deployer picks the newest pod that restarted; its previous container is the one that crashed.
  return deployer.logs(project, { tail: PREVIOUS_LOG_LINES, previous: true }).catch(() => null);
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
