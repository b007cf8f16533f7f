/**
 * Column types for migrations that run on SQLite and PostgreSQL alike. Each helper gives SQLite
 * exactly what the migrations always asked for (test/unit/sqlite-schema.test.ts holds SQLite's
 * schema byte for byte), and PostgreSQL the type that stores the same values:
 * - a SQLite `integer primary key autoincrement` is PostgreSQL's `serial primary key`;
 * - SQLite's `integer` and `real` are 8 bytes, PostgreSQL's 4: epoch milliseconds need `bigint`
 *   there, and byte counts and averages `double precision`;
 * - SQLite's `strftime` is PostgreSQL's `to_char`, for the same ISO-8601 UTC text.
 * Frozen in time like the migrations: imports nothing but kysely.
 */
import {
  PostgresAdapter,
  sql,
  type ColumnBuilderCallback,
  type ColumnDataType,
  type Kysely,
  type RawBuilder,
} from 'kysely';

export const onPostgres = <DB>(db: Kysely<DB>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** Arguments for `addColumn(name, ...)`: an auto-numbered integer primary key. */
export function autoIncrementKey(db: Kysely<unknown>): [ColumnDataType, ColumnBuilderCallback] {
  return onPostgres(db) ? ['serial', (c) => c.primaryKey()] : ['integer', (c) => c.primaryKey().autoIncrement()];
}

/** An integer that may exceed 2^31 (epoch milliseconds). */
export const wideInteger = (db: Kysely<unknown>): ColumnDataType => (onPostgres(db) ? 'bigint' : 'integer');

/** A floating-point number with SQLite's 8-byte precision. */
export const double = (db: Kysely<unknown>): ColumnDataType => (onPostgres(db) ? 'double precision' : 'real');

/** The current time as ISO-8601 UTC text with milliseconds, as a column default. */
export function nowIsoDefault(db: Kysely<unknown>): RawBuilder<string> {
  return onPostgres(db)
    ? sql`(to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`
    : sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
}
