/**
 * The read side of `migrate-state`: a SQLite state file left by an older threesix is read through
 * a migrated temporary copy and never written; a newer one, or a file that is no threesix state,
 * is refused; tables come from the schema (kysely's own left out) with parents before children.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationProvider, migrations } from '../../src/adapters/sqlite/migrations/index.js';
import { openStateSnapshot } from '../../src/adapters/sqlite/state-snapshot.js';
import { tempDir } from '../support/test-app.js';

const OLD_LEVEL = '2026_11_26_0500_release_commit_index';

/** A file as an older threesix left it: migrated up to OLD_LEVEL, with one project. */
async function oldStateFile(): Promise<string> {
  const file = join(tempDir(), 'threesix.db');
  const raw = new BetterSqlite3(file);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(OLD_LEVEL);
  if (error) throw error as Error;
  await db.destroy();
  const write = new BetterSqlite3(file);
  write
    .prepare("insert into projects (name, created_at, updated_at) values ('notes', ?, ?)")
    .run('2026-01-02T03:04:05.678Z', '2026-01-02T03:04:05.678Z');
  write.close();
  return file;
}

describe('state snapshot for migrate-state', () => {
  it('reads an older file through a migrated copy, leaving the file byte for byte as it was', async () => {
    const file = await oldStateFile();
    const before = readFileSync(file);
    const snapshot = await openStateSnapshot(file);
    try {
      const names = snapshot.tables.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['projects', 'releases', 'agent_tokens', 'mcp_sessions']));
      expect(names.some((n) => n.startsWith('kysely_') || n.startsWith('sqlite_'))).toBe(false);
      expect(names.indexOf('projects')).toBeLessThan(names.indexOf('releases'));
      expect(names.indexOf('operations')).toBeLessThan(names.indexOf('operation_steps'));
      expect(snapshot.migratedCopy).toEqual(Object.keys(migrations).filter((m) => m > OLD_LEVEL));
      expect(snapshot.tables.find((t) => t.name === 'projects')?.rows).toBe(1);
      const projects = snapshot.tables.find((t) => t.name === 'projects')!;
      const [row] = [...snapshot.rows('projects')];
      expect(row![projects.columns.indexOf('name')]).toBe('notes');
      expect(row![projects.columns.indexOf('created_at')]).toBe('2026-01-02T03:04:05.678Z');
    } finally {
      await snapshot.close();
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(
      new BetterSqlite3(file, { readonly: true }).prepare('select count(*) as n from kysely_migration').get(),
    ).toEqual({ n: Object.keys(migrations).indexOf(OLD_LEVEL) + 1 });
  });

  it('refuses a file from a newer threesix, and a file that is no threesix state', async () => {
    const file = await oldStateFile();
    const write = new BetterSqlite3(file);
    write.prepare("insert into kysely_migration (name, timestamp) values ('2099_01_01_0000_future', 'x')").run();
    write.close();
    await expect(openStateSnapshot(file)).rejects.toThrow(/newer threesix \(migration 2099_01_01_0000_future/);

    const other = join(tempDir(), 'other.db');
    new BetterSqlite3(other).exec('create table t (x)');
    await expect(openStateSnapshot(other)).rejects.toThrow(/not a threesix state file/);
    await expect(openStateSnapshot(join(tempDir(), 'absent.db'))).rejects.toThrow(/no SQLite state file/);
  });
});
