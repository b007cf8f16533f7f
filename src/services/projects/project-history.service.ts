/**
 * @module services/projects/project-history
 * A project's releases (newest first) and its audit trail, for the resources that show them.
 * Both come from the database only.
 */
import { validateProjectName } from '../../domain/project-name.js';
import type { AuditEvent, Release } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';

export async function listProjectReleases(
  app: AppContext,
  name: string,
  limit = 50,
): Promise<{ project: string; releases: Release[] }> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  await app.store.projects.require(name);
  return { project: name, releases: await app.store.releases.list(name, limit) };
}

/** Audit events survive deletion, so a deleted project's trail stays readable. */
export async function listProjectEvents(
  app: AppContext,
  name: string,
  limit = 100,
): Promise<{ project: string; events: AuditEvent[] }> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  return { project: name, events: await app.store.audit.list({ target: name, limit }) };
}
