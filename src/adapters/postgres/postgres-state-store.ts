/**
 * @module adapters/postgres/postgres-state-store
 * The StateStore port on PostgreSQL (THREESIX_DATABASE_URL=postgres://…), for several threesix
 * replicas on one database. It is not a second implementation: the SQLite store's classes and
 * migrations are portable SQL through kysely, and run here on kysely's PostgresDialect over `pg`,
 * so one contract suite (test/unit/store.test.ts) holds both to the same behaviour. Where the
 * dialects differ, the difference lives beside the query (migrations/portable-types.ts, the
 * deploy queue's row lock, compile-once's per-dialect templates); the deploy queue alone has a
 * PostgreSQL subclass, which tells deploys live replicas run from abandoned ones (postgres-deploy-queue.ts).
 *
 * Only main/open-state-store.ts loads this module, and only when the variable is set: `pg` stays out of the
 * SQLite user's start.
 */
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { StateStore } from '../../ports/state-store.port.js';
import { migrationProvider } from '../sqlite/migrations/index.js';
import type { Database } from '../sqlite/schema.js';
import { stateStoreOn } from '../sqlite/sqlite-state-store.js';
import { PostgresDeployQueue } from './postgres-deploy-queue.js';

const INT8_OID = 20;

/**
 * `pg` hands back `bigint` columns (and `count(*)`) as strings, lest a value beyond 2^53 lose
 * precision. Ours are epoch milliseconds and counts, far below that: numbers, as SQLite gives them.
 * Set on this pool's clients only, not pg's process-wide parsers.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return (value: string) => Number(value);
    // pg-types declares its parsers as returning any; each takes the column's text.
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  }) as typeof pg.types.getTypeParser,
};

export interface PostgresStoreOptions {
  /** Connections in the pool; several requests and the background loops share them. */
  maxConnections?: number;
}

export async function openPostgresStateStore(url: string, options: PostgresStoreOptions = {}): Promise<StateStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types });
  // An idle client losing its connection (a database restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const close = () => db.destroy();
  let schema: string;
  try {
    schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!.schema;
  } catch (error) {
    await close();
    // pg's messages name the host and user, never the password. No `cause`: a URL parse error
    // carries the whole URL (Node's ERR_INVALID_URL has it as `input`), password included.
    throw new Error(`cannot connect to the PostgreSQL database in THREESIX_DATABASE_URL: ${(error as Error).message}`);
  }
  // Several replicas may start at once: kysely's Migrator holds a PostgreSQL advisory lock while it
  // migrates. Its bookkeeping tables go where ours do, in the first schema of the search path:
  // unqualified, kysely would look for them in every schema, and find another installation's.
  const { error, results } = await new Migrator({
    db,
    provider: migrationProvider,
    migrationTableSchema: schema,
  }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    await close();
    throw new Error(`database migration ${failed} failed`, { cause: error });
  }
  // One connection that never idles out: it holds the running deploys' advisory locks, which end with it.
  const holder = new Kysely<Database>({ dialect: new PostgresDialect({ pool: lockHolderPool(url) }) });
  const store = stateStoreOn(db, async () => {
    await holder.destroy();
    await close();
  });
  return { ...store, deployQueue: new PostgresDeployQueue(db, holder) };
}

function lockHolderPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0, types });
  pool.on('error', () => undefined);
  return pool;
}
