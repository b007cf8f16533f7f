/**
 * Operation leases: which process runs an operation, until when. Lets a start-up resume tell an
 * operation a crash abandoned from one another live process is running on the same database.
 * Frozen in time: takes `Kysely<unknown>` and imports no app code.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('operations').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('operations').addColumn('lease_expires_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('operations').dropColumn('lease_expires_at').execute();
  await db.schema.alterTable('operations').dropColumn('lease_owner').execute();
}
