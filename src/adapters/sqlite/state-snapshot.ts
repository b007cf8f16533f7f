/**
 * @module adapters/sqlite/state-snapshot
 * A consistent copy of an operator's SQLite state file, for `threesix-mcp migrate-state`: the file
 * is opened read-only and copied with SQLite's online backup (one read transaction, so a copy
 * taken while a forgotten `serve` still writes is whole, and WAL content is included), and the
 * copy, in a temporary directory, is brought to this version's schema by the same migrations
 * `serve` runs. So a file left by an older threesix is migrated without ever being written: the
 * operator's file stays as it was, to fall back on. A file from a newer threesix (a migration this
 * version does not know) is refused: its rows may mean what this version cannot read.
 *
 * The tables are discovered from the migrated copy's schema, not listed by hand, so a table a new
 * migration adds is carried over with no change here; kysely's own bookkeeping is left out (the
 * target runs its own migrations).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from './database.js';
import { migrations } from './migrations/index.js';

export interface SnapshotTable {
  name: string;
  columns: string[];
  rows: number;
}

export interface StateSnapshot {
  /** Tables in an order where each comes after the tables its foreign keys name. */
  tables: SnapshotTable[];
  /** Migrations the source lacked, run on the copy only. */
  migratedCopy: string[];
  /** Every row of a table, integers as bigint so none loses precision on the way. */
  rows(table: string): IterableIterator<unknown[]>;
  close(): Promise<void>;
}

const BOOKKEEPING = /^(sqlite_|kysely_migration)/;

export async function openStateSnapshot(file: string): Promise<StateSnapshot> {
  if (!existsSync(file)) throw new Error(`no SQLite state file at ${file}`);
  const dir = mkdtempSync(join(tmpdir(), 'threesix-migrate-'));
  const copy = join(dir, 'threesix.db');
  let applied: string[];
  const source = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    applied = appliedMigrations(source);
    const unknown = applied.filter((name) => !(name in migrations));
    if (unknown.length > 0)
      throw new Error(
        `${file} was written by a newer threesix (migration ${unknown.join(', ')} is unknown to this version): run migrate-state from that version`,
      );
    await source.backup(copy);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    source.close();
  }
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase(copy);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const { raw } = opened;
  const close = async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    tables: inDependencyOrder(raw),
    migratedCopy: Object.keys(migrations).filter((name) => !applied.includes(name)),
    rows: (table) =>
      raw
        .prepare(`select * from ${quote(table)}`)
        .raw(true)
        .safeIntegers(true)
        .iterate() as IterableIterator<unknown[]>,
    close,
  };
}

function appliedMigrations(db: BetterSqlite3.Database): string[] {
  const table = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
  if (!table) throw new Error(`${db.name} is not a threesix state file (it has no migration table)`);
  return (db.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>).map(
    (r) => r.name,
  );
}

function inDependencyOrder(db: BetterSqlite3.Database): SnapshotTable[] {
  const names = (
    db.prepare("select name from sqlite_master where type = 'table' order by name").all() as Array<{ name: string }>
  )
    .map((r) => r.name)
    .filter((name) => !BOOKKEEPING.test(name));
  const ordered: SnapshotTable[] = [];
  const placed = new Set<string>();
  const visit = (name: string, path: string[]) => {
    if (placed.has(name)) return;
    if (path.includes(name)) throw new Error(`foreign keys form a cycle: ${[...path, name].join(' -> ')}`);
    const parents = (db.pragma(`foreign_key_list(${quote(name)})`) as Array<{ table: string }>).map((fk) => fk.table);
    for (const parent of parents) if (parent !== name) visit(parent, [...path, name]);
    const columns = (db.pragma(`table_info(${quote(name)})`) as Array<{ name: string }>).map((c) => c.name);
    const { count } = db.prepare(`select count(*) as count from ${quote(name)}`).get() as { count: number };
    ordered.push({ name, columns, rows: count });
    placed.add(name);
  };
  for (const name of names) visit(name, []);
  return ordered;
}

/** An SQL identifier, quoted (names come from the schema, but a quote in one must not end it). */
export const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;
