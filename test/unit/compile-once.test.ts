/**
 * A query compiled once runs with each call's values, keeps the constants written into its
 * builder, and compiles to the SQL Kysely itself would run.
 */
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileOnce, compileOncePerCount } from '../../src/adapters/sqlite/compile-once.js';
import { openDatabase } from '../../src/adapters/sqlite/database.js';

describe('compileOnce', () => {
  it('fills the slots per call, keeps constants, and matches the builder', async () => {
    const sqlite = await openDatabase(':memory:');
    const { db } = sqlite;
    const insert = compileOnce<'time' | 'target'>((d, slot) =>
      d.insertInto('audit_events').values({
        time: slot('time'),
        actor: 'test',
        action: 'probe',
        target: slot('target'),
        result: 'ok',
        detail: null,
      }),
    );
    const byTarget = compileOnce<'target'>((d, slot) =>
      d
        .selectFrom('audit_events')
        .select(['target', 'actor'])
        .where('target', '=', slot('target'))
        .orderBy('id')
        .limit(5),
    );

    await db.executeQuery(insert(db, { time: '2026-11-26T00:00:00Z', target: 'shop' }));
    await db
      .transaction()
      .execute((trx) => trx.executeQuery(insert(trx, { time: '2026-11-26T00:00:01Z', target: 'blog' })));
    await db.executeQuery(insert(db, { time: '2026-11-26T00:00:02Z', target: 'shop' }));

    expect((await db.executeQuery(byTarget(db, { target: 'shop' }))).rows).toEqual([
      { target: 'shop', actor: 'test' },
      { target: 'shop', actor: 'test' },
    ]);
    expect((await db.executeQuery(byTarget(db, { target: 'blog' }))).rows).toEqual([{ target: 'blog', actor: 'test' }]);
    const built = db
      .selectFrom('audit_events')
      .select(['target', 'actor'])
      .where('target', '=', 'blog')
      .orderBy('id')
      .limit(5)
      .compile();
    const once = byTarget(db, { target: 'blog' });
    expect([once.sql, once.parameters]).toEqual([built.sql, built.parameters]);
    await sqlite.close();
  });

  it("compiles once per dialect: a PostgreSQL store in the same process gets $1, not SQLite's ?", async () => {
    const sqlite = await openDatabase(':memory:');
    // Compiles only (DummyDriver runs nothing): what matters is the SQL each dialect is handed.
    const postgres = new Kysely<never>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (d) => new PostgresIntrospector(d),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    const byTarget = compileOnce<'target'>((d, slot) =>
      d.selectFrom('audit_events').select('actor').where('target', '=', slot('target')),
    );
    expect(byTarget(sqlite.db, { target: 'a' }).sql).toBe('select "actor" from "audit_events" where "target" = ?');
    expect(byTarget(postgres as never, { target: 'b' })).toMatchObject({
      sql: 'select "actor" from "audit_events" where "target" = $1',
      parameters: ['b'],
    });
    expect(byTarget(sqlite.db, { target: 'c' }).sql).toBe('select "actor" from "audit_events" where "target" = ?');
    await sqlite.close();
  });

  it('keeps one template per list length, each filled with its own values', async () => {
    const sqlite = await openDatabase(':memory:');
    const { db } = sqlite;
    for (const target of ['a', 'b', 'c'])
      await db
        .insertInto('audit_events')
        .values({ time: 't', actor: 'x', action: 'y', target, result: 'ok', detail: null })
        .execute();
    const among = compileOncePerCount((d, slot, list) =>
      d
        .selectFrom('audit_events')
        .select('target')
        .where(
          'target',
          'in',
          list.map((i) => slot(i)),
        )
        .where('actor', '=', slot('actor'))
        .orderBy('target'),
    );
    const targets = async (list: string[], actor = 'x') =>
      (await db.executeQuery<{ target: string }>(among(db, list, { actor }))).rows.map((r) => r.target);
    expect(await targets(['a'])).toEqual(['a']);
    expect(await targets(['c', 'a'])).toEqual(['a', 'c']);
    expect(await targets(['b'])).toEqual(['b']);
    expect(await targets(['a', 'b', 'z'])).toEqual(['a', 'b']);
    expect(await targets(['a', 'b'], 'nobody')).toEqual([]);
    await sqlite.close();
  });
});
