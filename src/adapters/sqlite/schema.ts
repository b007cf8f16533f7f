/**
 * @module adapters/sqlite/schema
 * Kysely table types. Booleans are 0/1 and JSON columns are TEXT, as SQLite stores them.
 */
import type { Generated } from 'kysely';

export interface ProjectsTable {
  name: string;
  description: string;
  state: string;
  git_repo_name: string | null;
  git_repo_id: number | null;
  git_clone_ssh: string | null;
  git_clone_http: string | null;
  git_web_url: string | null;
  domain: string | null;
  custom_domains: string;
  deployment_image: string | null;
  deployment_digest: string | null;
  deployment_status: string;
  deployment_replicas: number;
  deployed_sha: string | null;
  ci_repo_id: number | null;
  dns_record_ids: string;
  deploy_token_hash: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReleasesTable {
  id: Generated<number>;
  project: string;
  image: string;
  digest: string | null;
  commit_sha: string | null;
  env_hash: string | null;
  port: number;
  replicas: number;
  status: string;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface OperationsTable {
  id: string;
  kind: string;
  target: string;
  status: string;
  input: string;
  result: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
}

export interface OperationStepsTable {
  operation_id: string;
  position: number;
  name: string;
  status: string;
  output: string | null;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** JSON: what the step was about to ask a backend for (migration 2026_12_06_0000). */
  intent: string | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  time: string;
  actor: string;
  action: string;
  target: string;
  result: string;
  detail: string | null;
}

export interface WebhookDeliveriesTable {
  key: string;
  project: string | null;
  sha: string | null;
  status: string;
  reason: string | null;
  received_at: string;
}

export interface DeployQueueTable {
  id: Generated<number>;
  project: string;
  sha: string;
  image: string;
  actor: string;
  delivery_key: string;
  status: string;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface InstallSecretsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface UsageSamplesTable {
  project: string;
  resolution: 'minute' | 'hour';
  /** Epoch milliseconds. */
  bucket_start: number;
  cpu_avg: number;
  cpu_peak: number;
  memory_avg: number;
  memory_peak: number;
  restarts: number;
  samples: number;
}

export interface UsageSlotsTable {
  slot_start: number;
  owner: string;
}

export interface ProjectSettingsTable {
  project: string;
  /** domain/project-settings ProjectSettings as JSON. */
  settings: string;
  updated_at: string;
}

export interface McpSessionsTable {
  id: string;
  identity_name: string | null;
  /** ports/mcp-session-store McpInitializeParams as JSON. */
  initialize_params: string;
  created_at: string;
  last_seen_at: string;
}

export interface McpSessionSubscriptionsTable {
  session_id: string;
  uri: string;
}

/** One custom domain a project serves; the primary key keeps a host to one project (migration 0800). */
export interface ProjectHostsTable {
  host: string;
  project: string;
}

export interface Database {
  projects: ProjectsTable;
  releases: ReleasesTable;
  operations: OperationsTable;
  operation_steps: OperationStepsTable;
  audit_events: AuditEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  deploy_queue: DeployQueueTable;
  install_secrets: InstallSecretsTable;
  usage_samples: UsageSamplesTable;
  usage_slots: UsageSlotsTable;
  project_settings: ProjectSettingsTable;
  mcp_sessions: McpSessionsTable;
  mcp_session_subscriptions: McpSessionSubscriptionsTable;
  project_hosts: ProjectHostsTable;
}
