/**
 * @module ports/database
 * One PostgreSQL database per project, run by the CloudNativePG operator as a `Cluster` named
 * `<project>-db` in the deploy namespace and labelled as threesix's. The operator writes the
 * connection (password included) into the Secret `<project>-db-app`; the app reads it through
 * secretKeyRef, so the password never passes through threesix.
 */

export interface DatabaseSpec {
  project: string;
  /** Persistent volume size per instance, a Kubernetes quantity such as "1Gi". */
  size: string;
  /** PostgreSQL major version; null keeps the operator's default image. */
  version: number | null;
  instances: number;
  /** CloudNativePG's barman object store backups, when the operator configured one. */
  backup: DatabaseBackup | null;
}

export interface DatabaseBackup {
  /** s3://bucket/path the base backups and WAL go to. */
  destinationPath: string;
  endpointUrl: string | null;
  /** An existing Secret in the deploy namespace holding ACCESS_KEY_ID and ACCESS_SECRET_KEY. */
  credentialsSecret: string;
  /** Six-field cron (seconds first), as ScheduledBackup takes it. */
  schedule: string;
  retention: string;
}

export interface DatabaseStatus {
  project: string;
  exists: boolean;
  /** The Cluster's name, `<project>-db`. */
  cluster: string;
  /** The Secret holding the connection; its values are never read back. */
  secret: string;
  /** The operator's phase, e.g. "Setting up primary", "Cluster in healthy state". */
  phase: string | null;
  phaseReason: string | null;
  ready: boolean;
  instances: number;
  readyInstances: number;
  /** The PostgreSQL image the operator runs (status.image), or the one asked for. */
  image: string | null;
  size: string | null;
  /** Whether scheduled backups are configured for it. */
  backups: boolean;
  /** The Cluster's creationTimestamp: releases made before it do not read the database yet. */
  createdAt: string | null;
}

/** A Cluster in the deploy namespace; `project` is null when it does not carry our labels. */
export interface ClusterInNamespace {
  name: string;
  project: string | null;
}

export interface DatabaseClusters {
  /** Server-side apply of the Cluster (and its ScheduledBackup); CONFLICT when a Cluster of that name is not ours. */
  applyDatabase(spec: DatabaseSpec): Promise<void>;
  /** `exists: false` when the project has no Cluster of ours. */
  databaseStatus(project: string): Promise<DatabaseStatus>;
  /**
   * Deletes the project's Cluster (the operator removes its pods, volumes and Secrets); foreign ones are never touched.
   */
  removeDatabase(project: string): Promise<{ removed: string[] }>;
  /** Every Cluster in the namespace, ours or not, from one list call. */
  listDatabases(): Promise<ClusterInNamespace[]>;
}

export const databaseClusterName = (project: string) => `${project}-db`;
/** The operator's app-user Secret (cloudnative-pg pkg/specs/secrets.go, `<cluster>-app`). */
export const databaseSecretName = (project: string) => `${databaseClusterName(project)}-app`;

/** What databaseStatus answers for a project without a Cluster of ours (every implementation alike). */
export function absentDatabase(project: string): DatabaseStatus {
  return {
    project,
    cluster: databaseClusterName(project),
    secret: databaseSecretName(project),
    exists: false,
    phase: null,
    phaseReason: null,
    ready: false,
    instances: 0,
    readyInstances: 0,
    image: null,
    size: null,
    backups: false,
    createdAt: null,
  };
}

/** Env var the app gets → key of the operator's app Secret (cloudnative-pg pkg/specs/secrets.go CreateSecret). */
export const DATABASE_ENV_KEYS: Readonly<Record<string, string>> = {
  DATABASE_URL: 'uri',
  PGHOST: 'host',
  PGPORT: 'port',
  PGUSER: 'username',
  PGPASSWORD: 'password',
  PGDATABASE: 'dbname',
};
