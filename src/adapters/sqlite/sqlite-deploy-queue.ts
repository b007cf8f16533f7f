/**
 * @module adapters/sqlite/sqlite-deploy-queue
 * The DeployQueueStore on the deploy_queue table; dedup keys go to webhook_deliveries and the
 * audit event to audit_events in the same transaction, so the keys' primary key decides races
 * between concurrent deliveries and a queued deploy is never left unaudited.
 */
import type { Kysely, Selectable } from 'kysely';
import type {
  DeployQueueStore,
  EnqueueResult,
  NewAuditEvent,
  QueuedDeploy,
  QueuedDeployStatus,
} from '../../ports/deploy-queue.port.js';
import { compileOnce, compileOncePerCount } from './compile-once.js';
import { onPostgres } from './migrations/portable-types.js';
import { nowIso } from './json.js';
import type { Database, DeployQueueTable } from './schema.js';
import { insertAuditEvent } from './sqlite-audit-log.js';

class Duplicate extends Error {
  constructor(readonly key: string) {
    super('duplicate delivery');
  }
}

// An accepted webhook delivery runs these two: compiled once (the keys' insert once per count of keys;
// see compile-once.ts).
const INSERT_QUEUED = compileOnce<'project' | 'sha' | 'image' | 'actor' | 'key' | 'now'>((db, slot) =>
  db
    .insertInto('deploy_queue')
    .values({
      project: slot('project'),
      sha: slot('sha'),
      image: slot('image'),
      actor: slot('actor'),
      delivery_key: slot('key'),
      status: 'queued',
      reason: null,
      created_at: slot('now'),
      updated_at: slot('now'),
    })
    .returningAll(),
);

/** One insert for every key: the primary key turns away those seen before, `returning` says which went in. */
const CLAIM_KEYS = compileOncePerCount((db, slot, keys) =>
  db
    .insertInto('webhook_deliveries')
    .values(
      keys.map((k) => ({
        key: slot(k),
        project: slot('project'),
        sha: slot('sha'),
        status: 'queued',
        reason: null,
        received_at: slot('now'),
      })),
    )
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key'),
);

export class SqliteDeployQueue implements DeployQueueStore {
  constructor(private readonly db: Kysely<Database>) {}

  async enqueue(item: {
    project: string;
    sha: string;
    image: string;
    actor: string;
    keys: string[];
    audit?: NewAuditEvent;
  }): Promise<EnqueueResult> {
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        const now = nowIso();
        if (item.keys.length > 0) {
          const { rows: claimed } = await trx.executeQuery<{ key: string }>(
            CLAIM_KEYS(trx, item.keys, { project: item.project, sha: item.sha, now }),
          );
          const inserted = new Set(claimed.map((r) => r.key));
          // A key listed twice is inserted once: its second listing is the duplicate.
          const duplicate = item.keys.find((key, i) => !inserted.has(key) || item.keys.indexOf(key) !== i);
          if (duplicate !== undefined) throw new Duplicate(duplicate);
        }
        const values = {
          project: item.project,
          sha: item.sha,
          image: item.image,
          actor: item.actor,
          key: item.keys[0]!,
          now,
        };
        const queued = (await trx.executeQuery<Selectable<DeployQueueTable>>(INSERT_QUEUED(trx, values))).rows[0]!;
        if (item.audit)
          await insertAuditEvent(trx, {
            ...item.audit,
            time: now,
            detail: { ...item.audit.detail, deployId: queued.id },
          });
        return queued;
      });
      return { queued: toQueued(row) };
    } catch (error) {
      if (error instanceof Duplicate) return { duplicateKey: error.key };
      throw error;
    }
  }

  async takeNext(project: string): Promise<QueuedDeploy | undefined> {
    const taken = await this.db.transaction().execute((trx) => takeNewestQueued(trx, project));
    return taken ? toQueued(taken) : undefined;
  }

  async finish(id: number, status: 'done' | 'failed', reason: string | null = null): Promise<void> {
    await this.db
      .updateTable('deploy_queue')
      .set({ status, reason, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
  }

  async requeueRunning(): Promise<number> {
    const result = await this.db
      .updateTable('deploy_queue')
      .set({ status: 'queued', updated_at: nowIso() })
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async pendingProjects(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('deploy_queue')
      .select('project')
      .distinct()
      .where('status', '=', 'queued')
      .execute();
    return rows.map((r) => r.project);
  }

  async list(project: string, limit = 50): Promise<QueuedDeploy[]> {
    const rows = await this.db
      .selectFrom('deploy_queue')
      .selectAll()
      .where('project', '=', project)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toQueued);
  }
}

/**
 * Of several processes on one database, exactly one takes a project's newest queued deploy. The
 * first statement is the write that takes it: a SQLite transaction that read first and wrote
 * second would, beside another doing the same, fail with SQLITE_BUSY instead of waiting (neither
 * can upgrade its read lock). On PostgreSQL (read committed) the newest row is picked `for update
 * skip locked`: a second taker skips the row the first holds and takes nothing, rather than
 * waiting for it, or taking an older row the first is about to supersede; a row another taker
 * committed meanwhile no longer matches `status = 'queued'`.
 */
export async function takeNewestQueued(
  trx: Kysely<Database>,
  project: string,
): Promise<Selectable<DeployQueueTable> | undefined> {
  const newestQueued = trx
    .selectFrom('deploy_queue')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('project', '=', project)
    .where('status', '=', 'queued');
  const free = trx
    .selectFrom('deploy_queue')
    .select('id')
    .where('id', '=', newestQueued)
    .where('status', '=', 'queued')
    .$if(onPostgres(trx), (q) => q.forUpdate().skipLocked());
  const now = nowIso();
  const taken = await trx
    .updateTable('deploy_queue')
    .set({ status: 'running', updated_at: now })
    .where('id', '=', free)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
  if (!taken) return undefined;
  await trx
    .updateTable('deploy_queue')
    .set({ status: 'superseded', reason: `superseded by ${taken.sha}`, updated_at: now })
    .where('project', '=', project)
    .where('status', '=', 'queued')
    .where('id', '<', taken.id)
    .execute();
  return taken;
}

export function toQueued(row: Selectable<DeployQueueTable>): QueuedDeploy {
  return {
    id: row.id,
    project: row.project,
    sha: row.sha,
    image: row.image,
    actor: row.actor,
    deliveryKey: row.delivery_key,
    status: row.status as QueuedDeployStatus,
    reason: row.reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
