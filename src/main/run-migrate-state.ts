/**
 * @module main/run-migrate-state
 * `threesix-mcp migrate-state --from FILE [--dry-run]`: carries one replica's SQLite state (the
 * file in THREESIX_DATA_DIR) into the PostgreSQL database of THREESIX_DATABASE_URL, for an
 * operator moving to several replicas. The source is read, never written (adapters/sqlite/
 * state-snapshot.ts); the target gets its migrations, then every table in one transaction
 * (adapters/postgres/copy-into-postgres.ts). It prints table names and row counts on stdout
 * (this is no MCP stdio mode), never a row: they hold token hashes and install secrets.
 */
import { loadConfig } from '../config.js';
import type { CopyOutcome } from '../adapters/postgres/copy-into-postgres.js';
import { describeStateStore } from './open-state-store.js';

export interface MigrateStateOptions {
  from?: string;
  dryRun: boolean;
}

export interface MigrateStateIo {
  out(text: string): void;
  err(text: string): void;
}

const stdio: MigrateStateIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

export const MIGRATE_STATE_USAGE = 'Usage: threesix-mcp migrate-state --from FILE [--dry-run]\n';

/** Returns the exit code: 0 copied (or planned), 1 failed or refused, 2 usage error. */
export async function runMigrateState(
  options: MigrateStateOptions,
  env: NodeJS.ProcessEnv = process.env,
  io: MigrateStateIo = stdio,
): Promise<number> {
  if (!options.from) {
    io.err(`threesix-mcp migrate-state: --from names the SQLite file to copy\n${MIGRATE_STATE_USAGE}`);
    return 2;
  }
  const config = loadConfig(env);
  const url = config.THREESIX_DATABASE_URL;
  if (!url) {
    io.err(
      'threesix-mcp migrate-state: set THREESIX_DATABASE_URL to the PostgreSQL database to copy into (postgres://user:password@host:5432/db)\n',
    );
    return 1;
  }
  const { openStateSnapshot } = await import('../adapters/sqlite/state-snapshot.js');
  const { copyIntoPostgres } = await import('../adapters/postgres/copy-into-postgres.js');
  let outcome: CopyOutcome;
  try {
    const snapshot = await openStateSnapshot(options.from);
    try {
      io.out(
        `source: ${options.from}${snapshot.migratedCopy.length > 0 ? ` (read through a copy brought up to date by ${snapshot.migratedCopy.length} migrations; the file is unchanged)` : ''}\n`,
      );
      io.out(`target: ${describeStateStore(config).where}\n`);
      outcome = await copyIntoPostgres(url, snapshot, { dryRun: options.dryRun });
    } finally {
      await snapshot.close();
    }
  } catch (error) {
    io.err(`threesix-mcp migrate-state: ${(error as Error).message}\n`);
    return 1;
  }
  if (outcome.status === 'refused') {
    io.err(
      `threesix-mcp migrate-state: the target already holds state (${outcome.occupied.map((t) => `${t.table}: ${t.rows}`).join(', ')}); nothing was copied. Copy into an empty database (drop and recreate it if its rows are not wanted)\n`,
    );
    return 1;
  }
  const width = Math.max(5, ...outcome.tables.map((t) => t.table.length));
  const total = outcome.tables.reduce((sum, t) => sum + t.rows, 0);
  io.out(`${'table'.padEnd(width)}  rows\n`);
  for (const t of outcome.tables) io.out(`${t.table.padEnd(width)}  ${t.rows}\n`);
  if (outcome.status === 'dry-run') {
    io.out(`would copy ${total} rows in ${outcome.tables.length} tables (dry run: nothing written)\n`);
    return 0;
  }
  io.out(
    `copied ${total} rows in ${outcome.tables.length} tables, counts verified${outcome.sequences.length > 0 ? `; sequences continued: ${outcome.sequences.join(', ')}` : ''}\n`,
  );
  return 0;
}
