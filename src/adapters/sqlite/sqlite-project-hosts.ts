/**
 * `project_hosts`, the custom domains each project serves, one row per host with the host as the
 * primary key: whatever process or replica writes, the database records a host for one project
 * only. Written in the same transaction as `projects.custom_domains`, which stays the list a
 * project reads (its order is the order the owner added them).
 */
import type { Kysely } from 'kysely';
import { conflict } from '../../domain/errors.js';
import type { Database } from './schema.js';

/** Makes the project's rows say `hosts` (inside the caller's transaction); CONFLICT names a taken host's holder. */
export async function recordProjectHosts(
  db: Kysely<Database>,
  project: string,
  hosts: readonly string[],
): Promise<void> {
  let stale = db.deleteFrom('project_hosts').where('project', '=', project);
  if (hosts.length > 0) stale = stale.where('host', 'not in', hosts);
  await stale.execute();
  for (const host of hosts) {
    // Nothing inserted: a row holds it, ours or another project's. ON CONFLICT keeps a PostgreSQL
    // transaction usable for the read that names the holder.
    const inserted = await db
      .insertInto('project_hosts')
      .values({ host, project })
      .onConflict((oc) => oc.column('host').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) continue;
    const holder = await db.selectFrom('project_hosts').select('project').where('host', '=', host).executeTakeFirst();
    if (holder && holder.project !== project)
      throw conflict(
        `${host} already serves project "${holder.project}"`,
        'A domain can serve one project; remove it there first',
      );
  }
}

/** Forgets every host of a deleted project (inside the caller's transaction). */
export async function forgetProjectHosts(db: Kysely<Database>, project: string): Promise<void> {
  await db.deleteFrom('project_hosts').where('project', '=', project).execute();
}
