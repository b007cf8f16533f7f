/**
 * @module adapters/kubernetes/kubernetes-deployer
 * The Deployer port on a real cluster through @kubernetes/client-node 1.4: server-side apply with
 * field manager `threesix`, and a label check before anything is changed or deleted, so objects
 * someone else made under the same name are never touched.
 */
import { randomBytes } from 'node:crypto';
import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  Metrics,
  NetworkingV1Api,
  setHeaderOptions,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import { DomainError, conflict, invalidInput, notFound } from '../../domain/errors.js';
import type { BackendCheck } from '../../ports/backend-probe.port.js';
import type {
  DeploySpec,
  Deployer,
  FollowLogsOptions,
  HostInUse,
  ManagedWorkload,
  ProjectUsage,
  WorkloadStatus,
} from '../../ports/deployer.port.js';
import { redactSecrets } from '../../domain/redact-secrets.js';
import { diagnoseAccess } from './kube-diagnose.js';
import { kube, kubeOptional, statusCode, translateKubeError } from './kube-errors.js';
import { removeWorkload } from './kube-remove.js';
import { followContainerLog } from './kube-follow-logs.js';
import { summedUsage, usageByProject } from './kube-helpers.js';
import {
  FIELD_MANAGER,
  HASH_KEY_ANNOTATION,
  PROJECT_LABEL,
  MANAGED_BY,
  deploymentManifest,
  envSecretName,
  ingressManifest,
  isOurs,
  secretHash,
  secretManifest,
  selectorOf,
  serviceManifest,
  type KubeObject,
  type ManifestSettings,
} from './manifests.js';
import { toWorkloadStatus } from './workload-status.js';
import { KubeDatabases } from './kube-databases.js';
import { KubeVolumes } from './kube-volumes.js';
import { podVolumes } from './volume-manifests.js';
import { MAX_REPLICAS_WITH_VOLUMES, type ProjectVolume, type VolumeSpec } from '../../ports/volume.port.js';
import type { ClusterInNamespace, DatabaseSpec, DatabaseStatus } from '../../ports/database.port.js';

const APPLY = setHeaderOptions('Content-Type', 'application/apply-patch+yaml');
const MERGE = setHeaderOptions('Content-Type', 'application/merge-patch+json');
// A memory guard only: the API cuts at limitBytes from the START of the tail, which would drop the
// newest lines, so it is set well above the 64 KiB the logs service keeps (from the end).
const LOG_FETCH_CAP = 1024 * 1024;
type Owned = { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } };

export interface KubernetesDeployerOptions extends ManifestSettings {
  kubeconfig: string | undefined;
}

export class KubernetesDeployer implements Deployer {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly net: NetworkingV1Api;
  private readonly authz: AuthorizationV1Api;
  private readonly metrics: Metrics;
  private readonly kc: KubeConfig;
  private readonly ns: string;
  private readonly databases: KubeDatabases;
  private readonly volumes: KubeVolumes;
  private namespaceReady = false;

  constructor(private readonly settings: KubernetesDeployerOptions) {
    const kc = new KubeConfig();
    try {
      if (settings.kubeconfig) kc.loadFromFile(settings.kubeconfig);
      else kc.loadFromCluster();
    } catch (error) {
      throw new DomainError(
        'NOT_CONFIGURED',
        settings.kubeconfig
          ? 'the kubeconfig named by KUBECONFIG could not be read'
          : 'the in-cluster service account could not be loaded',
        {
          hint: 'Point KUBECONFIG at a readable kubeconfig, or run threesix in a pod with a service account',
          cause: error,
        },
      );
    }
    if (!kc.getCurrentCluster()) {
      throw new DomainError('NOT_CONFIGURED', 'the kubeconfig has no current cluster', {
        hint: 'Set current-context in the kubeconfig named by KUBECONFIG',
      });
    }
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.net = kc.makeApiClient(NetworkingV1Api);
    this.authz = kc.makeApiClient(AuthorizationV1Api);
    this.metrics = new Metrics(kc);
    this.kc = kc;
    this.ns = settings.namespace;
    this.databases = new KubeDatabases(kc, settings.namespace);
    this.volumes = new KubeVolumes(this.core, settings.namespace);
  }

