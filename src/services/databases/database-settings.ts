/**
 * @module services/databases/database-settings
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * What create_database accepts: a storage size within THREESIX_MAX_DB_STORAGE (never smaller than
 * what the Cluster has: CloudNativePG can grow a volume, not shrink it), a PostgreSQL major version
 * the operator publishes images for, and the backup settings the operator configured.
 */
import { DomainError, invalidInput } from '../../domain/errors.js';
import type { DatabaseBackup } from '../../ports/database.port.js';
import type { AppContext } from '../shared/app-context.js';

const UNIT: Record<string, number> = { Mi: 1, Gi: 1024, Ti: 1024 * 1024 };
const SIZE = /^([1-9][0-9]{0,5})(Mi|Gi|Ti)$/;
/** Majors with ghcr.io/cloudnative-pg/postgresql images (cloudnative-pg docs, "Supported releases"). */
export const POSTGRES_MAJORS = [13, 14, 15, 16, 17] as const;
export const DEFAULT_DB_SIZE = '1Gi';

/** Mebibytes in a size like "512Mi" or "10Gi"; null when it is not one. */
export function mebibytes(size: string): number | null {
  const m = SIZE.exec(size);
  return m ? Number(m[1]) * UNIT[m[2]!]! : null;
}

export function validateDatabaseSize(size: string, max: string, current: string | null): string {
  const wanted = mebibytes(size);
  if (wanted === null)
    throw invalidInput(
      `size "${size.slice(0, 20)}" is not a storage size`,
      'Give a whole number with Mi, Gi or Ti, e.g. 1Gi',
    );
  if (wanted > mebibytes(max)!)
    throw invalidInput(
      `size ${size} is above the operator's limit of ${max}`,
      `Ask for at most ${max} (THREESIX_MAX_DB_STORAGE)`,
    );
  const now = current === null ? null : mebibytes(current);
  if (now !== null && wanted < now)
    throw invalidInput(
      `size ${size} is smaller than the database's ${current}`,
      `Volumes grow but never shrink; give ${current} or more, or leave size out`,
    );
  return size;
}

export function validatePostgresVersion(version: number): number {
  if (!(POSTGRES_MAJORS as readonly number[]).includes(version))
    throw invalidInput(`PostgreSQL ${version} is not offered`, `Choose one of ${POSTGRES_MAJORS.join(', ')}`);
  return version;
}

/** The default size, or the limit when the operator set one below it. */
export function defaultDatabaseSize(max: string): string {
  return mebibytes(max)! < mebibytes(DEFAULT_DB_SIZE)! ? max : DEFAULT_DB_SIZE;
}

export function backupSettings(config: AppContext['config']): DatabaseBackup | null {
  if (!config.THREESIX_DB_BACKUP_DESTINATION) return null;
  if (!config.THREESIX_DB_BACKUP_SECRET) {
    throw new DomainError('NOT_CONFIGURED', 'database backups name an object store but no credentials Secret', {
      hint: 'Set THREESIX_DB_BACKUP_SECRET to a Secret in DEPLOY_NAMESPACE with ACCESS_KEY_ID and ACCESS_SECRET_KEY, or unset THREESIX_DB_BACKUP_DESTINATION',
    });
  }
  return {
    destinationPath: config.THREESIX_DB_BACKUP_DESTINATION,
    endpointUrl: config.THREESIX_DB_BACKUP_ENDPOINT_URL ?? null,
    credentialsSecret: config.THREESIX_DB_BACKUP_SECRET,
    schedule: config.THREESIX_DB_BACKUP_SCHEDULE,
    retention: config.THREESIX_DB_BACKUP_RETENTION,
  };
}
