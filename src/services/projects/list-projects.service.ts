/**
 * @module services/list-projects
 * Pages through projects from the database only: listing never waits on a backend.
 */
import type { AppContext } from '../shared/app-context.js';
import { toProjectView, type ProjectView } from './project-view.js';

export interface ListProjectsResult {
  projects: ProjectView[];
  nextCursor?: string;
  total: number;
}

export async function listProjects(
  app: AppContext,
  options: { cursor?: string; limit?: number },
): Promise<ListProjectsResult> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const [page, total] = await Promise.all([
    app.store.projects.list({ cursor: options.cursor, limit }),
    app.store.projects.count(),
  ]);
  return {
    projects: page.items.map((p) => toProjectView(p)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    total,
  };
}
