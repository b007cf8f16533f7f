/**
 * WAL checkpoints on a worker thread: committed pages reach the database file without the writing
 * connection checkpointing, and stopping closes the worker's connection so the last close can
 * fold the WAL back in and remove it.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackgroundCheckpoints } from '../../src/adapters/sqlite/background-checkpoints.js';

describe('background WAL checkpoints', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'threesix-ckpt-'));
    dirs.push(dir);
    const file = join(dir, 'x.db');
    const raw = new BetterSqlite3(file);
    raw.pragma('journal_mode = WAL');
    // The writer never checkpoints by itself here, so only the worker can move pages into the file.
    raw.pragma('wal_autocheckpoint = 0');
    raw.exec('create table t (v text)');
    return { file, raw };
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('copies committed pages into the database file while the writer only writes', async () => {
    const { file, raw } = fresh();
    const before = statSync(file).size;
    const insert = raw.prepare('insert into t (v) values (?)');
    for (let i = 0; i < 200; i++) insert.run('x'.repeat(1000));
    expect(statSync(file).size).toBe(before);
    const checkpoints = startBackgroundCheckpoints(file, { startAfterMs: 0, intervalMs: 20 });
    const deadline = Date.now() + 5000;
    // A checkpoint grows the file page by page: wait for all of it, not for the first page.
    while (statSync(file).size <= before + 200 * 1000 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(statSync(file).size).toBeGreaterThan(before + 200 * 1000);
    await checkpoints.stop();
    expect(raw.prepare('select count(*) n from t').get()).toEqual({ n: 200 });
    raw.close();
    // The worker's connection is closed, so this was the last one: the WAL is folded in and removed.
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('never starts a thread for a database closed before the start delay', async () => {
    const { file, raw } = fresh();
    const checkpoints = startBackgroundCheckpoints(file, { startAfterMs: 60_000 });
    await checkpoints.stop();
    raw.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});
