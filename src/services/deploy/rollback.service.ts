/**
 * @module services/rollback
 * Puts an earlier release back: the one named, or the newest healthy release that is not what
 * runs now. It is recorded as a new release so the history reads in order. Replicas are project
 * state, not part of what is rolled back: the project keeps its current count (set by scale or the
 * last deploy) unless the caller names one. So are env, secrets, port, probes and resources
 * (set_env, configure): the earlier image runs with the current settings.
 */
import { validateReplicas } from '../../domain/env-vars.js';
import { invalidInput, notFound } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { AppContext } from '../shared/app-context.js';
import { hostsOf } from './project-workload.js';
import { ROLLBACK_REASON, pinnedOf, rolloutRelease, type ReleaseOutcome } from './rollout-release.js';
import { currentSettings } from '../settings/current-settings.js';
import type { ProgressFn } from './watch-rollout.js';

export async function rollbackProject(
  app: AppContext,
  input: { project: string; release?: number; replicas?: number; dryRun?: boolean },
  hooks: { progress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<ReleaseOutcome & { fromReleaseId: number }> {
  const name = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  if (input.release !== undefined && (!Number.isInteger(input.release) || input.release < 1))
    throw invalidInput('release must be a positive release id from list_releases');
  const replicas =
    input.replicas === undefined ? undefined : validateReplicas(input.replicas, app.config.THREESIX_MAX_REPLICAS);
  const budgetMs = app.config.THREESIX_DEPLOY_WAIT_S * 1000;
  const wanted = { release: input.release, replicas };
  if (input.dryRun) return pick(app, name, wanted, true, budgetMs, hooks);
  return app.locks.run(name, 'rollback', budgetMs, (waitedMs) =>
    pick(app, name, wanted, false, Math.max(1000, budgetMs - waitedMs), hooks),
  );
}

async function pick(
  app: AppContext,
  name: string,
  wanted: { release?: number; replicas?: number },
  dryRun: boolean,
  budgetMs: number,
  hooks: { progress?: ProgressFn; signal?: AbortSignal },
): Promise<ReleaseOutcome & { fromReleaseId: number }> {
  const project = await app.store.projects.require(name);
  const releases = await app.store.releases.list(name, 100);
  const target =
    wanted.release !== undefined
      ? releases.find((r) => r.id === wanted.release)
      : releases.find((r) => r.status === 'succeeded' && r.digest !== project.deploymentDigest);
  if (!target)
    throw notFound(
      wanted.release
        ? `release #${wanted.release} is not a release of "${name}"`
        : `"${name}" has no earlier healthy release`,
      'Call list_releases to see the releases',
    );
  if (!target.digest) throw invalidInput(`release #${target.id} has no digest to deploy`);
  const deployer = await app.backends.deployer.get();
  const hosts = hostsOf(project, app.config.DEFAULT_DOMAIN);
  const replicas = wanted.replicas ?? project.deploymentReplicas;
  if (dryRun) {
    return {
      status: 'dry_run',
      release: { ...target, replicas },
      pinned: pinnedOf(target),
      url: `https://${hosts[0]}`,
      failure: null,
      rolledBackTo: null,
      nextStep: 'Call rollback again without dryRun to apply it',
      fromReleaseId: target.id,
    };
  }
  for (const old of releases)
    if (old.status === 'in_progress') await app.store.releases.setStatus(old.id, 'superseded');
  const settings = await currentSettings(app, name, target);
  const copy = await app.store.releases.create({
    project: name,
    image: target.image,
    digest: target.digest,
    commitSha: target.commitSha,
    envHash: settings.envHash,
    port: settings.port,
    replicas,
    status: 'in_progress',
    reason: `${ROLLBACK_REASON} #${target.id}`,
  });
  const outcome = await rolloutRelease(app, deployer, copy, {
    pinned: pinnedOf(target),
    hosts,
    wait: true,
    apply: true,
    autoRollback: false,
    budgetMs,
    ...settings.runtime,
    ...hooks,
  });
  // rolledBackTo names what this rollback put back, as an automatic rollback's outcome does.
  const status =
    outcome.status === 'succeeded' ? 'succeeded' : outcome.status === 'in_progress' ? 'in_progress' : 'failed';
  return {
    ...outcome,
    rolledBackTo: outcome.rolledBackTo ?? { releaseId: copy.id, fromReleaseId: target.id, image: target.image, status },
    fromReleaseId: target.id,
  };
}
