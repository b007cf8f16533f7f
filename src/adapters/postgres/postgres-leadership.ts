/**
 * @module adapters/postgres/postgres-leadership
 * Leadership among the replicas on one PostgreSQL database, as session-level advisory locks held on
 * the replica's own lock connection (the one postgres-replica-locks.ts holds project locks on):
 * - the lead is `(LEADER_LOCKS, hashtext(current_schema()))`: one leader per installation, even when
 *   several share a database in different schemas. Followers try to take it on each `lead()` (every
 *   few seconds), so a leader that dies is followed within seconds;
 * - each replica holds `(LIVE_LOCKS, hashtext(owner))` for its whole life, `owner` being the name it
 *   writes on its operation leases; a lease whose owner's lock is free belongs to a dead replica.
 *   That is known at once and from any host, where a pid check knows only its own host and a lease's
 *   expiry takes its whole time to live.
 *
 * Why advisory locks rather than a Kubernetes Lease (coordination.k8s.io): the database is already
 * shared by every replica, so this needs no extra RBAC on Leases and no API server; it works outside
 * a cluster and for `stdio` processes on the same database; and the lock is freed the moment the
 * replica's connection ends (a crash, a SIGKILL, a node gone), where a Lease waits out its duration
 * and a renewal loop. Limit: a network cut of the lock connection while the replica lives ends its
 * locks too. Another replica may then lead and take over its operations and deploys while it still
 * runs them (each step and deploy is idempotent, so the cost is work done twice); `pg` opens a new
 * connection on the next query, on which this replica takes its liveness again at its next lease or
 * `lead()`, and its lead only if no one else took it meanwhile.
 *
 * Each check reads pg_locks for this session's own lock before taking it: session locks stack, so
 * taking it on every call would need as many unlocks, and after a reconnect the flag "I lead" would lie.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Leadership } from '../../ports/leadership.port.js';

/** First keys of the two-key advisory locks (the deploy queue uses 360_101, project locks 360_102). */
export const LEADER_LOCKS = 360_103;
export const LIVE_LOCKS = 360_104;

/** pg_locks shows the second key as an unsigned oid; hashtext gives a signed int4. */
const asOid = (key: RawBuilder<number>) => sql`((${key})::bigint & 4294967295)`;

/**
 * Some session (this one only, with `ownSession`) holds the two-key advisory lock in this database
 * (pg_locks lists the whole server's, and advisory locks are per database).
 */
const held = (first: number, second: RawBuilder<number>, ownSession: boolean) => sql<boolean>`exists (
  select 1 from pg_locks l
  where l.locktype = 'advisory' and l.granted and l.objsubid = 2
    and l.database = (select oid from pg_database where datname = current_database())
    and l.classid::bigint = ${first} and l.objid::bigint = ${asOid(second)}
    ${ownSession ? sql`and l.pid = pg_backend_pid()` : sql``})`;

/** Holds the lock on this session: true when it already did or took it now, false when another session holds it. */
async function hold(holder: Kysely<unknown>, first: number, second: RawBuilder<number>): Promise<boolean> {
  const { rows } = await sql<{ holds: boolean }>`select case when ${held(first, second, true)} then true
    else pg_try_advisory_lock(${first}, ${second}) end as holds`.execute(holder);
  return rows[0]?.holds === true;
}

/** `holder`: the replica's lock connection (a pool of one that never idles out); `close` ends it. */
export function postgresLeadership(holder: Kysely<unknown>, owner: string, close: () => Promise<void>): Leadership {
  const leaderKey = sql<number>`hashtext(current_schema()::text)`;
  const liveKey = (name: string) => sql<number>`hashtext(${name})`;
  return {
    shared: true,
    owner,
    async alive() {
      // False only when another session holds a lock of the same hash: then that owner looks alive
      // too, the safe side (its leases are taken over when they expire).
      await hold(holder, LIVE_LOCKS, liveKey(owner));
    },
    async lead() {
      // Leading implies living: a replica that leads after a reconnect is also marked alive again.
      await hold(holder, LIVE_LOCKS, liveKey(owner));
      return hold(holder, LEADER_LOCKS, leaderKey);
    },
    async ownerGone(other) {
      if (other === owner) return false;
      // The lock alone decides, not a pid: replicas on one host name may live in separate pid namespaces
      // (pods on the host network), where another replica's pid looks gone from here.
      const { rows } = await sql<{
        live: boolean;
      }>`select ${held(LIVE_LOCKS, liveKey(other), false)} as live`.execute(holder);
      return rows[0]?.live !== true;
    },
    close,
  };
}
