/**
 * @module services/deploy-release
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * The one way a release reaches the cluster, for the deploy tool and the CI webhook alike: require
 * the project, check the image policy and resolve the image to a digest in the registry, run the
 * claim check (foreign objects, hosts held elsewhere) before anything is recorded, record a
 * release, apply, watch the rollout within THREESIX_DEPLOY_WAIT_S, and on failure put the last
 * healthy release back (THREESIX_AUTO_ROLLBACK). A retry with the same
 * image and settings reports the release already under way instead of starting another.
 * Env, secret names, port and the configure settings are project state (services/settings): a
 * deploy that gives env, secrets or port makes them the project's, one that omits them keeps them.
 */
import { validateEnv, validatePort, validateReplicas, validateSettings } from '../../domain/env-vars.js';
import { invalidInput } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { Release } from '../../domain/project.js';
import type { ProjectSettings } from '../../domain/project-settings.js';
import type { DeploySpec } from '../../ports/deployer.port.js';
import type { AppContext } from '../shared/app-context.js';
import { checkImage, pinImage } from './image-policy.js';
import { assertProjectClaims } from '../domains/host-claims.js';
import { hostsOf, requireDeployableProject } from './project-workload.js';
import { rolloutRelease, type ReleaseOutcome } from './rollout-release.js';
import { digestSecretValue } from './settings-hash.js';
import { deploySettings } from '../settings/deploy-settings.js';
import { portOf, runtimeOf, settingsEnvHash } from '../settings/project-runtime.js';
import type { ProgressFn } from './watch-rollout.js';

export interface DeployReleaseInput {
  project: string;
  /**
   * `registry/path:tag` or `registry/path@sha256:...`: the project's own repository in REGISTRY_URL, or one
   * THREESIX_ALLOWED_IMAGES allows.
   */
  image: string;
  /** Omitted: the project's port (configure, or the last release's; 8080 at first). */
  port?: number;
  /** Omitted: keep the project's current count (1 for a new project); given: it becomes the project's count. */
  replicas?: number;
  /** Omitted: keep the env the project runs with now. */
  env?: Record<string, string>;
  /** Omitted: keep the current secret values. Never stored by threesix or echoed. */
  secrets?: Record<string, string>;
  /** set_env and configure: how the project's settings change with this release (applied under the deploy lock). */
  change?: (settings: ProjectSettings) => ProjectSettings;
  /** set_env: secret values to write into and names to remove from the env Secret. */
  secretChanges?: DeploySpec['secretChanges'];
  /** The git commit the image was built from, when known (CI knows it). */
  commitSha?: string | null;
  /** For the audit trail, e.g. "mcp:claude-code" or "ci:woodpecker". */
  actor: string;
  /** Wait for the rollout (at most THREESIX_DEPLOY_WAIT_S). */
  wait?: boolean;
  dryRun?: boolean;
}

export type DeployReleaseResult = ReleaseOutcome & { dryRun: boolean; reused: boolean };

