/**
 * @module adapters/kubernetes/database-manifests
 * The CloudNativePG objects threesix owns per project (postgresql.cnpg.io/v1, CRDs as published in
 * cloudnative-pg/cloudnative-pg config/crd/bases): the `Cluster` `<project>-db` and, when the
 * operator configured an object store, its `ScheduledBackup`. Also the env entries that hand the
 * operator's `<project>-db-app` Secret to the app through secretKeyRef, so the password is never
 * read by threesix.
 */
import {
  DATABASE_ENV_KEYS,
  databaseClusterName,
  databaseSecretName,
  type DatabaseSpec,
} from '../../ports/database.port.js';
import { labelsOf, type KubeObject, type SecretEnvVar } from './manifests.js';

export const CNPG_GROUP = 'postgresql.cnpg.io';
export const CNPG_VERSION = 'v1';
/** The operator's own PostgreSQL images (cloudnative-pg docs "Container Image Requirements"). */
export const CNPG_IMAGE = 'ghcr.io/cloudnative-pg/postgresql';

export function clusterManifest(spec: DatabaseSpec, namespace: string): KubeObject {
  const backup = spec.backup;
  return {
    apiVersion: `${CNPG_GROUP}/${CNPG_VERSION}`,
    kind: 'Cluster',
    metadata: { name: databaseClusterName(spec.project), namespace, labels: labelsOf(spec.project) },
    spec: {
      instances: spec.instances,
      ...(spec.version !== null ? { imageName: `${CNPG_IMAGE}:${spec.version}` } : {}),
      // initdb's defaults made explicit: database "app" owned by user "app", whose Secret is <cluster>-app.
      bootstrap: { initdb: { database: 'app', owner: 'app' } },
      storage: { size: spec.size },
      ...(backup
        ? {
            backup: {
              retentionPolicy: backup.retention,
              barmanObjectStore: {
                destinationPath: backup.destinationPath,
                ...(backup.endpointUrl ? { endpointURL: backup.endpointUrl } : {}),
                s3Credentials: {
                  accessKeyId: { name: backup.credentialsSecret, key: 'ACCESS_KEY_ID' },
                  secretAccessKey: { name: backup.credentialsSecret, key: 'ACCESS_SECRET_KEY' },
                },
              },
            },
          }
        : {}),
    },
  };
}

export function scheduledBackupManifest(spec: DatabaseSpec, namespace: string): KubeObject | null {
  if (!spec.backup) return null;
  const cluster = databaseClusterName(spec.project);
  return {
    apiVersion: `${CNPG_GROUP}/${CNPG_VERSION}`,
    kind: 'ScheduledBackup',
    metadata: { name: cluster, namespace, labels: labelsOf(spec.project) },
    spec: {
      schedule: spec.backup.schedule,
      cluster: { name: cluster },
      backupOwnerReference: 'self',
      method: 'barmanObjectStore',
    },
  };
}

export function databaseEnv(project: string): SecretEnvVar[] {
  return Object.entries(DATABASE_ENV_KEYS).map(([name, key]) => ({
    name,
    valueFrom: { secretKeyRef: { name: databaseSecretName(project), key } },
  }));
}
