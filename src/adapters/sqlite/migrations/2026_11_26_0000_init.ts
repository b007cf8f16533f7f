/**
 * Initial schema. Migrations are frozen in time: they take `Kysely<unknown>` and import no app code.
 */
import type { Kysely } from 'kysely';
import { autoIncrementKey, nowIsoDefault } from './portable-types.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('projects')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('provisioning'))
    .addColumn('git_repo_name', 'text')
    .addColumn('git_repo_id', 'integer')
    .addColumn('git_clone_ssh', 'text')
    .addColumn('git_clone_http', 'text')
    .addColumn('git_web_url', 'text')
    .addColumn('domain', 'text')
    .addColumn('custom_domains', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('deployment_image', 'text')
    .addColumn('deployment_digest', 'text')
    .addColumn('deployment_status', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('deployment_replicas', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('deployed_sha', 'text')
    .addColumn('ci_repo_id', 'integer')
    .addColumn('dns_record_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('deploy_token_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('idx_projects_domain').on('projects').column('domain').execute();

  await db.schema
    .createTable('releases')
    .addColumn('id', ...autoIncrementKey(db))
    .addColumn('project', 'text', (c) => c.notNull().references('projects.name').onDelete('cascade'))
    .addColumn('image', 'text', (c) => c.notNull())
    .addColumn('digest', 'text')
    .addColumn('commit_sha', 'text')
    .addColumn('env_hash', 'text')
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('replicas', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('idx_releases_project').on('releases').columns(['project', 'id']).execute();

  await db.schema
    .createTable('operations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('idx_operations_target').on('operations').columns(['kind', 'target', 'status']).execute();

  await db.schema
    .createTable('operation_steps')
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operations.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('output', 'text')
    .addColumn('error', 'text')
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('pk_operation_steps', ['operation_id', 'name'])
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', ...autoIncrementKey(db))
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('idx_audit_target').on('audit_events').columns(['target', 'id']).execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('project', 'text')
    .addColumn('sha', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull().defaultTo(nowIsoDefault(db)))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['webhook_deliveries', 'audit_events', 'operation_steps', 'operations', 'releases', 'projects']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
