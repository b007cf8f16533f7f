/**
 * @module services/get-project
 * One project's stored state. (The lifecycle issue adds live backend status beside it.)
 */
import { validateProjectName } from '../domain/project-name.js';
import type { AppContext } from './app-context.js';
import { toProjectView, type ProjectView } from './project-view.js';

export async function getProject(app: AppContext, name: string): Promise<ProjectView> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  return toProjectView(await app.store.projects.require(name));
}
