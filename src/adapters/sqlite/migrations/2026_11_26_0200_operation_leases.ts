/**
 * Operation leases: which process runs an operation, until when. Lets a start-up resume tell an
 * operation a crash abandoned from one another live process is running on the same database.
 * Frozen in time: takes `Kysely<any>` and imports no app code.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operations').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('operations').addColumn('lease_expires_at', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operations').dropColumn('lease_expires_at').execute();
  await db.schema.alterTable('operations').dropColumn('lease_owner').execute();
}
