/**
 * @module adapters/postgres/postgres-replica-locks
 * ReplicaLocks as PostgreSQL session-level advisory locks `(PROJECT_LOCKS, hashtext(key))`, all
 * held on one connection of this replica's own (a pool of one that never idles out), so a replica
 * that dies frees its locks with its connection. Waiting polls `pg_try_advisory_lock` rather than
 * blocking in `pg_advisory_lock`: the one connection serves every key, and a wait must be bounded.
 * Two keys whose hashes collide share a lock: they wait for each other, which is safe.
 * Session locks are re-entrant per connection; the per-project lock calls this only from its
 * outermost holding, once per project at a time within this replica.
 * The same connection holds the replica's leadership and liveness locks (postgres-leadership.ts):
 * one connection whose end frees everything the replica held across replicas, all at once.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Leadership } from '../../ports/leadership.port.js';
import type { ReplicaLocks } from '../../ports/replica-locks.port.js';
import { newReplicaName } from '../node/process-leadership.js';
import { postgresLeadership } from './postgres-leadership.js';

/** First key of the two-key advisory locks: "threesix project lock" (the deploy queue uses 360_101). */
export const PROJECT_LOCKS = 360_102;
const POLL_MS = 100;

export interface ClosableReplicaLocks extends ReplicaLocks {
  /** Leadership and liveness on the same connection, under `owner` (a new replica name unless given). */
  leadership: Leadership;
  close(): Promise<void>;
}

export function openPostgresReplicaLocks(
  url: string,
  options: { pollMs?: number; owner?: string } = {},
): ClosableReplicaLocks {
  // allowExitOnIdle: an idle holder must not keep a finished process (a stdio session) alive.
  const pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0, allowExitOnIdle: true });
  pool.on('error', () => undefined);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- advisory-lock calls only: no table to type
  const holder = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  const pollMs = options.pollMs ?? POLL_MS;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= holder.destroy());
  return {
    async acquire(key, waitMs) {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const { rows } = await sql<{
          taken: boolean;
        }>`select pg_try_advisory_lock(${PROJECT_LOCKS}, hashtext(${key})) as taken`.execute(holder);
        if (rows[0]?.taken) {
          return async () => {
            await sql`select pg_advisory_unlock(${PROJECT_LOCKS}, hashtext(${key}))`.execute(holder);
          };
        }
        const left = deadline - Date.now();
        if (left <= 0) return undefined;
        await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
      }
    },
    leadership: postgresLeadership(holder, options.owner ?? newReplicaName(), close),
    close,
  };
}
