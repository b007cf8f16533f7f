/**
 * @module adapters/sqlite/database
 * Opens the SQLite file with the settings the journal depends on (WAL for crash safety and
 * concurrent readers, a busy timeout so two processes wait instead of failing, foreign keys on;
 * synchronous=NORMAL, which in WAL mode loses no committed write on a process crash, only on a
 * power loss, and spares an fsync per commit; checkpoints, which do sync, run on a worker thread:
 * background-checkpoints.ts), reuses prepared statements (statement-cache.ts), and migrates it
 * to the latest schema before anything else touches it.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { BACKSTOP_PAGES, startBackgroundCheckpoints } from './background-checkpoints.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export interface OpenedDatabase {
  db: Kysely<Database>;
  raw: BetterSqlite3.Database;
  /** Stops the background checkpoints, then closes the database. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * Checkpoint the WAL on a worker thread (see background-checkpoints.ts): for `serve`, whose webhook
   * commits many small transactions. A stdio session commits a few, and should not keep a thread.
   */
  backgroundCheckpoints?: boolean;
}

export async function openDatabase(file: string, options: OpenOptions = {}): Promise<OpenedDatabase> {
  const onDisk = file !== ':memory:';
  const background = onDisk && options.backgroundCheckpoints === true;
  if (onDisk) mkdirSync(dirname(file), { recursive: true });
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  raw.pragma('synchronous = NORMAL');
  if (background) raw.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const checkpoints = background ? startBackgroundCheckpoints(file) : undefined;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  const close = async () => {
    await checkpoints?.stop();
    await db.destroy();
  };
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    await close();
    throw new Error(`database migration ${failed} failed`, { cause: error });
  }
  return { db, raw, close };
}
