/**
 * Installation secrets: random keys threesix makes for itself on first use (e.g. the key that
 * turns release settings into a keyed hash). Existing release hashes were unkeyed sha256 of env
 * and secret values, so they are cleared: a guess at a short secret could be confirmed against them.
 * Frozen in time: types only the column it writes, as it was then, and imports no app code.
 */
import type { Kysely } from 'kysely';

/** The one column this migration writes, as it was on 2026-11-26. */
interface ReleasesThen {
  releases: { env_hash: string | null };
}

export async function up(db: Kysely<ReleasesThen>): Promise<void> {
  await db.schema
    .createTable('install_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.updateTable('releases').set({ env_hash: null }).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('install_secrets').ifExists().execute();
}
