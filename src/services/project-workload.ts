/**
 * @module services/project-workload
 * The project row a deployment belongs to: created on first deploy when no lifecycle created it,
 * and the Ingress hosts it serves.
 */
import { preconditionFailed } from '../domain/errors.js';
import type { Project } from '../domain/project.js';
import type { AppContext } from './app-context.js';

export async function ensureProject(app: AppContext, name: string): Promise<Project> {
  const existing = await app.store.projects.get(name);
  if (existing) {
    if (existing.state === 'deleting') throw preconditionFailed(`project "${name}" is being deleted`, 'Wait for delete_project to finish, then create it again');
    return existing;
  }
  try {
    const created = await app.store.projects.create({ name, description: '', state: 'ready', domain: `${name}.${app.config.DEFAULT_DOMAIN}` });
    app.events.projectListChanged();
    return created;
  } catch (error) {
    const raced = await app.store.projects.get(name);
    if (raced) return raced;
    throw error;
  }
}

export function hostsOf(project: Project, defaultDomain: string): string[] {
  return [...new Set([project.domain ?? `${project.name}.${defaultDomain}`, ...project.customDomains])];
}

