/**
 * @module sandbox/kubernetes/kube-resources
 * The resources the stand-in serves, keyed by URL group path and plural.
 */
import type {
  Cluster,
  Deployment,
  KubeObject,
  Namespaced,
  PersistentVolumeClaim,
  Pod,
  ReplicaSet,
  Secret,
} from './kube-objects.js';
import type { Resource } from './kube-store.js';

/** A resource whose objects the store hands out as `T`. */
const served = <T extends KubeObject>(
  plural: string,
  group: string,
  kind: string,
  apiVersion: string,
): Resource<T> => ({
  plural,
  group,
  kind,
  apiVersion,
});

export const RESOURCES = {
  namespaces: served<KubeObject>('namespaces', '', 'Namespace', 'v1'),
  pods: served<Pod>('pods', '', 'Pod', 'v1'),
  services: served<Namespaced>('services', '', 'Service', 'v1'),
  secrets: served<Secret>('secrets', '', 'Secret', 'v1'),
  persistentvolumeclaims: served<PersistentVolumeClaim>('persistentvolumeclaims', '', 'PersistentVolumeClaim', 'v1'),
  events: served<Namespaced>('events', '', 'Event', 'v1'),
  deployments: served<Deployment>('deployments', 'apps', 'Deployment', 'apps/v1'),
  replicasets: served<ReplicaSet>('replicasets', 'apps', 'ReplicaSet', 'apps/v1'),
  ingresses: served<Namespaced>('ingresses', 'networking.k8s.io', 'Ingress', 'networking.k8s.io/v1'),
  // CloudNativePG's custom resources (cnpg-operator.ts; CRDs in cloudnative-pg config/crd/bases).
  clusters: served<Cluster>('clusters', 'postgresql.cnpg.io', 'Cluster', 'postgresql.cnpg.io/v1'),
  scheduledbackups: served<Namespaced>(
    'scheduledbackups',
    'postgresql.cnpg.io',
    'ScheduledBackup',
    'postgresql.cnpg.io/v1',
  ),
};

/** `/api/v1` or `/apis/<group>/v1` + plural → resource. */
export function resourceFor(groupPath: string, plural: string): Resource | undefined {
  const resource = (RESOURCES as Record<string, Resource>)[plural];
  if (!resource || resource.plural === 'namespaces') return undefined;
  const expected = resource.group ? `/apis/${resource.group}/v1` : '/api/v1';
  return expected === groupPath ? resource : undefined;
}
