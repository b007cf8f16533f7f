/**
 * MCP sessions in the database, so a session opened on one `serve` replica works on another: who
 * opened it (a token's name, never the token), the client's `initialize` parameters (replayed to
 * rebuild the session elsewhere), when it was last used (idle expiry across replicas), and the
 * resource URIs it subscribed to, one row each (two replicas adding at once cannot lose one).
 * Frozen in time: takes `Kysely<unknown>` and imports no app code.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mcp_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identity_name', 'text')
    .addColumn('initialize_params', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mcp_sessions_last_seen').on('mcp_sessions').column('last_seen_at').execute();
  await db.schema
    .createTable('mcp_session_subscriptions')
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('uri', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mcp_session_subscriptions_pk', ['session_id', 'uri'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mcp_session_subscriptions').ifExists().execute();
  await db.schema.dropTable('mcp_sessions').ifExists().execute();
}
