/**
 * @module services/deploy/rollout-release
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * Applies one recorded release and follows it to a verdict, keeping the release and the project
 * row in step. Shared by deploy, rollback and the CI webhook (through deployRelease).
 * A rollback restores the image only: env, secrets, port and the configure settings are project
 * state (services/settings) and every release, rollbacks included, applies the current ones
 * (threesix never stores secret values, so older ones could not be restored anyway). Replicas
 * are project state too and kept as they are.
 */
import { parseImageRef } from '../../domain/image-ref.js';
import type { Release } from '../../domain/project.js';
import type { DeploySpec, Deployer } from '../../ports/deployer.port.js';
import type { AppContext } from '../shared/app-context.js';
import { currentSettings } from '../settings/current-settings.js';
import { watchRollout, type ProgressFn } from './watch-rollout.js';

export interface ReleaseOutcome {
  status: 'succeeded' | 'in_progress' | 'failed' | 'rolled_back' | 'dry_run';
  release: Release;
  pinned: string;
  url: string;
  failure: { reason: string; message: string | null; pod: string | null; logTail: string | null } | null;
  rolledBackTo: {
    releaseId: number;
    fromReleaseId: number;
    image: string;
    status: 'succeeded' | 'in_progress' | 'failed';
  } | null;
  nextStep: string | null;
}

export interface RolloutOptions {
  pinned: string;
  hosts: string[];
  wait: boolean;
  /** false when re-attaching to a release already applied (a retried deploy). */
  apply: boolean;
  env?: Record<string, string>;
  secrets?: Record<string, string>;
  secretChanges?: DeploySpec['secretChanges'];
  healthCheckPath?: DeploySpec['healthCheckPath'];
  resources?: DeploySpec['resources'];
  progress?: ProgressFn;
  signal?: AbortSignal;
  budgetMs?: number;
  autoRollback?: boolean;
}

/** How releases made by rollback start their reason; such releases are never rolled back automatically. */
export const ROLLBACK_REASON = 'rollback to release';
export const AUTO_ROLLBACK_REASON = `automatic ${ROLLBACK_REASON}`;

/** Whether a release was made by rollback or auto-rollback (recorded in its reason at creation). */
export function isRollbackRelease(release: Release): boolean {
  return (release.reason ?? '').includes(`${ROLLBACK_REASON} #`);
}

/** For a release made by auto-rollback: the healthy release it put back and the one that failed. */
export function autoRollbackOf(release: Release): { restoredReleaseId: number; failedReleaseId: number } | null {
  const m = new RegExp(`^${AUTO_ROLLBACK_REASON} #(\\d+) after release #(\\d+) failed`).exec(release.reason ?? '');
  return m ? { restoredReleaseId: Number(m[1]), failedReleaseId: Number(m[2]) } : null;
}

export function pinnedOf(release: Release): string {
  const ref = parseImageRef(release.image);
  return `${ref.registry}/${ref.repository}@${release.digest}`;
}

export async function rolloutRelease(
  app: AppContext,
  deployer: Deployer,
  release: Release,
  o: RolloutOptions,
): Promise<ReleaseOutcome> {
  const project = release.project;
  const url = `https://${o.hosts[0]}`;
  const started = Date.now();
  if (o.apply) {
    await app.store.projects.update(project, {
      deploymentStatus: 'deploying',
      deploymentImage: release.image,
      deploymentDigest: release.digest,
      deploymentReplicas: release.replicas,
      ...(release.commitSha ? { deployedSha: release.commitSha } : {}),
    });
    app.events.projectChanged(project);
    try {
      await deployer.apply({
        project,
        image: o.pinned,
        port: release.port,
        replicas: release.replicas,
        env: o.env,
        secrets: o.secrets,
        secretChanges: o.secretChanges,
        healthCheckPath: o.healthCheckPath,
        resources: o.resources,
        hosts: o.hosts,
        releaseId: release.id,
        commitSha: release.commitSha,
      });
    } catch (error) {
      await app.store.releases.setStatus(release.id, 'failed', `apply failed: ${(error as Error).message}`);
      await app.store.projects.update(project, { deploymentStatus: 'failed' });
      app.events.projectChanged(project);
      throw error;
    }
  }
  const base = { pinned: o.pinned, url, failure: null, rolledBackTo: null };
  // A retry of a release that already finished reports that, not "in progress".
  if (!o.wait && !o.apply && release.status === 'succeeded')
    return { ...base, status: 'succeeded', release, nextStep: null };
  if (!o.wait)
    return {
      ...base,
      status: 'in_progress',
      release,
      nextStep: `Call deploy_status with project "${project}" to follow release #${release.id}`,
    };
  const budgetMs = o.budgetMs ?? app.config.THREESIX_DEPLOY_WAIT_S * 1000;
  const { verdict, logTail } = await watchRollout(
    deployer,
    { project, image: o.pinned, replicas: release.replicas },
    budgetMs,
    o,
  );
  if (verdict.state === 'in_progress') {
    return {
      ...base,
      status: 'in_progress',
      release,
      nextStep: `Still rolling out (${verdict.ready}/${verdict.desired} ready). Call deploy_status with project "${project}" in a few seconds; calling deploy again with the same image reports this same release #${release.id}`,
    };
  }
  if (verdict.state === 'succeeded') {
    const done = await app.store.releases.setStatus(release.id, 'succeeded'); // keeps a rollback's reason
    await app.store.projects.update(project, { deploymentStatus: release.replicas === 0 ? 'stopped' : 'running' });
    app.events.projectChanged(project);
    return { ...base, status: 'succeeded', release: done, nextStep: null };
  }
  return settleFailure(app, deployer, release, verdict, logTail, { ...o, budgetMs: budgetMs - (Date.now() - started) });
}

