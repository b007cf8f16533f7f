/**
 * @module services/reconcile/database-drift
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * Reconcile's view of project databases. Which projects should have one is read from the audit
 * trail (the newest of create_database's `database.create` and delete_database's or
 * delete_project's `database.delete` for the project), since the rows keep no database column;
 * what exists is one list of the Clusters in the namespace. Reported, never repaired: a missing
 * database cannot be brought back by making an empty one, and an orphan holds data someone may want.
 */
import type { ClusterInNamespace } from '../../ports/database.port.js';
import { databaseClusterName } from '../../ports/database.port.js';
import type { Project } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';
import type { Drift } from './find-drift.js';

export const DATABASE_CREATED = 'database.create';
export const DATABASE_DELETED = 'database.delete';
/** Enough for every project a server holds; older events of a project are superseded by newer ones anyway. */
const AUDIT_READ_LIMIT = 100_000;

/** Projects whose newest database event is a create. */
export async function projectsWithDatabase(app: AppContext): Promise<Set<string>> {
  const [created, deleted] = await Promise.all(
    [DATABASE_CREATED, DATABASE_DELETED].map((action) => app.store.audit.list({ action, limit: AUDIT_READ_LIMIT })),
  );
  const newestDelete = new Map<string, number>();
  for (const event of deleted!) if (!newestDelete.has(event.target)) newestDelete.set(event.target, event.id);
  const expected = new Set<string>();
  for (const event of created!) if (event.id > (newestDelete.get(event.target) ?? 0)) expected.add(event.target);
  return expected;
}

export function findDatabaseDrift(
  projects: readonly Project[],
  clusters: readonly ClusterInNamespace[],
  expected: ReadonlySet<string>,
  orphans: boolean,
): Drift[] {
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const drift: Drift[] = [];
  for (const p of projects.filter((p) => p.state === 'ready' && expected.has(p.name))) {
    const cluster = byName.get(databaseClusterName(p.name));
    if (!cluster)
      drift.push({
        project: p.name,
        backend: 'database',
        kind: 'missing',
        detail: `the database Cluster ${databaseClusterName(p.name)} of ${p.name} is gone from the cluster (create_database makes a new, empty one)`,
      });
    else if (cluster.project !== p.name)
      drift.push({
        project: p.name,
        backend: 'database',
        kind: 'foreign',
        detail: `Cluster ${cluster.name} is not threesix's for ${p.name}; it is left alone`,
      });
  }
  if (orphans) {
    const names = new Set(projects.map((p) => p.name));
    for (const c of clusters.filter((c) => c.project !== null && !names.has(c.project))) {
      drift.push({
        project: c.project!,
        backend: 'database',
        kind: 'orphan',
        detail: `database Cluster ${c.name} carries threesix labels but no project owns it; it is not removed automatically (it holds data)`,
      });
    }
  }
  return drift;
}
