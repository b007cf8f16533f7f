/**
 * Inline migration provider: a static record, so the bundle needs no file globbing or __dirname.
 * Names sort in the order they must run.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as init from './2026_11_26_0000_init.js';
import * as deployQueue from './2026_11_26_0100_deploy_queue.js';
import * as operationLeases from './2026_11_26_0200_operation_leases.js';
import * as installSecrets from './2026_11_26_0300_install_secrets.js';
import * as deployTokenIndex from './2026_11_26_0400_deploy_token_index.js';
import * as releaseCommitIndex from './2026_11_26_0500_release_commit_index.js';
import * as operationStepIntents from './2026_12_06_0000_operation_step_intents.js';
import * as releaseInProgressIndex from './2026_12_06_0100_release_in_progress_index.js';
import * as usageSamples from './2026_12_06_0300_usage_samples.js';
import * as projectSettings from './2026_12_06_0500_project_settings.js';
import * as operationReleaseActors from './2026_12_06_0600_operation_release_actors.js';
import * as mcpSessions from './2026_12_06_0700_mcp_sessions.js';
import * as projectHosts from './2026_12_06_0800_project_hosts.js';
import * as agentTokens from './2026_12_06_0400_agent_tokens.js';

export const migrations: Record<string, Migration> = {
  '2026_11_26_0000_init': init,
  '2026_11_26_0100_deploy_queue': deployQueue,
  '2026_11_26_0200_operation_leases': operationLeases,
  '2026_11_26_0300_install_secrets': installSecrets,
  '2026_11_26_0400_deploy_token_index': deployTokenIndex,
  '2026_11_26_0500_release_commit_index': releaseCommitIndex,
  '2026_12_06_0000_operation_step_intents': operationStepIntents,
  '2026_12_06_0100_release_in_progress_index': releaseInProgressIndex,
  '2026_12_06_0300_usage_samples': usageSamples,
  '2026_12_06_0400_agent_tokens': agentTokens,
  '2026_12_06_0500_project_settings': projectSettings,
  '2026_12_06_0600_operation_release_actors': operationReleaseActors,
  '2026_12_06_0700_mcp_sessions': mcpSessions,
  '2026_12_06_0800_project_hosts': projectHosts,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
