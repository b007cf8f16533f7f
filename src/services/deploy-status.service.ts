/**
 * @module services/deploy-status
 * Live state of a project's workload next to what threesix recorded: replicas, pods, conditions,
 * events, usage, and the release being rolled out. Settles an in-progress release it finds done.
 */
import { assessRollout } from './assess-rollout.js';
import { validateProjectName } from '../domain/project-name.js';
import type { Release } from '../domain/project.js';
import type { WorkloadStatus } from '../ports/deployer.port.js';
import type { AppContext } from './app-context.js';
import { pinnedOf } from './rollout-release.js';

export interface DeployStatusView {
  project: string;
  url: string | null;
  deploymentStatus: string;
  digest: string | null;
  release: Release | null;
  rollout: string;
  workload: WorkloadStatus;
}

export async function deployStatus(app: AppContext, name: string): Promise<DeployStatusView> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  let project = await app.store.projects.require(name);
  const deployer = await app.backends.deployer.get();
  const workload = await deployer.status(name);
  let release = (await app.store.releases.latest(name)) ?? null;
  let rollout = workload.exists ? 'unknown' : 'not deployed';
  if (release?.digest && workload.exists) {
    const verdict = assessRollout(workload, pinnedOf(release), workload.desiredReplicas);
    rollout = verdict.state === 'failed' ? `failed: ${verdict.reason}` : verdict.state;
    // A rollout that finished after deploy stopped waiting is recorded here, so the row tells the truth.
    if (release.status === 'in_progress' && verdict.state !== 'in_progress') {
      release = await app.store.releases.setStatus(release.id, verdict.state, verdict.state === 'failed' ? verdict.reason : null);
      project = await app.store.projects.update(name, { deploymentStatus: verdict.state === 'succeeded' ? 'running' : 'failed' });
      app.events.projectChanged(name);
    }
  }
  return {
    project: name,
    url: project.domain && workload.exists ? `https://${project.domain}` : null,
    deploymentStatus: project.deploymentStatus,
    digest: project.deploymentDigest,
    release,
    rollout,
    workload,
  };
}
