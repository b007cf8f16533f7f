/**
 * Agent tokens (`threesix-mcp token create`): one row per token name, holding only the sha256 of the
 * token (unique, so a request's token is found by one indexed lookup), its scope, project globs
 * (JSON array), project bound, expiry, last use and revocation time. Revoked rows stay, so that
 * `token list` shows them and the server keeps requiring tokens after the last one is revoked.
 * `projects.owner_token`: the token that created a project, for `--max-projects`; null for projects
 * made by the operator or before this migration.
 * Frozen in time: takes `Kysely<unknown>` and imports no app code.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_tokens')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('projects', 'text', (c) => c.notNull())
    .addColumn('max_projects', 'integer')
    .addColumn('expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.alterTable('projects').addColumn('owner_token', 'text').execute();
  await db.schema.createIndex('idx_projects_owner_token').on('projects').column('owner_token').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('idx_projects_owner_token').ifExists().execute();
  await db.schema.alterTable('projects').dropColumn('owner_token').execute();
  await db.schema.dropTable('agent_tokens').ifExists().execute();
}
