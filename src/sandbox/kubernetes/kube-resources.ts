/**
 * @module sandbox/kubernetes/kube-resources
 * The resources the stand-in serves, keyed by URL group path and plural.
 */
import type { Resource } from './kube-store.js';

export const RESOURCES = {
  namespaces: { plural: 'namespaces', group: '', kind: 'Namespace', apiVersion: 'v1' },
  pods: { plural: 'pods', group: '', kind: 'Pod', apiVersion: 'v1' },
  services: { plural: 'services', group: '', kind: 'Service', apiVersion: 'v1' },
  secrets: { plural: 'secrets', group: '', kind: 'Secret', apiVersion: 'v1' },
  persistentvolumeclaims: {
    plural: 'persistentvolumeclaims',
    group: '',
    kind: 'PersistentVolumeClaim',
    apiVersion: 'v1',
  },
  events: { plural: 'events', group: '', kind: 'Event', apiVersion: 'v1' },
  deployments: { plural: 'deployments', group: 'apps', kind: 'Deployment', apiVersion: 'apps/v1' },
  replicasets: { plural: 'replicasets', group: 'apps', kind: 'ReplicaSet', apiVersion: 'apps/v1' },
  ingresses: { plural: 'ingresses', group: 'networking.k8s.io', kind: 'Ingress', apiVersion: 'networking.k8s.io/v1' },
  // CloudNativePG's custom resources (cnpg-operator.ts; CRDs in cloudnative-pg config/crd/bases).
  clusters: { plural: 'clusters', group: 'postgresql.cnpg.io', kind: 'Cluster', apiVersion: 'postgresql.cnpg.io/v1' },
  scheduledbackups: {
    plural: 'scheduledbackups',
    group: 'postgresql.cnpg.io',
    kind: 'ScheduledBackup',
    apiVersion: 'postgresql.cnpg.io/v1',
  },
} satisfies Record<string, Resource>;

/** `/api/v1` or `/apis/<group>/v1` + plural → resource. */
export function resourceFor(groupPath: string, plural: string): Resource | undefined {
  const resource = (RESOURCES as Record<string, Resource>)[plural];
  if (!resource || resource.plural === 'namespaces') return undefined;
  const expected = resource.group ? `/apis/${resource.group}/v1` : '/api/v1';
  return expected === groupPath ? resource : undefined;
}
