/**
 * @module adapters/postgres/postgres-deploy-queue
 * The deploy queue on PostgreSQL, for several replicas on one database. Each running deploy is
 * marked by a session-level advisory lock `(RUNNING_DEPLOY_LOCKS, id)` held on this store's own
 * connection (`holder`) from the moment it is taken until it is finished. The lock ends with the
 * connection, so when a replica dies, its deploys' locks go with it. That lets the queue tell a
 * deploy a live replica is running from one a crash abandoned, which a status column cannot:
 * - `requeueRunning` (each replica's start) puts back only deploys no live replica holds, where
 *   SQLite's single process puts back every one;
 * - `takeNext` takes nothing for a project while another replica runs one of its deploys, so a
 *   project's deploys stay one at a time across replicas; that replica takes the next when done.
 * The lock is taken inside the transaction that marks the row running, so no other replica sees
 * the row running without the lock. Limit: if the holder connection itself drops while its replica
 * lives (a network cut), its locks are gone and a replica starting then would put those deploys
 * back; `pg` reconnects the holder on its next query.
 */
import { sql, type Kysely } from 'kysely';
import type { QueuedDeploy } from '../../ports/deploy-queue.port.js';
import type { Database } from '../sqlite/schema.js';
import { nowIso } from '../sqlite/json.js';
import { SqliteDeployQueue, takeNewestQueued, toQueued } from '../sqlite/sqlite-deploy-queue.js';

/** First key of the two-key advisory locks: "threesix running deploy" (the second is the row id). */
export const RUNNING_DEPLOY_LOCKS = 360_101;

/** A running row whose lock some live session holds (pg_locks shows every session's, granted or awaited). */
const heldByLiveRunner = (id: ReturnType<typeof sql.ref>) => sql<boolean>`exists (
  select 1 from pg_locks l
  where l.locktype = 'advisory' and l.granted and l.objsubid = 2
    and l.classid::bigint = ${RUNNING_DEPLOY_LOCKS} and l.objid::bigint = ${id})`;

export class PostgresDeployQueue extends SqliteDeployQueue {
  /** `holder`: a pool of exactly one connection that never idles out, which holds this store's locks. */
  constructor(
    private readonly pool: Kysely<Database>,
    private readonly holder: Kysely<Database>,
  ) {
    super(pool);
  }

  override async takeNext(project: string): Promise<QueuedDeploy | undefined> {
    const taken = await this.holder.transaction().execute(async (trx) => {
      const busy = await trx
        .selectFrom('deploy_queue')
        .select('id')
        .where('project', '=', project)
        .where('status', '=', 'running')
        .where(heldByLiveRunner(sql.ref('deploy_queue.id')))
        .limit(1)
        .executeTakeFirst();
      if (busy) return undefined;
      const row = await takeNewestQueued(trx, project);
      if (row) await sql`select pg_advisory_lock(${RUNNING_DEPLOY_LOCKS}, ${row.id})`.execute(trx);
      return row;
    });
    return taken ? toQueued(taken) : undefined;
  }

  override async finish(id: number, status: 'done' | 'failed', reason: string | null = null): Promise<void> {
    await super.finish(id, status, reason);
    // After the row says finished, so no moment shows it running and unheld. Unlocking a lock this
    // session does not hold (a deploy another replica took) returns false and changes nothing.
    await sql`select pg_advisory_unlock(${RUNNING_DEPLOY_LOCKS}, ${id})`.execute(this.holder);
  }

  override async requeueRunning(): Promise<number> {
    const result = await this.pool
      .updateTable('deploy_queue')
      .set({ status: 'queued', updated_at: nowIso() })
      .where('status', '=', 'running')
      .where((eb) => eb.not(heldByLiveRunner(sql.ref('deploy_queue.id'))))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
