/**
 * @module adapters/sqlite/statement-cache
 * Kysely's SQLite driver calls `prepare(sql)` for every query it runs, and better-sqlite3 compiles
 * the statement anew each time: for short queries that compiling costs as much as running them.
 * This wraps the database so the driver gets a prepared statement back from a small LRU keyed by
 * the SQL text. Reuse is safe: SQLite re-prepares a statement itself when the schema changes,
 * better-sqlite3 binds the parameters afresh on every run and resets the statement afterwards,
 * and the driver holds its one connection for a whole query or transaction.
 */
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** What the cache needs of better-sqlite3's Database (`busy`: a statement mid-iteration). */
export interface PreparingDatabase {
  prepare(sql: string): SqliteStatement & { readonly busy: boolean };
  close(): unknown;
}

// The app has a few dozen distinct queries; the bound only matters for generated SQL (`in (?, ?, …)`).
const DEFAULT_SIZE = 200;

export function withStatementCache(
  database: PreparingDatabase,
  size = DEFAULT_SIZE,
): SqliteDatabase & { readonly cached: number } {
  const cache = new Map<string, ReturnType<PreparingDatabase['prepare']>>();
  return {
    prepare(sql) {
      const hit = cache.get(sql);
      // A statement still being iterated (a streamed select) cannot run again; give this query its own.
      if (hit?.busy) return database.prepare(sql);
      if (hit) {
        // Map order is insertion order: move the hit to the end, so the first key is the least recently used.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const statement = database.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return statement;
    },
    close() {
      cache.clear();
      database.close();
    },
    get cached() {
      return cache.size;
    },
  };
}
