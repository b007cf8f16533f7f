/**
 * @module adapters/sqlite/sqlite-mcp-session-store
 * McpSessionStore on `mcp_sessions` and `mcp_session_subscriptions`, portable SQL (the PostgreSQL
 * store runs it too). A subscription is a row of its own, so two replicas subscribing one session
 * at once cannot overwrite each other; it is inserted only while its session exists.
 */
import type { Kysely } from 'kysely';
import type { McpInitializeParams, McpSessionRecord, McpSessionStore } from '../../ports/mcp-session-store.port.js';
import { nowIso, parseJson } from './json.js';
import type { Database } from './schema.js';

export class SqliteMcpSessionStore implements McpSessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(session: { id: string; identityName: string | null; initialize: McpInitializeParams }): Promise<void> {
    const now = nowIso();
    await this.db
      .insertInto('mcp_sessions')
      .values({
        id: session.id,
        identity_name: session.identityName,
        initialize_params: JSON.stringify(session.initialize),
        created_at: now,
        last_seen_at: now,
      })
      .execute();
  }

  async get(id: string): Promise<McpSessionRecord | undefined> {
    const row = await this.db.selectFrom('mcp_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      identityName: row.identity_name,
      initialize: parseJson<McpInitializeParams>(row.initialize_params, {
        protocolVersion: '',
        capabilities: {},
        clientInfo: { name: '', version: '' },
      }),
      subscriptions: await this.subscriptions(id),
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
    };
  }

  async touch(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('mcp_sessions')
      .set({ last_seen_at: nowIso() })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async subscribe(id: string, uri: string): Promise<void> {
    // One statement: the row goes in only while the session exists, and a repeat is a no-op.
    await this.db
      .insertInto('mcp_session_subscriptions')
      .columns(['session_id', 'uri'])
      .expression((eb) =>
        eb
          .selectFrom('mcp_sessions')
          .select([eb.val(id).as('session_id'), eb.val(uri).as('uri')])
          .where('id', '=', id),
      )
      .onConflict((oc) => oc.columns(['session_id', 'uri']).doNothing())
      .execute();
  }

  async unsubscribe(id: string, uri: string): Promise<void> {
    await this.db.deleteFrom('mcp_session_subscriptions').where('session_id', '=', id).where('uri', '=', uri).execute();
  }

  async subscriptions(id: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('mcp_session_subscriptions')
      .select('uri')
      .where('session_id', '=', id)
      .orderBy('uri')
      .execute();
    return rows.map((r) => r.uri);
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('mcp_session_subscriptions').where('session_id', '=', id).execute();
      const result = await trx.deleteFrom('mcp_sessions').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  async expire(lastSeenBefore: string, only?: readonly string[]): Promise<string[]> {
    if (only?.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      let query = trx.deleteFrom('mcp_sessions').where('last_seen_at', '<', lastSeenBefore);
      if (only) query = query.where('id', 'in', only);
      const rows = await query.returning('id').execute();
      const ids = rows.map((r) => r.id);
      if (ids.length > 0) await trx.deleteFrom('mcp_session_subscriptions').where('session_id', 'in', ids).execute();
      return ids;
    });
  }
}
