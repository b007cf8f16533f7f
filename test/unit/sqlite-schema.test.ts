/**
 * The migrations are dialect-neutral (they also build PostgreSQL's schema), but SQLite must get
 * exactly the schema it always got: an existing database file is never migrated again, so any
 * difference would leave old and new installations with different tables. The snapshot was taken
 * from the migrations before they learned PostgreSQL; a new migration changes it, deliberately
 * (`npx vitest run test/unit/sqlite-schema.test.ts -u`, then read the diff).
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/sqlite/database.js';

describe('SQLite schema from the migrations', () => {
  it('is byte for byte what SQLite always got', async () => {
    const opened = await openDatabase(':memory:');
    const rows = opened.raw
      .prepare("select type, name, tbl_name, sql from sqlite_master where name not like 'kysely_%' order by type, name")
      .all() as { type: string; name: string; sql: string | null }[];
    await opened.close();
    const dump = rows.map((r) => `-- ${r.type} ${r.name}\n${r.sql ?? '(automatic)'};`).join('\n\n') + '\n';
    await expect(dump).toMatchFileSnapshot('__schema__/sqlite-schema.sql');
  });
});
