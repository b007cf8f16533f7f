import BetterSqlite3 from 'better-sqlite3';
import { type Generated, Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../src/adapters/sqlite/statement-cache.js';

interface Tables {
  items: { id: Generated<number>; name: string; note?: string | null };
}

describe('prepared-statement cache for the SQLite driver', () => {
  const open: Array<{ close(): unknown }> = [];
  const fresh = (size?: number) => {
    const raw = new BetterSqlite3(':memory:');
    raw.exec('create table items (id integer primary key, name text not null unique)');
    const cached = withStatementCache(raw, size);
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: cached }) });
    open.push({ close: () => db.destroy() });
    return { raw, cached, db };
  };
  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
  });

  it('hands back the same prepared statement for the same SQL, and a new one for other SQL', () => {
    const { cached } = fresh();
    const first = cached.prepare('select * from items where id = ?');
    expect(cached.prepare('select * from items where id = ?')).toBe(first);
    expect(cached.prepare('select * from items where name = ?')).not.toBe(first);
    expect(cached.cached).toBe(2);
  });

  it('runs repeated queries with their own parameters each time', async () => {
    const { db } = fresh();
    for (const name of ['a', 'b', 'c']) await db.insertInto('items').values({ name }).execute();
    for (const name of ['c', 'a', 'b']) {
      const row = await db.selectFrom('items').select('name').where('name', '=', name).executeTakeFirst();
      expect(row).toEqual({ name });
    }
    expect(
      await db.selectFrom('items').select('name').where('name', '=', 'missing').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('sees schema changes: a cached `select *` returns a column added after it was prepared', async () => {
    const { db } = fresh();
    await db.insertInto('items').values({ name: 'a' }).execute();
    expect(await db.selectFrom('items').selectAll().execute()).toEqual([{ id: 1, name: 'a' }]);
    await sql`alter table items add column note text`.execute(db);
    await sql`update items set note = 'added'`.execute(db);
    expect(await db.selectFrom('items').selectAll().execute()).toEqual([{ id: 1, name: 'a', note: 'added' }]);
  });

  it('keeps transactions right: a rolled-back insert leaves nothing, the same insert then commits', async () => {
    const { db } = fresh();
    const insert = (trx: Kysely<Tables>, name: string) => trx.insertInto('items').values({ name }).execute();
    await expect(
      db.transaction().execute(async (trx) => {
        await insert(trx, 'x');
        await insert(trx, 'x'); // unique violation: the whole transaction rolls back
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(await db.selectFrom('items').selectAll().execute()).toEqual([]);
    await db.transaction().execute(async (trx) => {
      await insert(trx, 'x');
      await insert(trx, 'y');
    });
    expect((await db.selectFrom('items').select('name').orderBy('name').execute()).map((r) => r.name)).toEqual([
      'x',
      'y',
    ]);
  });

  it('forgets the least recently used statement beyond its size', () => {
    const { cached } = fresh(2);
    const a = cached.prepare('select 1');
    cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(a); // now the most recently used
    cached.prepare('select 3'); // evicts "select 2"
    expect(cached.cached).toBe(2);
    expect(cached.prepare('select 1')).toBe(a);
    const b = cached.prepare('select 2');
    expect(cached.prepare('select 2')).toBe(b);
  });

  it('gives a query its own statement while the cached one is still being iterated', async () => {
    const { db, cached } = fresh();
    for (const name of ['a', 'b']) await db.insertInto('items').values({ name }).execute();
    const text = 'select name from items order by name';
    const outer = cached.prepare(text).iterate([]) as IterableIterator<{ name: string }>;
    expect(outer.next().value).toEqual({ name: 'a' });
    expect(cached.prepare(text).all([])).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(outer.next().value).toEqual({ name: 'b' });
    outer.return?.();
  });
});
