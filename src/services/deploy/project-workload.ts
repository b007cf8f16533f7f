/**
 * @module services/deploy/project-workload
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * What a deployment needs of its project: the row (deploy never creates one: create_project makes
 * the claims a project holds, and a deploy to an unknown name is NOT_FOUND) and the Ingress hosts
 * it serves.
 */
import { notFound, preconditionFailed } from '../../domain/errors.js';
import type { Project } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';

export async function requireDeployableProject(app: AppContext, name: string): Promise<Project> {
  const existing = await app.store.projects.get(name);
  if (!existing)
    throw notFound(
      `project "${name}" does not exist`,
      `Create it first with create_project {"name": "${name}"}; deploy does not create projects`,
    );
  if (existing.state === 'deleting')
    throw preconditionFailed(
      `project "${name}" is being deleted`,
      'Wait for delete_project to finish, then create it again',
    );
  return existing;
}

export function hostsOf(project: Project, defaultDomain: string): string[] {
  return [...new Set([project.domain ?? `${project.name}.${defaultDomain}`, ...project.customDomains])];
}