  async probe(): Promise<void> {
    // A call the deployer's Role grants: Namespace objects are not readable by a service account
    // bound only in DEPLOY_NAMESPACE (the manifests' RBAC), so reading one would fail readiness.
    await kube('listing Deployments in the deploy namespace', () =>
      this.apps.listNamespacedDeployment({ namespace: this.ns, limit: 1 }),
    );
  }

  async diagnose(): Promise<BackendCheck[]> {
    return diagnoseAccess(this.authz, this.ns);
  }

  async apply(spec: DeploySpec): Promise<{ generation: number }> {
    await this.ensureNamespace();
    const name = spec.project;
    const current = await this.owned('Deployment', name, name, () =>
      this.apps.readNamespacedDeployment({ name, namespace: this.ns }),
    );
    await this.owned('Service', name, name, () => this.core.readNamespacedService({ name, namespace: this.ns }));
    await this.owned('Ingress', name, name, () => this.net.readNamespacedIngress({ name, namespace: this.ns }));
    const secretName = envSecretName(name);
    const secret = await this.owned('Secret', secretName, name, () =>
      this.core.readNamespacedSecret({ name: secretName, namespace: this.ns }),
    );
    const container = current?.spec?.template?.spec?.containers?.[0];
    const env =
      spec.env ??
      Object.fromEntries((container?.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
    let hash = current?.spec?.template?.metadata?.annotations?.['threesix.ai/secret-hash'] ?? null;
    // set_env names only the secrets it changes: the others are read back from the Secret (ours, checked above).
    const secrets =
      spec.secrets ?? (spec.secretChanges ? mergeSecretData(secret?.data, spec.secretChanges) : undefined);
    if (secrets && Object.keys(secrets).length > 0) {
      const key = secret?.metadata?.annotations?.[HASH_KEY_ANNOTATION] ?? randomBytes(32).toString('base64url');
      await this.applyObject(secretManifest(name, secrets, this.settings, key));
      hash = secretHash(secrets, key);
    } else if (secrets && secret) {
      await kubeOptional(`deleting Secret ${secretName}`, () =>
        this.core.deleteNamespacedSecret({ name: secretName, namespace: this.ns }),
      );
      hash = null;
    }
    // The project's database (ours only) is wired through secretKeyRef on every apply, so CI deploys
    // and rollbacks keep it.
    const secretEnv = await this.databases.appEnv(name);
    const claims = await this.volumes.listVolumes(name);
    if (claims.length > 0) requireOnePod(name, spec.replicas);
    const deployment = (await this.applyObject(
      deploymentManifest({ ...spec, env }, this.settings, hash, secretEnv, podVolumes(claims)),
    )) as V1Deployment;
    await this.applyObject(serviceManifest(name, this.settings));
    await this.applyObject(ingressManifest(name, spec.hosts, this.settings));
    return { generation: deployment.metadata?.generation ?? 1 };
  }

  async status(project: string): Promise<WorkloadStatus> {
    const deployment = await kubeOptional('reading the Deployment', () =>
      this.apps.readNamespacedDeployment({ name: project, namespace: this.ns }),
    );
    if (!deployment || !isOurs(deployment, project)) return emptyWorkload(project);
    const [replicaSets, pods, events, ingress] = await Promise.all([
      // The newest ReplicaSet tells the rollout's pods from the old ones (workload-status.ts).
      kube('listing ReplicaSets', () =>
        this.apps.listNamespacedReplicaSet({ namespace: this.ns, labelSelector: selectorOf(project) }),
      ),
      this.pods(project),
      kube('listing events', () => this.core.listNamespacedEvent({ namespace: this.ns })),
      kubeOptional('reading the Ingress', () => this.net.readNamespacedIngress({ name: project, namespace: this.ns })),
    ]);
    const hosts = (ingress?.spec?.rules ?? []).map((r) => r.host).filter((h): h is string => Boolean(h));
    const usage = await this.metrics.getPodMetrics(this.ns).then(
      (list) => summedUsage(list, pods),
      () => null,
    );
    return toWorkloadStatus(project, deployment, replicaSets.items, pods, events.items, hosts, usage);
  }

  async scale(project: string, replicas: number): Promise<void> {
    await this.requireOurs(project);
    if ((await this.volumes.listVolumes(project)).length > 0) requireOnePod(project, replicas);
    await kube('scaling the Deployment', () =>
      this.apps.patchNamespacedDeployment(
        { name: project, namespace: this.ns, body: { spec: { replicas } }, fieldManager: FIELD_MANAGER },
        MERGE,
      ),
    );
  }

  async restart(project: string): Promise<void> {
    await this.requireOurs(project);
    const body = {
      spec: { template: { metadata: { annotations: { 'threesix.ai/restarted-at': new Date().toISOString() } } } },
    };
    await kube('restarting the Deployment', () =>
      this.apps.patchNamespacedDeployment(
        { name: project, namespace: this.ns, body, fieldManager: FIELD_MANAGER },
        MERGE,
      ),
    );
  }

  async setHosts(project: string, hosts: string[]): Promise<void> {
    await this.requireOurs(project);
    // The Ingress is checked too: a forced apply would otherwise take over someone else's of that name.
    await this.owned('Ingress', project, project, () =>
      this.net.readNamespacedIngress({ name: project, namespace: this.ns }),
    );
    await this.applyObject(ingressManifest(project, hosts, this.settings));
  }

  async logs(
    project: string,
    options: { tail: number; sinceSeconds?: number; container?: string; previous?: boolean },
  ): Promise<string> {
    await this.requireOurs(project);
    const pod = logPod(await this.pods(project));
    if (!pod?.metadata?.name) return '';
    const podName = pod.metadata.name;
    let text: string;
    try {
      text = await this.core.readNamespacedPodLog({
        name: podName,
        namespace: this.ns,
        container: options.container,
        tailLines: options.tail,
        sinceSeconds: options.sinceSeconds,
        previous: options.previous,
        limitBytes: LOG_FETCH_CAP,
      });
    } catch (error) {
      if (statusCode(error) !== 400) throw translateKubeError(error, 'reading logs');
      text = `[pod ${podName} has no logs yet: ${pod.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? 'container not running'}]\n`;
    }
    return redactSecrets(`==> pod ${podName} <==\n${text}`, await this.secretValues(project));
  }

  async followLogs(project: string, options: FollowLogsOptions): Promise<void> {
    await this.requireOurs(project);
    const pod = logPod(await this.pods(project));
    if (!pod?.metadata?.name) return;
    const container = options.container ?? pod.spec?.containers?.[0]?.name ?? 'app';
    options.onText(`==> pod ${pod.metadata.name} <==\n`);
    await followContainerLog(
      this.kc,
      { namespace: this.ns, pod: pod.metadata.name, container, secrets: await this.secretValues(project) },
      options,
    );
  }

  async usage(): Promise<ProjectUsage[]> {
    const [pods, metrics] = await Promise.all([
      kube('listing pods', () =>
        this.core.listNamespacedPod({ namespace: this.ns, labelSelector: `${MANAGED_BY}=threesix` }),
      ),
      kube('reading pod metrics (metrics.k8s.io)', () => this.metrics.getPodMetrics(this.ns)),
    ]);
    return usageByProject(pods.items, metrics);
  }

  async remove(project: string): Promise<{ removed: string[] }> {
    return removeWorkload({ core: this.core, apps: this.apps, net: this.net }, this.ns, project, this.settings);
  }

  async applyDatabase(spec: DatabaseSpec): Promise<void> {
    await this.ensureNamespace();
    await this.databases.applyDatabase(spec);
  }

  async databaseStatus(project: string): Promise<DatabaseStatus> {
    return this.databases.databaseStatus(project);
  }

  async removeDatabase(project: string): Promise<{ removed: string[] }> {
    return this.databases.removeDatabase(project);
  }

  async listDatabases(): Promise<ClusterInNamespace[]> {
    return this.databases.listDatabases();
  }

  async applyVolume(spec: VolumeSpec): Promise<ProjectVolume> {
    await this.ensureNamespace();
    return this.volumes.applyVolume(spec);
  }

  async listVolumes(project: string): Promise<ProjectVolume[]> {
    return this.volumes.listVolumes(project);
  }

  async removeVolume(project: string, path: string): Promise<{ removed: string[] }> {
    return this.volumes.removeVolume(project, path);
  }

  async listManaged(): Promise<ManagedWorkload[]> {
    const selector = `${MANAGED_BY}=threesix`;
    const namespace = this.ns;
    const lists: Array<[string, Promise<{ items: Owned[] }>]> = [
      [
        'Deployment',
        kube('listing Deployments', () => this.apps.listNamespacedDeployment({ namespace, labelSelector: selector })),
      ],
      [
        'Service',
        kube('listing Services', () => this.core.listNamespacedService({ namespace, labelSelector: selector })),
      ],
      [
        'Ingress',
        kube('listing Ingresses', () => this.net.listNamespacedIngress({ namespace, labelSelector: selector })),
      ],
      ['Secret', kube('listing Secrets', () => this.core.listNamespacedSecret({ namespace, labelSelector: selector }))],
    ];
    // All four are awaited together: awaiting one by one leaves the others' rejections unhandled,
    // which ends the process.
    const results = await Promise.all(lists.map(([, list]) => list));
    const byProject = new Map<string, string[]>();
    for (const [index, [kind]] of lists.entries()) {
      for (const item of results[index]!.items) {
        const project = item.metadata?.labels?.[PROJECT_LABEL];
        if (!project) continue;
        const kinds = byProject.get(project) ?? [];
        if (!kinds.includes(kind)) kinds.push(kind);
        byProject.set(project, kinds);
      }
    }
    return [...byProject].sort(([a], [b]) => a.localeCompare(b)).map(([project, kinds]) => ({ project, kinds }));
  }

  async hostsInUse(): Promise<HostInUse[]> {
    // No label selector: an Ingress someone else made claims its hosts just as much as ours do.
    const { items } = await kube('listing Ingresses', () => this.net.listNamespacedIngress({ namespace: this.ns }));
    return items.flatMap((ingress) => {
      const labels = ingress.metadata?.labels ?? {};
      const project = labels[MANAGED_BY] === 'threesix' ? (labels[PROJECT_LABEL] ?? null) : null;
      const hosts = (ingress.spec?.rules ?? [])
        .map((rule) => rule.host)
        .filter((host): host is string => Boolean(host));
      return [...new Set(hosts)].map((host) => ({
        host: host.toLowerCase(),
        ingress: ingress.metadata?.name ?? '',
        project,
      }));
    });
  }

  async foreignObjects(project: string): Promise<string[]> {
    const namespace = this.ns;
    const secret = envSecretName(project);
    const reads: Array<[string, Promise<Owned | undefined>]> = [
      [
        `Deployment/${project}`,
        kubeOptional('reading the Deployment', () => this.apps.readNamespacedDeployment({ name: project, namespace })),
      ],
      [
        `Service/${project}`,
        kubeOptional('reading the Service', () => this.core.readNamespacedService({ name: project, namespace })),
      ],
      [
        `Ingress/${project}`,
        kubeOptional('reading the Ingress', () => this.net.readNamespacedIngress({ name: project, namespace })),
      ],
      [
        `Secret/${secret}`,
        kubeOptional('reading the env Secret', () => this.core.readNamespacedSecret({ name: secret, namespace })),
      ],
    ];
    // Awaited together: one by one would leave the others' rejections unhandled.
    const objects = await Promise.all(reads.map(([, read]) => read));
    return reads.filter((_, i) => objects[i] && !isOurs(objects[i], project)).map(([what]) => what);
  }

  /** Values of the project's env Secret (ours only), for redaction. */
  private async secretValues(project: string): Promise<string[]> {
    const secret = await kubeOptional('reading the env Secret', () =>
      this.core.readNamespacedSecret({ name: envSecretName(project), namespace: this.ns }),
    );
    return isOurs(secret, project)
      ? Object.values(secret?.data ?? {}).map((v) => Buffer.from(v, 'base64').toString())
      : [];
  }

  private async pods(project: string): Promise<V1Pod[]> {
    return (
      await kube('listing pods', () =>
        this.core.listNamespacedPod({ namespace: this.ns, labelSelector: selectorOf(project) }),
      )
    ).items;
  }

  private async ensureNamespace(): Promise<void> {
    if (this.namespaceReady) return;
    const existing = await kubeOptional('reading the deploy namespace', () =>
      this.core.readNamespace({ name: this.ns }),
    ).catch((error) => {
      // Bound only in DEPLOY_NAMESPACE (the manifests' Role), threesix may not read or create
      // Namespaces: the operator made it, and an apply into a missing one fails with NOT_FOUND.
      if ((error as { code?: string }).code === 'PERMISSION_DENIED') return 'operator-managed';
      throw error;
    });
    if (!existing) {
      await kube('creating the deploy namespace', () =>
        this.core.createNamespace({
          body: {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: this.ns, labels: { [MANAGED_BY]: 'threesix' } },
          },
        }),
      ).catch((error) => {
        if ((error as { code?: string }).code !== 'CONFLICT') throw error; // created meanwhile
      });
    }
    this.namespaceReady = true;
  }

  /** Reads an object; CONFLICT when it exists but is not ours for this project. */
  private async owned<T extends Owned>(
    kind: string,
    name: string,
    project: string,
    read: () => Promise<T>,
  ): Promise<T | undefined> {
    // The project is passed, not derived from the name: "web-env" is a valid project name too.
    const object = await kubeOptional(`reading ${kind} ${name}`, read);
    if (object && !isOurs(object, project)) {
      throw conflict(
        `${kind} "${name}" already exists in namespace ${this.ns} and is not managed by threesix`,
        'Remove or rename that object, or choose another project name',
      );
    }
    return object;
  }

  private async requireOurs(project: string): Promise<V1Deployment> {
    const deployment = await this.owned('Deployment', project, project, () =>
      this.apps.readNamespacedDeployment({ name: project, namespace: this.ns }),
    );
    if (!deployment) throw notFound(`nothing is deployed for project "${project}"`, 'Deploy it first with deploy');
    return deployment;
  }

  private async applyObject(object: KubeObject): Promise<unknown> {
    const name = object.metadata.name as string;
    const params = { name, namespace: this.ns, body: object, fieldManager: FIELD_MANAGER, force: true };
    const what = `applying ${object.kind} ${name}`;
    switch (object.kind) {
      case 'Deployment':
        return kube(what, () => this.apps.patchNamespacedDeployment(params, APPLY));
      case 'Service':
        return kube(what, () => this.core.patchNamespacedService(params, APPLY));
      case 'Ingress':
        return kube(what, () => this.net.patchNamespacedIngress(params, APPLY));
      default:
        return kube(what, () => this.core.patchNamespacedSecret(params, APPLY));
    }
  }
}

/** The pod whose log tells most: the newest that runs or has restarted, else the newest. */
function logPod(pods: V1Pod[]): V1Pod | undefined {
  const newestFirst = [...pods].sort((a, b) =>
    String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')),
  );
  return (
    newestFirst.find(
      (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0 || p.status?.phase === 'Running',
    ) ?? newestFirst[0]
  );
}

/** The Secret's values after set_env's changes: `unset` removed, `set` written over what was there. */
function mergeSecretData(
  data: Record<string, string> | undefined,
  changes: { set: Record<string, string>; unset: string[] },
): Record<string, string> {
  const merged = Object.fromEntries(
    Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
  );
  for (const name of changes.unset) delete merged[name];
  return { ...merged, ...changes.set };
}

/** A ReadWriteOnce volume attaches to one node: its project runs one pod. */
function requireOnePod(project: string, replicas: number): void {
  if (replicas > MAX_REPLICAS_WITH_VOLUMES) {
    throw invalidInput(
      `project "${project}" has volumes and runs at most ${MAX_REPLICAS_WITH_VOLUMES} pod (asked for ${replicas})`,
      'Scale to 1, or remove its volumes with remove_volume first',
    );
  }
}

function emptyWorkload(project: string): WorkloadStatus {
  return {
    project,
    exists: false,
    generation: 0,
    observedGeneration: 0,
    desiredReplicas: 0,
    updatedReplicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    image: null,
    pods: [],
    conditions: [],
    events: [],
    hosts: [],
    usage: null,
  };
}
