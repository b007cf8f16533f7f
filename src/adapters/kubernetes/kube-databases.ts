/**
 * @module adapters/kubernetes/kube-databases
 * The DatabaseClusters half of the Kubernetes deployer: CloudNativePG `Cluster` objects through
 * client-node's CustomObjectsApi, server-side applied with field manager `threesix`, and the same
 * label check as every other object: a Cluster someone else made under the name is a CONFLICT and
 * is never changed or deleted.
 */
import { CustomObjectsApi, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { conflict } from '../../domain/errors.js';
import {
  absentDatabase,
  databaseClusterName,
  databaseSecretName,
  type ClusterInNamespace,
  type DatabaseClusters,
  type DatabaseSpec,
  type DatabaseStatus,
} from '../../ports/database.port.js';
import {
  CNPG_GROUP,
  CNPG_VERSION,
  clusterManifest,
  databaseEnv,
  scheduledBackupManifest,
} from './database-manifests.js';
import { kube, kubeOptional } from './kube-errors.js';
import { FIELD_MANAGER, MANAGED_BY, PROJECT_LABEL, isOurs, type KubeObject, type SecretEnvVar } from './manifests.js';

const APPLY = setHeaderOptions('Content-Type', 'application/apply-patch+yaml');
/** cloudnative-pg api/v1/cluster_types.go PhaseHealthy. */
export const PHASE_HEALTHY = 'Cluster in healthy state';

interface ClusterObject {
  metadata?: { name?: string; labels?: Record<string, string>; creationTimestamp?: string | Date };
  spec?: { instances?: number; imageName?: string; storage?: { size?: string }; backup?: unknown };
  status?: { phase?: string; phaseReason?: string; instances?: number; readyInstances?: number; image?: string };
}

export class KubeDatabases implements DatabaseClusters {
  private readonly api: CustomObjectsApi;

  constructor(
    kc: KubeConfig,
    private readonly namespace: string,
  ) {
    this.api = kc.makeApiClient(CustomObjectsApi);
  }

  private ref(plural: string) {
    return { group: CNPG_GROUP, version: CNPG_VERSION, namespace: this.namespace, plural };
  }

  /** The project's Cluster when it is ours; CONFLICT when the name is taken by someone else's. */
  async ownCluster(project: string): Promise<ClusterObject | undefined> {
    const name = databaseClusterName(project);
    const cluster = (await kubeOptional(`reading Cluster ${name}`, () =>
      this.api.getNamespacedCustomObject({ ...this.ref('clusters'), name }),
    )) as ClusterObject | undefined;
    if (cluster && !isOurs(cluster, project)) {
      throw conflict(
        `Cluster "${name}" already exists in namespace ${this.namespace} and is not managed by threesix`,
        'Remove or rename that Cluster, or ask its owner',
      );
    }
    return cluster;
  }

  async applyDatabase(spec: DatabaseSpec): Promise<void> {
    await this.ownCluster(spec.project);
    await this.apply('clusters', clusterManifest(spec, this.namespace));
    const scheduled = scheduledBackupManifest(spec, this.namespace);
    if (scheduled) await this.apply('scheduledbackups', scheduled);
  }

  async databaseStatus(project: string): Promise<DatabaseStatus> {
    const cluster = (await kubeOptional('reading the database Cluster', () =>
      this.api.getNamespacedCustomObject({ ...this.ref('clusters'), name: databaseClusterName(project) }),
    )) as ClusterObject | undefined;
    return toDatabaseStatus(project, cluster && isOurs(cluster, project) ? cluster : undefined);
  }

  /**
   * The env entries the app's pod template gets: the database Secret's keys while our Cluster
   * exists. A Role without rights on Clusters (a cluster without CloudNativePG, whose operator
   * left them out) means no database: create_database needs those rights, so none can exist.
   */
  async appEnv(project: string): Promise<SecretEnvVar[]> {
    try {
      return (await this.databaseStatus(project)).exists ? databaseEnv(project) : [];
    } catch (error) {
      if ((error as { code?: string }).code === 'PERMISSION_DENIED') return [];
      throw error;
    }
  }

  async removeDatabase(project: string): Promise<{ removed: string[] }> {
    const removed: string[] = [];
    const labelSelector = `${MANAGED_BY}=threesix,${PROJECT_LABEL}=${project}`;
    // Found by our labels, so a Cluster someone else named <project>-db is never deleted.
    for (const plural of ['scheduledbackups', 'clusters'] as const) {
      const list = (await kube(`listing ${plural}`, () =>
        this.api.listNamespacedCustomObject({ ...this.ref(plural), labelSelector }),
      )) as { items?: ClusterObject[] };
      for (const item of list.items ?? []) {
        const name = item.metadata?.name;
        if (!name || !isOurs(item, project)) continue;
        await kubeOptional(`deleting ${plural} ${name}`, () =>
          this.api.deleteNamespacedCustomObject({ ...this.ref(plural), name }),
        );
        removed.push(`${plural === 'clusters' ? 'Cluster' : 'ScheduledBackup'}/${name}`);
      }
    }
    return { removed };
  }

  async listDatabases(): Promise<ClusterInNamespace[]> {
    // No selector: reconcile tells ours from foreign ones by the labels.
    const list = (await kube('listing database Clusters', () =>
      this.api.listNamespacedCustomObject(this.ref('clusters')),
    )) as { items?: ClusterObject[] };
    return (list.items ?? []).map((item) => {
      const labels = item.metadata?.labels ?? {};
      return {
        name: item.metadata?.name ?? '',
        project: labels[MANAGED_BY] === 'threesix' ? (labels[PROJECT_LABEL] ?? null) : null,
      };
    });
  }

  private async apply(plural: string, object: KubeObject): Promise<unknown> {
    const name = object.metadata.name as string;
    return kube(`applying ${object.kind} ${name}`, () =>
      this.api.patchNamespacedCustomObject(
        { ...this.ref(plural), name, body: object, fieldManager: FIELD_MANAGER, force: true },
        APPLY,
      ),
    );
  }
}

export function toDatabaseStatus(project: string, cluster: ClusterObject | undefined): DatabaseStatus {
  if (!cluster) return absentDatabase(project);
  const base = { project, cluster: databaseClusterName(project), secret: databaseSecretName(project) };
  const instances = cluster.spec?.instances ?? 1;
  const readyInstances = cluster.status?.readyInstances ?? 0;
  const phase = cluster.status?.phase ?? null;
  return {
    ...base,
    exists: true,
    phase,
    phaseReason: cluster.status?.phaseReason ?? null,
    ready: phase === PHASE_HEALTHY && readyInstances >= instances,
    instances,
    readyInstances,
    image: cluster.status?.image ?? cluster.spec?.imageName ?? null,
    size: cluster.spec?.storage?.size ?? null,
    backups: Boolean(cluster.spec?.backup),
    createdAt: cluster.metadata?.creationTimestamp ? new Date(cluster.metadata.creationTimestamp).toISOString() : null,
  };
}
