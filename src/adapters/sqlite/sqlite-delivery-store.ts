import type { Kysely } from 'kysely';
import type { DeliveryStore } from '../../ports/state-store.port.js';
import { compileOncePerCount } from './compile-once.js';
import { nowIso } from './json.js';
import type { Database } from './schema.js';

// Once per webhook delivery, with one or two keys: compiled once per count (see compile-once.ts).
const SEEN = compileOncePerCount((db, slot, keys) =>
  db
    .selectFrom('webhook_deliveries')
    .select('key')
    .where(
      'key',
      'in',
      keys.map((k) => slot(k)),
    )
    .limit(1),
);

export class SqliteDeliveryStore implements DeliveryStore {
  constructor(private readonly db: Kysely<Database>) {}

  async claim(delivery: {
    key: string;
    project: string | null;
    sha: string | null;
    status: string;
    reason?: string | null;
  }): Promise<boolean> {
    // The primary key decides: of two concurrent deliveries with one key exactly one inserts.
    const result = await this.db
      .insertInto('webhook_deliveries')
      .values({
        key: delivery.key,
        project: delivery.project,
        sha: delivery.sha,
        status: delivery.status,
        reason: delivery.reason ?? null,
        received_at: nowIso(),
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async setStatus(key: string, status: string, reason?: string | null): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ status, ...(reason === undefined ? {} : { reason }) })
      .where('key', '=', key)
      .execute();
  }

  async get(key: string) {
    const row = await this.db.selectFrom('webhook_deliveries').selectAll().where('key', '=', key).executeTakeFirst();
    return row
      ? { key: row.key, project: row.project, sha: row.sha, status: row.status, reason: row.reason }
      : undefined;
  }

  async seen(keys: string[]): Promise<boolean> {
    if (keys.length === 0) return false;
    const { rows } = await this.db.executeQuery(SEEN(this.db, keys));
    return rows.length > 0;
  }
}
