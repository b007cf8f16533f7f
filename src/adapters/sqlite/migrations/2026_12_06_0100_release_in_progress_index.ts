/**
 * The background rollout watch asks, at start and every half minute, which releases are still
 * in_progress. A partial index holds just those rows (a handful among the whole release history),
 * so the question costs the same however many releases were ever made.
 * Frozen in time: takes `Kysely<unknown>` and imports no app code.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('idx_releases_in_progress')
    .on('releases')
    .column('id')
    .where(sql.ref('status'), '=', 'in_progress')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('idx_releases_in_progress').ifExists().execute();
}
