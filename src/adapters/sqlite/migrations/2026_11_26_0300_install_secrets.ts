/**
 * Installation secrets: random keys threesix makes for itself on first use (e.g. the key that
 * turns release settings into a keyed hash). Existing release hashes were unkeyed sha256 of env
 * and secret values, so they are cleared: a guess at a short secret could be confirmed against them.
 * Frozen in time: takes `Kysely<any>` and imports no app code.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('install_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.updateTable('releases').set({ env_hash: null }).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('install_secrets').ifExists().execute();
}
