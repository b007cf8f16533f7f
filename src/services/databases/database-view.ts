/**
 * @module services/databases/database-view
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * How a project's database is shown by create_database, get_project and deploy_status: the
 * operator's status in plain terms and the names of the env vars the app reads it from. Never a
 * value from the connection Secret.
 */
import { DATABASE_ENV_KEYS, type DatabaseStatus } from '../../ports/database.port.js';

export interface DatabaseView {
  engine: 'cloudnative-pg';
  cluster: string;
  status: 'ready' | 'starting' | 'absent';
  phase: string | null;
  version: string | null;
  size: string | null;
  instances: number;
  readyInstances: number;
  backups: boolean;
  /** The Secret the operator writes the connection to. */
  secret: string;
  /** Env vars the app gets from that Secret (secretKeyRef). */
  env: string[];
}

export function toDatabaseView(status: DatabaseStatus): DatabaseView | null {
  if (!status.exists) return null;
  // The image tag is the PostgreSQL version (ghcr.io/cloudnative-pg/postgresql:17.2 or :16).
  const tag = status.image?.split('@')[0]?.split(':').at(-1) ?? null;
  return {
    engine: 'cloudnative-pg',
    cluster: status.cluster,
    status: status.ready ? 'ready' : 'starting',
    phase: status.phase,
    version: tag && /^\d/.test(tag) ? tag : null,
    size: status.size,
    instances: status.instances,
    readyInstances: status.readyInstances,
    backups: status.backups,
    secret: status.secret,
    env: Object.keys(DATABASE_ENV_KEYS),
  };
}
