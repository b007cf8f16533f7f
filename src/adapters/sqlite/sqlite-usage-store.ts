/**
 * @module adapters/sqlite/sqlite-usage-store
 * The UsageStore port on SQLite: each reading is upserted into its minute and hour rows, folding
 * the running average and the peak in SQL (INSERT ... ON CONFLICT DO UPDATE), so concurrent
 * writers never lose a sample to a read-modify-write race. The same SQL runs on PostgreSQL: the
 * peak is a CASE, since SQLite's two-argument `max` is PostgreSQL's `greatest`.
 */
import { sql, type Kysely } from 'kysely';
import type { UsageBucket, UsagePoint, UsageResolution, UsageStore } from '../../ports/usage-store.port.js';
import type { Database } from './schema.js';

const BUCKET_MS: Record<UsageResolution, number> = { minute: 60_000, hour: 3_600_000 };

export class SqliteUsageStore implements UsageStore {
  constructor(private readonly db: Kysely<Database>) {}

  async claimSlot(slotStart: number, owner: string): Promise<boolean> {
    const result = await this.db
      .insertInto('usage_slots')
      .values({ slot_start: slotStart, owner })
      .onConflict((oc) => oc.column('slot_start').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async record(at: number, points: UsagePoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (const point of points) {
        for (const resolution of ['minute', 'hour'] as const) {
          const bucket = Math.floor(at / BUCKET_MS[resolution]) * BUCKET_MS[resolution];
          await tx
            .insertInto('usage_samples')
            .values({
              project: point.project,
              resolution,
              bucket_start: bucket,
              cpu_avg: point.cpuMillicores,
              cpu_peak: point.cpuMillicores,
              memory_avg: point.memoryBytes,
              memory_peak: point.memoryBytes,
              restarts: point.restarts,
              samples: 1,
            })
            .onConflict((oc) =>
              oc.columns(['project', 'resolution', 'bucket_start']).doUpdateSet({
                // Columns qualified with the table name, as PostgreSQL needs; SQLite accepts it.
                cpu_avg: sql`(usage_samples.cpu_avg * usage_samples.samples + excluded.cpu_avg) / (usage_samples.samples + 1)`,
                cpu_peak: sql`case when excluded.cpu_peak > usage_samples.cpu_peak then excluded.cpu_peak else usage_samples.cpu_peak end`,
                memory_avg: sql`(usage_samples.memory_avg * usage_samples.samples + excluded.memory_avg) / (usage_samples.samples + 1)`,
                memory_peak: sql`case when excluded.memory_peak > usage_samples.memory_peak then excluded.memory_peak else usage_samples.memory_peak end`,
                restarts: sql`excluded.restarts`,
                samples: sql`usage_samples.samples + 1`,
              }),
            )
            .execute();
        }
      }
    });
  }

  async series(project: string, resolution: UsageResolution, since: number): Promise<UsageBucket[]> {
    const rows = await this.db
      .selectFrom('usage_samples')
      .selectAll()
      .where('project', '=', project)
      .where('resolution', '=', resolution)
      .where('bucket_start', '>=', since)
      .orderBy('bucket_start')
      .execute();
    return rows.map((r) => ({
      start: r.bucket_start,
      cpuAvg: r.cpu_avg,
      cpuPeak: r.cpu_peak,
      memoryAvg: r.memory_avg,
      memoryPeak: r.memory_peak,
      restarts: r.restarts,
      samples: r.samples,
    }));
  }

  async prune(options: { minutesBefore: number; hoursBefore: number }): Promise<{ minutes: number; hours: number }> {
    const remove = (resolution: UsageResolution, before: number) =>
      this.db
        .deleteFrom('usage_samples')
        .where('resolution', '=', resolution)
        .where('bucket_start', '<', before)
        .executeTakeFirst();
    const [minutes, hours] = await Promise.all([
      remove('minute', options.minutesBefore),
      remove('hour', options.hoursBefore),
    ]);
    await this.db.deleteFrom('usage_slots').where('slot_start', '<', options.minutesBefore).execute();
    return { minutes: Number(minutes.numDeletedRows), hours: Number(hours.numDeletedRows) };
  }
}
