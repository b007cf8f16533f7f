/**
 * @module adapters/sqlite/sqlite-state-store
 * The StateStore port on one SQLite file through kysely. The stores' queries are portable SQL, so
 * the PostgreSQL store (adapters/postgres) assembles the same classes on its own Kysely.
 */
import { sql, type Kysely } from 'kysely';
import type { StateStore } from '../../ports/state-store.port.js';
import { openDatabase, type OpenOptions } from './database.js';
import type { Database } from './schema.js';
import { SqliteAccessStore } from './sqlite-access-store.js';
import { SqliteAuditLog } from './sqlite-audit-log.js';
import { SqliteDeliveryStore } from './sqlite-delivery-store.js';
import { SqliteDeployQueue } from './sqlite-deploy-queue.js';
import { SqliteMcpSessionStore } from './sqlite-mcp-session-store.js';
import { SqliteInstallSecrets } from './sqlite-install-secrets.js';
import { SqliteOperationJournal } from './sqlite-operation-journal.js';
import { SqliteProjectSettings } from './sqlite-project-settings.js';
import { SqliteProjectStore } from './sqlite-project-store.js';
import { SqliteReleaseStore } from './sqlite-release-store.js';
import { SqliteUsageStore } from './sqlite-usage-store.js';

export async function openSqliteStateStore(file: string, options: OpenOptions = {}): Promise<StateStore> {
  const opened = await openDatabase(file, options);
  return stateStoreOn(opened.db, () => opened.close());
}

/** Every store on one migrated database, SQLite or PostgreSQL. */
export function stateStoreOn(db: Kysely<Database>, close: () => Promise<void>): StateStore {
  return {
    projects: new SqliteProjectStore(db),
    releases: new SqliteReleaseStore(db),
    operations: new SqliteOperationJournal(db),
    audit: new SqliteAuditLog(db),
    deliveries: new SqliteDeliveryStore(db),
    deployQueue: new SqliteDeployQueue(db),
    installSecrets: new SqliteInstallSecrets(db),
    usage: new SqliteUsageStore(db),
    settings: new SqliteProjectSettings(db),
    access: new SqliteAccessStore(db),
    mcpSessions: new SqliteMcpSessionStore(db),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close,
  };
}
