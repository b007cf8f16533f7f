/**
 * The deploy webhook asks, for every delivery, whether the commit was released before; an index
 * on (project, commit_sha) answers that without reading the project's release history.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('idx_releases_commit').on('releases').columns(['project', 'commit_sha']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('idx_releases_commit').ifExists().execute();
}
