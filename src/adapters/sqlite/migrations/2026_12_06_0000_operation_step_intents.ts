/**
 * A step's intent: what it is about to ask a backend for, written before the call. A step whose
 * effect needs two calls (Gitea's create, then the marker topic) cannot be made atomic; after a
 * crash between them, the intent is the only record that the effect may be ours.
 * Frozen in time: takes `Kysely<any>` and imports no app code.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operation_steps').addColumn('intent', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operation_steps').dropColumn('intent').execute();
}
