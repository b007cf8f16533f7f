/**
 * `project_hosts`: one row per custom domain a project serves, the host its primary key, so the
 * database itself refuses to record one host for two projects, whatever process or replica writes
 * (several stdio processes on one SQLite file take no common lock). Kept by the project store
 * beside `projects.custom_domains`. Filled from the existing rows; should two projects already list
 * one host, the first by name keeps it in this table (the other's row is left as it is).
 * Frozen in time: types only the columns it reads and writes, as they were then, and imports no app code.
 */
import type { Kysely } from 'kysely';

/** The columns this migration reads and writes, as they were on 2026-12-06. */
interface Then {
  projects: { name: string; custom_domains: string };
  project_hosts: { host: string; project: string };
}

export async function up(db: Kysely<Then>): Promise<void> {
  await db.schema
    .createTable('project_hosts')
    .addColumn('host', 'text', (c) => c.primaryKey())
    .addColumn('project', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('project_hosts_project').on('project_hosts').column('project').execute();
  const rows = await db.selectFrom('projects').select(['name', 'custom_domains']).orderBy('name').execute();
  const seen = new Set<string>();
  for (const row of rows) {
    for (const host of hostsOf(row.custom_domains)) {
      if (seen.has(host)) continue;
      seen.add(host);
      await db.insertInto('project_hosts').values({ host, project: row.name }).execute();
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('project_hosts').ifExists().execute();
}

function hostsOf(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((h): h is string => typeof h === 'string') : [];
  } catch {
    return [];
  }
}
