/**
 * @module main/open-state-store
 * Which state store the configuration asks for: PostgreSQL when THREESIX_DATABASE_URL is set (for
 * several replicas on one database), else the SQLite file in THREESIX_DATA_DIR. `serve`, `stdio`
 * and the `token` CLI all open it here, so a token made from the command line lands in the
 * database the server reads. Each adapter is imported only when chosen: `pg` stays out of the
 * SQLite user's start.
 */
import type { Config } from '../config.js';
import { newReplicaName, processLeadership } from '../adapters/node/process-leadership.js';
import type { ClosableReplicaLocks } from '../adapters/postgres/postgres-replica-locks.js';
import type { Leadership } from '../ports/leadership.port.js';
import type { ReplicaLocks } from '../ports/replica-locks.port.js';
import type { StateStore } from '../ports/state-store.port.js';

export async function openStateStore(
  config: Readonly<Config>,
  options: { backgroundCheckpoints?: boolean } = {},
): Promise<StateStore> {
  if (config.THREESIX_DATABASE_URL) {
    const { openPostgresStateStore } = await import('../adapters/postgres/postgres-state-store.js');
    return openPostgresStateStore(config.THREESIX_DATABASE_URL);
  }
  const { openSqliteStateStore } = await import('../adapters/sqlite/sqlite-state-store.js');
  return openSqliteStateStore(config.databaseFile, options);
}

/** Where the state is, for `doctor`: never the URL itself, which holds the password. */
export function describeStateStore(config: Readonly<Config>): { kind: 'postgresql' | 'sqlite'; where: string } {
  if (!config.THREESIX_DATABASE_URL) return { kind: 'sqlite', where: config.databaseFile };
  const url = new URL(config.THREESIX_DATABASE_URL);
  return { kind: 'postgresql', where: `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}` };
}

/**
 * What coordinates this replica with the others on the configured PostgreSQL database: the
 * per-project lock across replicas and the leadership, on one lock connection that opens on first
 * use (so `pg` stays out of the SQLite user's start, and `initialize` never waits for it). With the
 * embedded SQLite store: no cross-replica lock, and this process always leads.
 */
export function openReplicaCoordination(config: Readonly<Config>): {
  locks: ReplicaLocks | undefined;
  leadership: Leadership;
} {
  const url = config.THREESIX_DATABASE_URL;
  if (!url) return { locks: undefined, leadership: processLeadership() };
  let owner: string | undefined;
  const name = () => (owner ??= newReplicaName());
  let opened: Promise<ClosableReplicaLocks> | undefined;
  const open = () =>
    (opened ??= import('../adapters/postgres/postgres-replica-locks.js').then((m) =>
      m.openPostgresReplicaLocks(url, { owner: name() }),
    ));
  return {
    locks: { acquire: async (key, waitMs) => (await open()).acquire(key, waitMs) },
    leadership: {
      shared: true,
      get owner() {
        return name();
      },
      alive: async () => (await open()).leadership.alive(),
      lead: async () => (await open()).leadership.lead(),
      ownerGone: async (other) => (await open()).leadership.ownerGone(other),
      // Never opened: nothing to close.
      close: async () => void (opened && (await (await opened).close())),
    },
  };
}
