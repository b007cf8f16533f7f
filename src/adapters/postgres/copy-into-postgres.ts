/**
 * @module adapters/postgres/copy-into-postgres
 * The writing half of `threesix-mcp migrate-state`: a state snapshot's tables (adapters/sqlite/
 * state-snapshot.ts) into the PostgreSQL database of THREESIX_DATABASE_URL, all in one
 * transaction, so the target ends either with every row or with none. Rows keep their ids and
 * timestamps (they are copied column for column); the serial columns' sequences then start after
 * the highest id copied, so the next release or audit event does not collide; and each table's
 * count is checked against the source's before the commit.
 *
 * A target that already holds any row is refused, whatever the table: merging two installations'
 * state would collide on ids and install secrets, and replacing it would throw away state on a
 * typo. An operator who means it drops and recreates the database. Errors name a table and
 * PostgreSQL's error code, never a value: rows hold token hashes and install secrets.
 */
import pg from 'pg';
import { quote, type StateSnapshot } from '../sqlite/state-snapshot.js';

export interface TableCopy {
  table: string;
  rows: number;
}

export type CopyOutcome =
  | { status: 'copied' | 'dry-run'; tables: TableCopy[]; sequences: string[] }
  | { status: 'refused'; occupied: TableCopy[] };

/** Rows per INSERT: large enough to be quick, and within PostgreSQL's 65535 parameters. */
const MAX_ROWS_PER_INSERT = 500;
const MAX_PARAMETERS = 60_000;

export async function copyIntoPostgres(
  url: string,
  snapshot: StateSnapshot,
  options: { dryRun: boolean },
): Promise<CopyOutcome> {
  if (!options.dryRun) {
    // The target's schema comes from the same code `serve` runs (and its advisory lock), never from here.
    const { openPostgresStateStore } = await import('./postgres-state-store.js');
    await (await openPostgresStateStore(url, { maxConnections: 1 })).close();
  }
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    // pg's messages name the host and user, never the password; no `cause`, which may hold the URL.
    throw new Error(`cannot connect to the PostgreSQL database in THREESIX_DATABASE_URL: ${(error as Error).message}`);
  }
  try {
    await client.query(options.dryRun ? 'begin read only' : 'begin');
    const target = await targetColumns(client);
    if (!options.dryRun) checkSameSchema(snapshot, target);
    const present = snapshot.tables.filter((t) => target.has(t.name));
    if (!options.dryRun && present.length > 0)
      // Nobody else writes while we look and copy: a replica started too early waits, then sees the rows.
      await client.query(`lock table ${present.map((t) => quote(t.name)).join(', ')} in exclusive mode`);
    const occupied = (
      await countRows(
        client,
        present.map((t) => t.name),
      )
    ).filter((t) => t.rows > 0);
    if (occupied.length > 0) {
      await client.query('rollback');
      return { status: 'refused', occupied };
    }
    const planned = snapshot.tables.map((t) => ({ table: t.name, rows: t.rows }));
    if (options.dryRun) {
      await client.query('rollback');
      return { status: 'dry-run', tables: planned, sequences: [] };
    }
    for (const table of snapshot.tables) await copyTable(client, snapshot, table.name, table.columns);
    const sequences = await resetSequences(client);
    const copied = await countRows(
      client,
      snapshot.tables.map((t) => t.name),
    );
    const wrong = copied.filter((c, i) => c.rows !== snapshot.tables[i]!.rows);
    if (wrong.length > 0)
      throw new Error(`row counts differ after copying ${wrong.map((w) => w.table).join(', ')}: nothing was written`);
    await client.query('commit');
    return { status: 'copied', tables: copied, sequences };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The target's tables in its first schema (where the store's migrations put them), kysely's own left out. */
async function targetColumns(client: pg.Client): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and table_name not like 'kysely_migration%'
      order by table_name, ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const row of rows) tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
  return tables;
}

/** Both ran the same migrations, so they must agree; if not, say where rather than copy half a table. */
function checkSameSchema(snapshot: StateSnapshot, target: Map<string, string[]>): void {
  const differences: string[] = [];
  for (const table of snapshot.tables) {
    const columns = target.get(table.name);
    if (!columns) differences.push(`${table.name} is missing`);
    else if ([...columns].sort().join() !== [...table.columns].sort().join())
      differences.push(`${table.name}'s columns differ`);
  }
  const known = new Set(snapshot.tables.map((t) => t.name));
  for (const name of target.keys()) if (!known.has(name)) differences.push(`${name} is not in the source`);
  if (differences.length > 0)
    throw new Error(`the PostgreSQL schema does not match the SQLite one: ${differences.join('; ')}`);
}

async function countRows(client: pg.Client, tables: string[]): Promise<TableCopy[]> {
  const counted: TableCopy[] = [];
  for (const table of tables) {
    const { rows } = await client.query<{ count: string }>(`select count(*) as count from ${quote(table)}`);
    counted.push({ table, rows: Number(rows[0]!.count) });
  }
  return counted;
}

async function copyTable(client: pg.Client, snapshot: StateSnapshot, table: string, columns: string[]): Promise<void> {
  const perInsert = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / columns.length)));
  const head = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values `;
  let batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    try {
      // bigint and Buffer values go as text and bytes: pg serialises both without loss.
      await client.query(head + values.join(', '), batch.flat());
    } catch (error) {
      const { code, column, constraint } = error as { code?: string; column?: string; constraint?: string };
      const where = [column && `column ${column}`, constraint && `constraint ${constraint}`].filter(Boolean).join(', ');
      // Not pg's message: "invalid input syntax for type …" quotes the value.
      throw new Error(`copying ${table} failed: PostgreSQL error ${code ?? 'unknown'}${where ? ` (${where})` : ''}`);
    }
    batch = [];
  };
  for (const row of snapshot.rows(table)) {
    batch.push(row);
    if (batch.length >= perInsert) await flush();
  }
  await flush();
}

/** Serial and identity columns' sequences continue after the highest id copied. */
async function resetSequences(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string; column_name: string; sequence: string | null }>(
    `select table_name, column_name,
            pg_get_serial_sequence(quote_ident(table_schema) || '.' || quote_ident(table_name), column_name) as sequence
       from information_schema.columns
      where table_schema = current_schema() and table_name not like 'kysely_migration%'
        and (column_default like 'nextval(%' or is_identity = 'YES')
      order by table_name, column_name`,
  );
  const reset: string[] = [];
  for (const row of rows) {
    if (!row.sequence) continue;
    await client.query(
      `select setval($1, coalesce((select max(${quote(row.column_name)}) from ${quote(row.table_name)}), 0) + 1, false)`,
      [row.sequence],
    );
    reset.push(`${row.table_name}.${row.column_name}`);
  }
  return reset;
}
