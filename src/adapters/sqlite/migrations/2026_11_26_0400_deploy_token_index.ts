/**
 * The deploy webhook finds the calling project by its token's hash; an index keeps that one lookup
 * instead of a scan of every project per delivery.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('idx_projects_deploy_token_hash').on('projects').column('deploy_token_hash').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('idx_projects_deploy_token_hash').ifExists().execute();
}
