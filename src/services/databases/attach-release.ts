/**
 * @module services/databases/attach-release
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * The app reads its database through env entries the deployer writes into the pod template at
 * every apply (present while the project's Cluster exists). Adding or removing a database therefore
 * rolls out a new release of what runs now: a copy of the newest release that reached the cluster,
 * with the reason saying why.
 */
import type { Release } from '../../domain/project.js';
import type { Deployer } from '../../ports/deployer.port.js';
import type { AppContext } from '../shared/app-context.js';
import { hostsOf } from '../deploy/project-workload.js';
import { pinnedOf, rolloutRelease } from '../deploy/rollout-release.js';

export interface AttachedRelease {
  id: number;
  status: string;
}

/** The release the cluster runs (or is rolling out) now, if any. */
export async function runningRelease(app: AppContext, project: string): Promise<Release | null> {
  const row = await app.store.projects.require(project);
  if (row.deploymentStatus === 'none') return null;
  const releases = await app.store.releases.list(project, 20);
  return releases.find((r) => (r.status === 'succeeded' || r.status === 'in_progress') && r.digest) ?? null;
}

export async function rollOutAgain(
  app: AppContext,
  deployer: Deployer,
  current: Release,
  reason: string,
  budgetMs: number,
): Promise<AttachedRelease> {
  const row = await app.store.projects.require(current.project);
  for (const old of await app.store.releases.list(current.project, 20)) {
    if (old.status === 'in_progress' || old.status === 'pending')
      await app.store.releases.setStatus(old.id, 'superseded');
  }
  const release = await app.store.releases.create({
    project: current.project,
    image: current.image,
    digest: current.digest,
    commitSha: current.commitSha,
    envHash: current.envHash,
    port: current.port,
    replicas: row.deploymentReplicas,
    status: 'in_progress',
    reason,
  });
  const outcome = await rolloutRelease(app, deployer, release, {
    pinned: pinnedOf(current),
    hosts: hostsOf(row, app.config.DEFAULT_DOMAIN),
    wait: true,
    apply: true,
    budgetMs,
  });
  return { id: outcome.release.id, status: outcome.status };
}
