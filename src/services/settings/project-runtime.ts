/**
 * @module services/settings/project-runtime
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * Turns a project's stored settings into what every release applies (env, probes, resources,
 * port) and into the release's envHash, so deploy, the CI webhook, rollback and automatic
 * rollback all run a project with the same settings. Projects that never had settings keep the
 * old behaviour: the cluster's env as it is, the operator's defaults, the release's port.
 */
import { cpuMillicores, memoryBytes, type ProjectSettings } from '../../domain/project-settings.js';
import type { DeploySpec } from '../../ports/deployer.port.js';
import type { AppContext } from '../shared/app-context.js';
import { hashSettings } from '../deploy/settings-hash.js';

export type RuntimeSpec = Pick<DeploySpec, 'env' | 'healthCheckPath' | 'resources'>;

/** The spec fields a release of a project with these settings applies; undefined settings change nothing. */
export function runtimeOf(app: AppContext, settings: ProjectSettings | undefined): RuntimeSpec {
  if (!settings) return {};
  const c = app.config;
  const resources = settings.cpu || settings.memory ? resourcesOf(settings, c) : undefined;
  return {
    ...(settings.envManaged ? { env: { ...settings.env } } : {}),
    healthCheckPath: settings.healthCheckPath,
    ...(resources ? { resources } : {}),
  };
}

/**
 * Limits from the settings, the operator's defaults otherwise; a request never above its limit
 * (the API server refuses a Pod whose request exceeds its limit).
 */
function resourcesOf(s: ProjectSettings, c: AppContext['config']): NonNullable<DeploySpec['resources']> {
  const cpuLimit = s.cpu ?? c.DEPLOY_CPU_LIMIT;
  const memoryLimit = s.memory ?? c.DEPLOY_MEMORY_LIMIT;
  const cpuRequest =
    (cpuMillicores(c.DEPLOY_CPU_REQUEST) ?? 0) > (cpuMillicores(cpuLimit) ?? 0) ? cpuLimit : c.DEPLOY_CPU_REQUEST;
  const memoryRequest =
    (memoryBytes(c.DEPLOY_MEMORY_REQUEST) ?? 0) > (memoryBytes(memoryLimit) ?? 0)
      ? memoryLimit
      : c.DEPLOY_MEMORY_REQUEST;
  return { cpuRequest, cpuLimit, memoryRequest, memoryLimit };
}

/**
 * The release's envHash for these settings: keyed like every settings hash. Secrets enter through
 * their per-name digests (the values are not known here), so a changed secret changes the hash.
 * Projects without settings have null (a deploy without env keeps the last release's hash).
 */
export async function settingsEnvHash(app: AppContext, settings: ProjectSettings): Promise<string> {
  const { env, secrets, healthCheckPath, cpu, memory } = settings;
  const runtime = JSON.stringify({ healthCheckPath, cpu, memory });
  return hashSettings(app, { ...env, '\u0000runtime': runtime }, secrets);
}

/** The port a release of the project listens on: the one asked for, the configured one, the last release's, or 8080. */
export function portOf(
  requested: number | undefined,
  settings: ProjectSettings | undefined,
  lastPort: number | undefined,
): number {
  return requested ?? settings?.port ?? lastPort ?? 8080;
}
