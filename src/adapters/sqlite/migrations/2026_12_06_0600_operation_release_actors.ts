/**
 * Who started an operation or made a release over MCP: the token's name (agent token, `oidc:<sub>`
 * or `operator`), written right after the row by the session that made it. Null for rows from
 * stdio, an open loopback server, CI deliveries (whose actor is in deploy_queue) and older rows.
 * Frozen in time: takes `Kysely<unknown>` and imports no app code.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('operations').addColumn('actor', 'text').execute();
  await db.schema.alterTable('releases').addColumn('actor', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('releases').dropColumn('actor').execute();
  await db.schema.alterTable('operations').dropColumn('actor').execute();
}
