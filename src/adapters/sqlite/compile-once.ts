/**
 * @module adapters/sqlite/compile-once
 * A query written with Kysely's builder, compiled on first use and then run with new values.
 * Kysely builds and compiles a query on every call, ~10 µs here, as much as running the prepared
 * statement itself; the webhook's hot statements pay that per delivery. The builder receives slots
 * instead of values; the compiled parameters that are slots are filled in on each call, the others
 * (constants written into the builder) are kept. The SQL does not depend on which connection or
 * transaction compiles it, only on the dialect (`?` on SQLite, `$1` on PostgreSQL; one process may
 * hold both, as the store's contract tests do): one template per dialect adapter's class.
 */
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.js';

const SLOT = '\u0000threesix-slot:';

type Slot<K extends string> = <T = string>(name: K) => T;

export function compileOnce<K extends string>(
  build: (db: Kysely<Database>, slot: Slot<K>) => Compilable,
): (db: Kysely<Database>, values: Record<K, unknown>) => CompiledQuery {
  const templates = new Map<unknown, { sql: string; parameters: ReadonlyArray<{ slot: K } | { value: unknown }> }>();
  return (db, values) => {
    const dialect = db.getExecutor().adapter.constructor;
    let template = templates.get(dialect);
    if (!template) {
      const compiled = build(db, (name) => `${SLOT}${name}` as never).compile();
      const parameters = compiled.parameters.map((p) =>
        typeof p === 'string' && p.startsWith(SLOT) ? { slot: p.slice(SLOT.length) as K } : { value: p },
      );
      template = { sql: compiled.sql, parameters };
      templates.set(dialect, template);
    }
    return CompiledQuery.raw(
      template.sql,
      template.parameters.map((p) => ('slot' in p ? values[p.slot] : p.value)),
    );
  };
}

/**
 * For a query whose shape depends on how many values a list has (`in (?, ?)`, a multi-row insert):
 * one compiled template per count. The list's values go in slots "0", "1", …; `slot` also names
 * the query's other values.
 */
export function compileOncePerCount(
  build: (db: Kysely<Database>, slot: Slot<string>, listSlots: string[]) => Compilable,
) {
  const byCount = new Map<number, ReturnType<typeof compileOnce<string>>>();
  return (db: Kysely<Database>, list: readonly unknown[], values: Record<string, unknown> = {}): CompiledQuery => {
    let query = byCount.get(list.length);
    if (!query) {
      const listSlots = list.map((_, i) => String(i));
      query = compileOnce<string>((d, slot) => build(d, slot, listSlots));
      byCount.set(list.length, query);
    }
    return query(db, { ...values, ...Object.fromEntries(list.map((value, i) => [String(i), value])) });
  };
}
