/**
 * @module services/settings/apply-settings
 * Shared by set_env and configure: a settings change of a deployed project rolls out as a new
 * release of the image it runs now (pinned by digest, so a moved tag is not picked up on the way);
 * one of a project with nothing deployed is only stored, for its first deploy to apply.
 */
import { preconditionFailed } from '../../domain/errors.js';
import type { ProjectSettings } from '../../domain/project-settings.js';
import type { DeploySpec } from '../../ports/deployer.port.js';
import type { AppContext } from '../shared/app-context.js';
import { deployRelease, type DeployReleaseResult } from '../deploy/deploy-release.service.js';
import { pinnedOf } from '../deploy/rollout-release.js';
import type { ProgressFn } from '../deploy/watch-rollout.js';
import { deploySettings } from './deploy-settings.js';

export interface SettingsChange {
  project: string;
  change: (settings: ProjectSettings) => ProjectSettings;
  secretChanges?: DeploySpec['secretChanges'];
  actor: string;
  /** For the audit trail: what changed, names and non-secret settings only (never a value of env or secrets). */
  audit: { action: string; detail: Record<string, unknown> };
}

/** The release the change rolled out, or null when the project has nothing deployed (the change is stored). */
export async function applySettings(
  app: AppContext,
  c: SettingsChange,
  hooks: { progress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<DeployReleaseResult | null> {
  const row = await app.store.projects.require(c.project);
  const running =
    row.deploymentStatus !== 'none' && row.deploymentDigest
      ? (await app.store.releases.list(c.project, 50)).find((r) => r.digest === row.deploymentDigest)
      : undefined;
  if (running) {
    const r = await deployRelease(
      app,
      {
        project: c.project,
        image: pinnedOf(running),
        commitSha: running.commitSha,
        change: c.change,
        secretChanges: c.secretChanges,
        actor: c.actor,
        wait: true,
      },
      hooks,
    );
    await app.store.audit.record({
      actor: c.actor,
      action: c.audit.action,
      target: c.project,
      result: 'ok',
      detail: { ...c.audit.detail, release: r.release.id, status: r.status },
    });
    return r;
  }
  // Secret values live only in the cluster's Secret, which exists only while the project is deployed.
  if (Object.keys(c.secretChanges?.set ?? {}).length > 0) {
    throw preconditionFailed(
      `"${c.project}" has nothing deployed to hold secret values`,
      'Deploy it first (push to its repository, or call deploy), then call set_env with the secrets',
    );
  }
  await app.locks.run(c.project, 'settings', app.config.THREESIX_DEPLOY_WAIT_S * 1000, async () => {
    const plan = deploySettings(await app.store.settings.get(c.project), { change: c.change });
    if (plan.changed && plan.settings) await app.store.settings.put(c.project, plan.settings);
  });
  await app.store.audit.record({
    actor: c.actor,
    action: c.audit.action,
    target: c.project,
    result: 'ok',
    detail: { ...c.audit.detail, release: null, status: 'stored' },
  });
  return null;
}
