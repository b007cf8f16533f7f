/**
 * @module main/open-state-store
 * Which state store the configuration asks for: PostgreSQL when THREESIX_DATABASE_URL is set (for
 * several replicas on one database), else the SQLite file in THREESIX_DATA_DIR. `serve`, `stdio`
 * and the `token` CLI all open it here, so a token made from the command line lands in the
 * database the server reads. Each adapter is imported only when chosen: `pg` stays out of the
 * SQLite user's start.
 */
import type { Config } from '../config.js';
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
 * Locks across the replicas on the configured PostgreSQL database (for the per-project lock);
 * undefined with the embedded SQLite store. The adapter and its connection open on first use.
 */
export function openReplicaLocks(config: Readonly<Config>): ReplicaLocks | undefined {
  const url = config.THREESIX_DATABASE_URL;
  if (!url) return undefined;
  let opened: Promise<ReplicaLocks> | undefined;
  return {
    async acquire(key, waitMs) {
      opened ??= import('../adapters/postgres/postgres-replica-locks.js').then((m) => m.openPostgresReplicaLocks(url));
      return (await opened).acquire(key, waitMs);
    },
  };
}
