/**
 * @module ports/project-settings
 * A project's lasting settings (domain/project-settings.ts): one row per project, written whole.
 * Callers change them under the project's deploy lock, so read-modify-write needs no more.
 */
import type { ProjectSettings } from '../domain/project-settings.js';

export interface ProjectSettingsStore {
  /** Undefined when the project never had settings (it runs with what its Deployment holds). */
  get(project: string): Promise<ProjectSettings | undefined>;
  put(project: string, settings: ProjectSettings): Promise<void>;
  delete(project: string): Promise<void>;
}
