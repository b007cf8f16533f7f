/**
 * The CI deploy queue: deploys the webhook accepted, persisted so a restart resumes them.
 * Frozen in time: takes `Kysely<unknown>` and imports no app code.
 */
import type { Kysely } from 'kysely';
import { autoIncrementKey } from './portable-types.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deploy_queue')
    .addColumn('id', ...autoIncrementKey(db))
    .addColumn('project', 'text', (c) => c.notNull())
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('image', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('delivery_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('idx_deploy_queue_status')
    .on('deploy_queue')
    .columns(['status', 'project', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deploy_queue').ifExists().execute();
}