export async function deployRelease(
  app: AppContext,
  input: DeployReleaseInput,
  hooks: { progress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<DeployReleaseResult> {
  const project = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  const requestedPort = input.port === undefined ? undefined : validatePort(input.port);
  const requestedReplicas =
    input.replicas === undefined ? undefined : validateReplicas(input.replicas, app.config.THREESIX_MAX_REPLICAS);
  const env = input.env === undefined ? undefined : validateEnv(input.env, 'env');
  const secrets = input.secrets === undefined ? undefined : validateEnv(input.secrets, 'secrets');
  validateSettings(env, secrets);
  if (input.commitSha != null && !/^[0-9a-f]{7,64}$/.test(input.commitSha))
    throw invalidInput('commitSha must be 7-64 lowercase hex characters');
  const ref = checkImage(app, project, input.image);
  // CI tags each image with the full commit id it built (the pipeline's CI_COMMIT_SHA), so a manual
  // deploy of such a tag records that commit, as the webhook's deploy of the same image would.
  const commitSha = input.commitSha ?? (ref.tag && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(ref.tag) ? ref.tag : null);
  const existing = await requireDeployableProject(app, project);
  const pinned = await pinImage(app, ref);
  const deployer = await app.backends.deployer.get();
  const secretDigests =
    secrets === undefined
      ? undefined
      : Object.fromEntries(
          await Promise.all(
            Object.entries(secrets).map(async ([k, v]) => [k, await digestSecretValue(app, k, v)] as const),
          ),
        );
  /** The project's settings with this deploy's env, secrets, port and change in them; written only when applied. */
  const planSettings = async (latest: Release | undefined) => {
    const stored = await app.store.settings.get(project);
    const plan = deploySettings(stored, { env, secretDigests, port: requestedPort, change: input.change });
    const port = portOf(requestedPort, plan.settings, latest?.port);
    const envHash = plan.settings ? await settingsEnvHash(app, plan.settings) : (latest?.envHash ?? null);
    return { ...plan, port, envHash };
  };

  if (input.dryRun) {
    await assertProjectClaims(app, project, hostsOf(existing, app.config.DEFAULT_DOMAIN));
    const latest = await app.store.releases.latest(project);
    const { envHash, port } = await planSettings(latest);
    const replicas = requestedReplicas ?? existing?.deploymentReplicas ?? 1;
    const plan: Release = {
      id: 0,
      project,
      image: input.image,
      digest: pinned.digest,
      commitSha,
      envHash,
      port,
      replicas,
      status: 'pending',
      reason: 'dry run: nothing was applied',
      createdAt: '',
      updatedAt: '',
    };
    return {
      status: 'dry_run',
      release: plan,
      pinned: pinned.pinned,
      url: `https://${existing.domain ?? `${project}.${app.config.DEFAULT_DOMAIN}`}`,
      failure: null,
      rolledBackTo: null,
      nextStep: 'Call deploy again without dryRun to apply it',
      dryRun: true,
      reused: false,
    };
  }
  // Waiting for another deploy of this project counts against the same THREESIX_DEPLOY_WAIT_S bound.
  const budgetMs = app.config.THREESIX_DEPLOY_WAIT_S * 1000;
  return app.locks.run(project, 'deploy', budgetMs, async (waitedMs, preempted) => {
    // Read the history only now: an operation that held the lock may just have changed it.
    const latest = await app.store.releases.latest(project);
    const plan = await planSettings(latest);
    const { envHash, port } = plan;
    // Read again under the lock: add_domain or delete_project may just have changed the row.
    const row = await requireDeployableProject(app, project);
    await assertProjectClaims(app, project, hostsOf(row, app.config.DEFAULT_DOMAIN));
    // Replicas are project state (set by scale): a deploy that names none keeps what runs now.
    const replicas = requestedReplicas ?? row.deploymentReplicas;
    const same =
      latest &&
      latest.digest === pinned.digest &&
      latest.envHash === envHash &&
      latest.port === port &&
      latest.replicas === replicas;
    const rollout = {
      pinned: pinned.pinned,
      hosts: hostsOf(row, app.config.DEFAULT_DOMAIN),
      wait: input.wait ?? true,
      budgetMs: Math.max(1000, budgetMs - waitedMs),
      ...hooks,
      // Stop following the rollout (answer in_progress; the rollout watch settles it) when the caller
      // gives up or a delete_project waits for this project's lock.
      signal: hooks.signal ? AbortSignal.any([hooks.signal, preempted]) : preempted,
    };
    const live =
      row.deploymentStatus !== 'none' && row.deploymentStatus !== 'stopped' && row.deploymentDigest === pinned.digest;
    const secretChanges = secrets === undefined ? mergeUnsets(input.secretChanges, plan.dropSecrets) : undefined;
    const runtime = { ...runtimeOf(app, plan.settings), secrets, secretChanges };
    // An in-progress release is reused even when the row does not name it yet: a deploy killed between
    // recording the release and updating the row leaves exactly that, and its redo must not make a second.
    const retry =
      same &&
      (latest.status === 'in_progress' ? row.deploymentStatus !== 'stopped' : live && latest.status === 'succeeded');
    if (retry) {
      // A retry (the client gave up waiting, or CI redelivered): report that release, do not start another.
      // One still in progress is applied again, identically: the deploy that made it may have died before
      // its apply reached the cluster (a replica killed mid-deploy, whose queued deploy another replica
      // redoes); the same apply again changes nothing where it did.
      const again = latest.status === 'in_progress' ? { apply: true, ...runtime } : { apply: false };
      const outcome = await rolloutRelease(app, deployer, latest, { ...rollout, ...again });
      return { ...outcome, dryRun: false, reused: true };
    }
    if (plan.changed && plan.settings) await app.store.settings.put(project, plan.settings);
    for (const old of await app.store.releases.list(project, 20)) {
      if (old.status === 'in_progress' || old.status === 'pending')
        await app.store.releases.setStatus(old.id, 'superseded');
    }
    const release = await app.store.releases.create({
      project,
      image: input.image,
      digest: pinned.digest,
      commitSha,
      envHash,
      port,
      replicas,
      status: 'in_progress',
    });
    app.logger.info('deploy: release created', {
      project,
      release: release.id,
      digest: pinned.digest,
      actor: input.actor,
    });
    const outcome = await rolloutRelease(app, deployer, release, { ...rollout, apply: true, ...runtime });
    return { ...outcome, dryRun: false, reused: false };
  });
}

/** set_env's secret changes plus the secret names a deploy's plain env took over. */
function mergeUnsets(changes: DeploySpec['secretChanges'], drop: string[]): DeploySpec['secretChanges'] {
  if (!changes && drop.length === 0) return undefined;
  return { set: changes?.set ?? {}, unset: [...new Set([...(changes?.unset ?? []), ...drop])] };
}
