/**
 * The deploy webhook asks, for every delivery, whether the commit was released before; an index
 * on (project, commit_sha) answers that without reading the project's release history.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('idx_releases_commit').on('releases').columns(['project', 'commit_sha']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('idx_releases_commit').ifExists().execute();
}
