/**
 * Usage history per project (the background usage sampler): one row per project, resolution
 * ('minute' or 'hour') and bucket start, holding the average and peak CPU and memory of the
 * samples folded into it, the latest restart count and how many samples it holds. Kept a day at
 * minute and 30 days at hour resolution (pruned by the sampler).
 * `usage_slots`: one row per sampling slot, inserted by the process that samples it; the primary
 * key lets only one of several processes on a database take each slot.
 * Frozen in time: takes `Kysely<unknown>` and imports no app code.
 */
import type { Kysely } from 'kysely';
import { double, wideInteger } from './portable-types.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('usage_samples')
    .addColumn('project', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text', (c) => c.notNull())
    .addColumn('bucket_start', wideInteger(db), (c) => c.notNull())
    .addColumn('cpu_avg', double(db), (c) => c.notNull())
    .addColumn('cpu_peak', double(db), (c) => c.notNull())
    .addColumn('memory_avg', double(db), (c) => c.notNull())
    .addColumn('memory_peak', double(db), (c) => c.notNull())
    .addColumn('restarts', 'integer', (c) => c.notNull())
    .addColumn('samples', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_samples_pk', ['project', 'resolution', 'bucket_start'])
    .execute();
  // Pruning deletes by age across all projects.
  await db.schema
    .createIndex('idx_usage_samples_age')
    .on('usage_samples')
    .columns(['resolution', 'bucket_start'])
    .execute();
  await db.schema
    .createTable('usage_slots')
    .addColumn('slot_start', wideInteger(db), (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('usage_slots').ifExists().execute();
  await db.schema.dropTable('usage_samples').ifExists().execute();
}
