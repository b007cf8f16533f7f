/**
 * @module services/deploy-status
 * Live state of a project's workload next to what threesix recorded: replicas, pods, conditions,
 * events, usage, and the release being rolled out. A release that deploy stopped waiting for is
 * settled here once the cluster shows a verdict; if it failed, the last healthy release is put back
 * exactly as deploy would have done (THREESIX_AUTO_ROLLBACK), so giving up on a long deploy call
 * does not give up the rollback. That is deploy's promised follow-through, audited as such; in
 * read-only mode nothing is re-applied.
 */
import { assessRollout } from './assess-rollout.js';
import { validateProjectName } from '../domain/project-name.js';
import type { Release } from '../domain/project.js';
import { isDomainError } from '../domain/errors.js';
import type { Deployer, WorkloadStatus } from '../ports/deployer.port.js';
import type { AppContext } from './app-context.js';
import { hostsOf } from './project-workload.js';
import { isRollbackRelease, pinnedOf, settleFailure, type ReleaseOutcome } from './rollout-release.js';

export interface DeployStatusView {
  project: string;
  url: string | null;
  deploymentStatus: string;
  digest: string | null;
  release: Release | null;
  rollout: string;
  /** Set when this call found the release failed and put the last healthy one back. */
  autoRollback: { failedReleaseId: number; reason: string; rolledBackTo: NonNullable<ReleaseOutcome['rolledBackTo']> } | null;
  workload: WorkloadStatus;
}

export async function deployStatus(app: AppContext, name: string): Promise<DeployStatusView> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  await app.store.projects.require(name);
  const deployer = await app.backends.deployer.get();
  let workload = await deployer.status(name);
  let autoRollback: DeployStatusView['autoRollback'] = null;
  // An operation holding the lock (a deploy still waiting, say) settles its own release.
  if ((await app.store.releases.latest(name))?.status === 'in_progress' && workload.exists && !app.locks.held(name)) {
    const outcome = await app.locks.run(name, 'settling the rollout', 0, () => settle(app, deployer, name)).catch(error => {
      if (isDomainError(error) && error.code === 'CONFLICT' && error.retryable) return null; // another operation started meanwhile
      throw error;
    });
    if (outcome?.status === 'rolled_back' && outcome.rolledBackTo) {
      autoRollback = { failedReleaseId: outcome.release.id, reason: outcome.failure?.reason ?? 'failed', rolledBackTo: outcome.rolledBackTo };
      workload = await deployer.status(name);
    }
  }
  const project = await app.store.projects.require(name);
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
    autoRollback,
    workload,
  };
}

/** Records the verdict on the in-progress release, if the cluster has one; rolls back a failure. */
async function settle(app: AppContext, deployer: Deployer, name: string): Promise<ReleaseOutcome | null> {
  const release = await app.store.releases.latest(name);
  if (release?.status !== 'in_progress' || !release.digest) return null;
  const workload = await deployer.status(name);
  const verdict = assessRollout(workload, pinnedOf(release), workload.desiredReplicas);
  if (verdict.state === 'in_progress') return null;
  if (verdict.state === 'succeeded') {
    await app.store.releases.setStatus(release.id, 'succeeded');
    await app.store.projects.update(name, { deploymentStatus: workload.desiredReplicas === 0 ? 'stopped' : 'running' });
    app.events.projectChanged(name);
    return null;
  }
  const logTail = await deployer.logs(name, { tail: 20 }).catch(() => null);
  const project = await app.store.projects.require(name);
  // A rollback that itself failed is not rolled back again, as deploy and rollback do not either.
  const autoRollback = app.config.THREESIX_AUTO_ROLLBACK && !app.config.THREESIX_READ_ONLY && !isRollbackRelease(release);
  const outcome = await settleFailure(app, deployer, release, verdict, logTail, {
    pinned: pinnedOf(release), hosts: hostsOf(project, app.config.DEFAULT_DOMAIN), autoRollback, budgetMs: app.config.THREESIX_DEPLOY_WAIT_S * 1000,
  });
  if (outcome.status === 'rolled_back') {
    await app.store.audit.record({
      actor: 'threesix:auto-rollback', action: 'rollback', target: name, result: outcome.rolledBackTo?.status === 'failed' ? 'error' : 'ok',
      detail: { failedRelease: release.id, reason: verdict.reason, restoredRelease: outcome.rolledBackTo?.fromReleaseId ?? null, via: 'deploy_status' },
    }).catch(error => app.logger.error('audit write failed', { err: error }));
  }
  return outcome;
}
