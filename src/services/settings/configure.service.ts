/**
 * @module services/settings/configure
 * configure: the HTTP health path, CPU and memory limits (within THREESIX_MAX_CPU and
 * THREESIX_MAX_MEMORY) and the container port, as project state every later release applies.
 * An empty string puts a setting back to the default (TCP check, operator's limits).
 */
import { validatePort } from '../../domain/env-vars.js';
import { invalidInput } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import {
  validateCpu,
  validateHealthCheckPath,
  validateMemory,
  type ProjectSettings,
} from '../../domain/project-settings.js';
import type { AppContext } from '../shared/app-context.js';
import type { DeployReleaseResult } from '../deploy/deploy-release.service.js';
import type { ProgressFn } from '../deploy/watch-rollout.js';
import { applySettings } from './apply-settings.js';

export interface ConfigureInput {
  project: string;
  healthCheckPath?: string;
  cpu?: string;
  memory?: string;
  port?: number;
  /** Validate only; change nothing. */
  dryRun?: boolean;
  actor: string;
}

/**
 * The release the change rolled out, null when it was only stored (nothing deployed), 'dry_run' when only validated.
 */
export async function configureProject(
  app: AppContext,
  input: ConfigureInput,
  hooks: { progress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<DeployReleaseResult | null | 'dry_run'> {
  const project = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  const patch: Partial<ProjectSettings> = {};
  if (input.healthCheckPath !== undefined) patch.healthCheckPath = validateHealthCheckPath(input.healthCheckPath);
  if (input.cpu !== undefined)
    patch.cpu = input.cpu === '' ? null : validateCpu(input.cpu, app.config.THREESIX_MAX_CPU);
  if (input.memory !== undefined)
    patch.memory = input.memory === '' ? null : validateMemory(input.memory, app.config.THREESIX_MAX_MEMORY);
  if (input.port !== undefined) patch.port = validatePort(input.port);
  if (Object.keys(patch).length === 0)
    throw invalidInput('nothing to change', 'Give healthCheckPath, cpu, memory or port');
  if (input.dryRun) {
    await app.store.projects.require(project);
    return 'dry_run';
  }
  return applySettings(
    app,
    {
      project,
      change: (s) => ({ ...s, ...patch }),
      actor: input.actor,
      audit: { action: 'settings.configure', detail: { ...patch } },
    },
    hooks,
  );
}
