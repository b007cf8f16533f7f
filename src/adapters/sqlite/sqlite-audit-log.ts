import type { Kysely } from 'kysely';
import type { AuditEvent } from '../../domain/project.js';
import type { AuditLog } from '../../ports/state-store.port.js';
import { compileOnce } from './compile-once.js';
import { nowIso, parseJson } from './json.js';
import type { Database } from './schema.js';

// Every tool call that writes and every webhook delivery adds a row: compiled once (see compile-once.ts).
const INSERT_AUDIT_EVENT = compileOnce<'time' | 'actor' | 'action' | 'target' | 'result' | 'detail'>((db, slot) =>
  db.insertInto('audit_events').values({
    time: slot('time'),
    actor: slot('actor'),
    action: slot('action'),
    target: slot('target'),
    result: slot('result'),
    detail: slot('detail'),
  }),
);

/** Inserts one audit row; `db` may be a transaction, so the event commits with the change it describes. */
export async function insertAuditEvent(
  db: Kysely<Database>,
  event: Omit<AuditEvent, 'id' | 'time'> & { time?: string },
): Promise<void> {
  const row = {
    time: event.time ?? nowIso(),
    actor: event.actor,
    action: event.action,
    target: event.target,
    result: event.result,
    detail: event.detail ? JSON.stringify(event.detail) : null,
  };
  await db.executeQuery(INSERT_AUDIT_EVENT(db, row));
}

export class SqliteAuditLog implements AuditLog {
  constructor(private readonly db: Kysely<Database>) {}

  async record(event: Omit<AuditEvent, 'id' | 'time'> & { time?: string }): Promise<void> {
    await insertAuditEvent(this.db, event);
  }

  async list({
    target,
    action,
    limit = 100,
  }: {
    target?: string;
    action?: string;
    limit?: number;
  }): Promise<AuditEvent[]> {
    let query = this.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(limit);
    if (target) query = query.where('target', '=', target);
    if (action) query = query.where('action', '=', action);
    const rows = await query.execute();
    return rows.map((row) => ({
      ...row,
      result: row.result as AuditEvent['result'],
      detail: parseJson<Record<string, unknown> | null>(row.detail, null),
    }));
  }
}