export type FailureVerdict = { reason: string; message: string | null; pod: string | null };

/**
 * Records a failed release and, when auto-rollback is on and an earlier release was healthy, puts
 * that one back as a new release and follows it. Used when deploy sees the failure while waiting
 * and when the background rollout watch sees it afterwards. The failure is claimed with a
 * compare-and-set on the release (in_progress → failed): whoever settled it first, in this process
 * or another on the same database, is the only one that rolls back.
 */
export async function settleFailure(
  app: AppContext,
  deployer: Deployer,
  release: Release,
  verdict: FailureVerdict,
  logTail: string | null,
  o: Pick<RolloutOptions, 'pinned' | 'hosts' | 'progress' | 'signal' | 'autoRollback'> & { budgetMs: number },
): Promise<ReleaseOutcome> {
  const project = release.project;
  const base = { pinned: o.pinned, url: `https://${o.hosts[0]}`, failure: null, rolledBackTo: null };
  const reason = `${verdict.reason}${verdict.message ? `: ${verdict.message}` : ''}`;
  const failure = { reason: verdict.reason, message: verdict.message, pod: verdict.pod, logTail };
  const failed = await app.store.releases.transition(release.id, 'in_progress', 'failed', reason);
  if (!failed) {
    const now = (await app.store.releases.get(release.id)) ?? release;
    return {
      ...base,
      status: 'failed',
      release: now,
      failure,
      nextStep: `Release #${release.id} was settled elsewhere meanwhile (${now.status}); call deploy_status with project "${project}" to see what runs`,
    };
  }
  const previous =
    (o.autoRollback ?? app.config.THREESIX_AUTO_ROLLBACK)
      ? (await app.store.releases.list(project, 50)).find(
          (r) => r.status === 'succeeded' && r.id < release.id && r.digest && r.digest !== release.digest,
        )
      : undefined;
  if (!previous) {
    await app.store.projects.update(project, { deploymentStatus: 'failed' });
    app.events.projectChanged(project);
    return {
      ...base,
      status: 'failed',
      release: failed,
      failure,
      nextStep: 'Fix the cause shown in failure (see logs), push a new image, and deploy again',
    };
  }
  // The count the project runs now (scale may have changed it since the failed release started).
  const { deploymentReplicas: replicas } = await app.store.projects.require(project);
  // The image goes back; the project's settings (env, port, probes, resources) stay the current ones.
  const settings = await currentSettings(app, project, previous);
  const copy = await app.store.releases.create({
    project,
    image: previous.image,
    digest: previous.digest,
    commitSha: previous.commitSha,
    envHash: settings.envHash,
    port: settings.port,
    replicas,
    status: 'in_progress',
    reason: `${AUTO_ROLLBACK_REASON} #${previous.id} after release #${release.id} failed`,
  });
  const rolledBack = await app.store.releases.setStatus(release.id, 'rolled_back', reason);
  app.logger.warn('deploy: automatic rollback', {
    project,
    failed: release.id,
    restored: previous.id,
    reason: verdict.reason,
  });
  const back = await rolloutRelease(app, deployer, copy, {
    pinned: pinnedOf(previous),
    hosts: o.hosts,
    wait: true,
    apply: true,
    ...settings.runtime,
    progress: o.progress,
    signal: o.signal,
    budgetMs: Math.max(5000, o.budgetMs),
    autoRollback: false,
  });
  return {
    ...base,
    status: 'rolled_back',
    release: rolledBack,
    failure,
    rolledBackTo: {
      releaseId: copy.id,
      fromReleaseId: previous.id,
      image: previous.image,
      status: back.status === 'succeeded' ? 'succeeded' : back.status === 'in_progress' ? 'in_progress' : 'failed',
    },
    nextStep: `Release #${release.id} failed (${verdict.reason}); release #${previous.id} was put back. Fix the cause and deploy again`,
  };
}
