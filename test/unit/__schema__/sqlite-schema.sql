-- index idx_audit_target
CREATE INDEX "idx_audit_target" on "audit_events" ("target", "id");

-- index idx_deploy_queue_status
CREATE INDEX "idx_deploy_queue_status" on "deploy_queue" ("status", "project", "id");

-- index idx_operations_target
CREATE INDEX "idx_operations_target" on "operations" ("kind", "target", "status");

-- index idx_projects_deploy_token_hash
CREATE INDEX "idx_projects_deploy_token_hash" on "projects" ("deploy_token_hash");

-- index idx_projects_domain
CREATE INDEX "idx_projects_domain" on "projects" ("domain");

-- index idx_projects_owner_token
CREATE INDEX "idx_projects_owner_token" on "projects" ("owner_token");

-- index idx_releases_commit
CREATE INDEX "idx_releases_commit" on "releases" ("project", "commit_sha");

-- index idx_releases_in_progress
CREATE INDEX "idx_releases_in_progress" on "releases" ("id") where "status" = 'in_progress';

-- index idx_releases_project
CREATE INDEX "idx_releases_project" on "releases" ("project", "id");

-- index idx_usage_samples_age
CREATE INDEX "idx_usage_samples_age" on "usage_samples" ("resolution", "bucket_start");

-- index mcp_sessions_last_seen
CREATE INDEX "mcp_sessions_last_seen" on "mcp_sessions" ("last_seen_at");

-- index project_hosts_project
CREATE INDEX "project_hosts_project" on "project_hosts" ("project");

-- index sqlite_autoindex_agent_tokens_1
(automatic);

-- index sqlite_autoindex_agent_tokens_2
(automatic);

-- index sqlite_autoindex_install_secrets_1
(automatic);

-- index sqlite_autoindex_kysely_migration_1
(automatic);

-- index sqlite_autoindex_kysely_migration_lock_1
(automatic);

-- index sqlite_autoindex_mcp_session_subscriptions_1
(automatic);

-- index sqlite_autoindex_mcp_sessions_1
(automatic);

-- index sqlite_autoindex_operation_steps_1
(automatic);

-- index sqlite_autoindex_operations_1
(automatic);

-- index sqlite_autoindex_project_hosts_1
(automatic);

-- index sqlite_autoindex_project_settings_1
(automatic);

-- index sqlite_autoindex_projects_1
(automatic);

-- index sqlite_autoindex_usage_samples_1
(automatic);

-- index sqlite_autoindex_webhook_deliveries_1
(automatic);

-- table agent_tokens
CREATE TABLE "agent_tokens" ("name" text primary key, "hash" text not null unique, "scope" text not null, "projects" text not null, "max_projects" integer, "expires_at" text, "created_at" text not null, "last_used_at" text, "revoked_at" text);

-- table audit_events
CREATE TABLE "audit_events" ("id" integer primary key autoincrement, "time" text not null, "actor" text not null, "action" text not null, "target" text not null, "result" text not null, "detail" text);

-- table deploy_queue
CREATE TABLE "deploy_queue" ("id" integer primary key autoincrement, "project" text not null, "sha" text not null, "image" text not null, "actor" text not null, "delivery_key" text not null, "status" text not null, "reason" text, "created_at" text not null, "updated_at" text not null);

-- table install_secrets
CREATE TABLE "install_secrets" ("name" text primary key, "value" text not null, "created_at" text not null);

-- table mcp_session_subscriptions
CREATE TABLE "mcp_session_subscriptions" ("session_id" text not null, "uri" text not null, constraint "mcp_session_subscriptions_pk" primary key ("session_id", "uri"));

-- table mcp_sessions
CREATE TABLE "mcp_sessions" ("id" text primary key, "identity_name" text, "initialize_params" text not null, "created_at" text not null, "last_seen_at" text not null);

-- table operation_steps
CREATE TABLE "operation_steps" ("operation_id" text not null references "operations" ("id") on delete cascade, "position" integer not null, "name" text not null, "status" text not null, "output" text, "error" text, "started_at" text, "finished_at" text, "intent" text, constraint "pk_operation_steps" primary key ("operation_id", "name"));

-- table operations
CREATE TABLE "operations" ("id" text primary key, "kind" text not null, "target" text not null, "status" text not null, "input" text not null, "result" text, "error" text, "created_at" text not null, "updated_at" text not null, "lease_owner" text, "lease_expires_at" text, "actor" text);

-- table project_hosts
CREATE TABLE "project_hosts" ("host" text primary key, "project" text not null);

-- table project_settings
CREATE TABLE "project_settings" ("project" text primary key, "settings" text not null, "updated_at" text not null);

-- table projects
CREATE TABLE "projects" ("name" text primary key, "description" text default '' not null, "state" text default 'provisioning' not null, "git_repo_name" text, "git_repo_id" integer, "git_clone_ssh" text, "git_clone_http" text, "git_web_url" text, "domain" text, "custom_domains" text default '[]' not null, "deployment_image" text, "deployment_digest" text, "deployment_status" text default 'none' not null, "deployment_replicas" integer default 1 not null, "deployed_sha" text, "ci_repo_id" integer, "dns_record_ids" text default '[]' not null, "deploy_token_hash" text, "created_at" text not null, "updated_at" text not null, "owner_token" text);

-- table releases
CREATE TABLE "releases" ("id" integer primary key autoincrement, "project" text not null references "projects" ("name") on delete cascade, "image" text not null, "digest" text, "commit_sha" text, "env_hash" text, "port" integer not null, "replicas" integer not null, "status" text not null, "reason" text, "created_at" text not null, "updated_at" text not null, "actor" text);

-- table sqlite_sequence
CREATE TABLE sqlite_sequence(name,seq);

-- table usage_samples
CREATE TABLE "usage_samples" ("project" text not null, "resolution" text not null, "bucket_start" integer not null, "cpu_avg" real not null, "cpu_peak" real not null, "memory_avg" real not null, "memory_peak" real not null, "restarts" integer not null, "samples" integer not null, constraint "usage_samples_pk" primary key ("project", "resolution", "bucket_start"));

-- table usage_slots
CREATE TABLE "usage_slots" ("slot_start" integer primary key, "owner" text not null);

-- table webhook_deliveries
CREATE TABLE "webhook_deliveries" ("key" text primary key, "project" text, "sha" text, "status" text not null, "reason" text, "received_at" text default (strftime('%Y-%m-%dT%H:%M:%fZ','now')) not null);
