/**
 * @module services/settings/list-env
 * list_env: a project's settings as an agent may see them: plain values, secret names only.
 */
import { validateProjectName } from '../../domain/project-name.js';
import { EMPTY_SETTINGS } from '../../domain/project-settings.js';
import type { AppContext } from '../shared/app-context.js';

export interface EnvView {
  project: string;
  env: Record<string, string>;
  /** Names only: the values are in the cluster Secret and never shown. */
  secrets: string[];
  healthCheckPath: string | null;
  cpu: string;
  memory: string;
  port: number;
}

export async function listEnv(app: AppContext, name: string): Promise<EnvView> {
  const project = validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  await app.store.projects.require(project);
  const s = (await app.store.settings.get(project)) ?? EMPTY_SETTINGS;
  const latest = await app.store.releases.latest(project);
  return {
    project,
    env: { ...s.env },
    secrets: Object.keys(s.secrets).sort(),
    healthCheckPath: s.healthCheckPath,
    cpu: s.cpu ?? app.config.DEPLOY_CPU_LIMIT,
    memory: s.memory ?? app.config.DEPLOY_MEMORY_LIMIT,
    port: s.port ?? latest?.port ?? 8080,
  };
}
