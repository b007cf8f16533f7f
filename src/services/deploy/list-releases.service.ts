/**
 * @module services/list-releases
 * The releases recorded for a project, newest first.
 */
import { validateProjectName } from '../../domain/project-name.js';
import type { Release } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';

export async function listReleases(
  app: AppContext,
  name: string,
  limit = 50,
): Promise<{ project: string; releases: Release[] }> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  await app.store.projects.require(name);
  return { project: name, releases: await app.store.releases.list(name, limit) };
}
