/**
 * A step's intent: what it is about to ask a backend for, written before the call. A step whose
 * effect needs two calls (Gitea's create, then the marker topic) cannot be made atomic; after a
 * crash between them, the intent is the only record that the effect may be ours.
 * Frozen in time: takes `Kysely<unknown>` and imports no app code.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('operation_steps').addColumn('intent', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('operation_steps').dropColumn('intent').execute();
}
