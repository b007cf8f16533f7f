/**
 * @module adapters/sqlite/sqlite-access-store
 * The AccessStore port: agent tokens (migration 2026_12_06_0400) and the owner column on projects.
 * Its tables are typed here, beside the queries that use them, so schema.ts stays the other stores'.
 */
import type { Kysely } from 'kysely';
import { conflict } from '../../domain/errors.js';
import type { AccessStore, AgentTokenRecord, NewAgentToken, Scope } from '../../ports/access-store.port.js';
import { nowIso, parseJson } from './json.js';
import type { Database } from './schema.js';

interface AgentTokensTable {
  name: string;
  hash: string;
  scope: string;
  projects: string;
  max_projects: number | null;
  expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

interface AccessDatabase {
  agent_tokens: AgentTokensTable;
  projects: { name: string; owner_token: string | null };
  operations: { id: string; actor: string | null };
  releases: { id: number; actor: string | null };
}

const toRecord = (row: AgentTokensTable): AgentTokenRecord => ({
  name: row.name,
  hash: row.hash,
  scope: row.scope as Scope,
  projects: parseJson<string[]>(row.projects, []),
  maxProjects: row.max_projects,
  expiresAt: row.expires_at,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

export class SqliteAccessStore implements AccessStore {
  private readonly db: Kysely<AccessDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = db as unknown as Kysely<AccessDatabase>;
  }

  async createToken(token: NewAgentToken): Promise<AgentTokenRecord> {
    const row: AgentTokensTable = {
      name: token.name,
      hash: token.hash,
      scope: token.scope,
      projects: JSON.stringify(token.projects),
      max_projects: token.maxProjects,
      expires_at: token.expiresAt,
      created_at: nowIso(),
      last_used_at: null,
      revoked_at: null,
    };
    // One transaction: a revoked token of the same name is replaced, a live one is a conflict.
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('agent_tokens')
        .select('revoked_at')
        .where('name', '=', token.name)
        .executeTakeFirst();
      if (existing && existing.revoked_at === null) {
        throw conflict(
          `token "${token.name}" already exists`,
          'Revoke it first (threesix-mcp token revoke NAME) or choose another name',
        );
      }
      if (existing) await trx.deleteFrom('agent_tokens').where('name', '=', token.name).execute();
      await trx.insertInto('agent_tokens').values(row).execute();
      return toRecord(row);
    });
  }

  async findTokenByHash(hash: string): Promise<AgentTokenRecord | undefined> {
    const row = await this.db.selectFrom('agent_tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async listTokens(): Promise<AgentTokenRecord[]> {
    return (await this.db.selectFrom('agent_tokens').selectAll().orderBy('name').execute()).map(toRecord);
  }

  async revokeToken(name: string): Promise<boolean> {
    const result = await this.db
      .updateTable('agent_tokens')
      .set({ revoked_at: nowIso() })
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async anyToken(): Promise<boolean> {
    return (await this.db.selectFrom('agent_tokens').select('name').limit(1).executeTakeFirst()) !== undefined;
  }

  async touchToken(name: string, at: string): Promise<void> {
    await this.db.updateTable('agent_tokens').set({ last_used_at: at }).where('name', '=', name).execute();
  }

  async claimProject(project: string, token: string): Promise<void> {
    await this.db
      .updateTable('projects')
      .set({ owner_token: token })
      .where('name', '=', project)
      .where('owner_token', 'is', null)
      .execute();
  }

  async recordActor(row: { operation: string } | { release: number }, actor: string): Promise<void> {
    if ('operation' in row)
      await this.db.updateTable('operations').set({ actor }).where('id', '=', row.operation).execute();
    else await this.db.updateTable('releases').set({ actor }).where('id', '=', row.release).execute();
  }

  async actorOf(row: { operation: string } | { release: number }): Promise<string | null> {
    const found =
      'operation' in row
        ? await this.db.selectFrom('operations').select('actor').where('id', '=', row.operation).executeTakeFirst()
        : await this.db.selectFrom('releases').select('actor').where('id', '=', row.release).executeTakeFirst();
    return found?.actor ?? null;
  }

  async countOwnedProjects(token: string): Promise<number> {
    const row = await this.db
      .selectFrom('projects')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('owner_token', '=', token)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
