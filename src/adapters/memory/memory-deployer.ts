/**
 * @module adapters/memory/memory-deployer
 * A stateful in-memory cluster for service tests. Rollouts are simulated: a new generation becomes
 * ready after `rolloutPolls` status reads, unless its image does not pull from the linked memory
 * registry (ImagePullBackOff) or a test made the project crash-loop (CrashLoopBackOff).
 */
import { conflict, invalidInput, notFound } from '../../domain/errors.js';
import { redactSecrets } from '../../domain/redact-secrets.js';
import type {
  DeploySpec,
  Deployer,
  FollowLogsOptions,
  HostInUse,
  ManagedWorkload,
  PodState,
  ProjectUsage,
  WorkloadStatus,
} from '../../ports/deployer.port.js';
import type { MemoryImageRegistry } from './memory-image-registry.js';
import { MemoryDatabases } from './memory-databases.js';
import { MemoryVolumes } from './memory-volumes.js';
import { MAX_REPLICAS_WITH_VOLUMES, type ProjectVolume, type VolumeSpec } from '../../ports/volume.port.js';
import type { ClusterInNamespace, DatabaseSpec, DatabaseStatus } from '../../ports/database.port.js';
import { settled } from './settled.js';

interface Workload {
  spec: DeploySpec;
  generation: number;
  /** Status reads since the last change; the rollout completes when it reaches rolloutPolls. */
  polls: number;
  restarts: number;
  crashLoop: boolean;
  /** Whether the pod template reads the project's database Secret (wired at apply when a Cluster of ours exists). */
  database: boolean;
  /** Mount paths of the project's volumes in the pod template (from its claims at apply). */
  mounts: string[];
}

export interface MemoryDeployerOptions {
  /** When set, images it does not hold fail to pull. */
  registry?: MemoryImageRegistry;
  /** Status reads before a rollout completes; 0 means at once. */
  rolloutPolls?: number;
  /** Database status reads before a Cluster is healthy; 0 means at once. */
  databaseReadyPolls?: number;
}

export class MemoryDeployer implements Deployer {
  private readonly workloads = new Map<string, Workload>();
  private readonly crashing = new Set<string>();
  /** What usage() reports per project; set by tests (setUsage). */
  private readonly usageOf = new Map<string, Omit<ProjectUsage, 'project' | 'pods'>>();
  /** Objects someone else made in the namespace ("Kind/name" → Ingress hosts, empty for other kinds). */
  private readonly foreign = new Map<string, string[]>();

  /** CloudNativePG Clusters (memory-databases.ts); tests plant foreign ones through it. */
  readonly databases: MemoryDatabases;
  /** Volume claims (memory-volumes.ts). */
  readonly volumes = new MemoryVolumes();

  constructor(private readonly options: MemoryDeployerOptions = {}) {
    this.databases = new MemoryDatabases(options.databaseReadyPolls ?? 0);
  }

  async probe(): Promise<void> {}

  async apply(spec: DeploySpec): Promise<{ generation: number }> {
    const taken = await this.foreignObjects(spec.project);
    // Like the Kubernetes adapter: every name is checked before anything is written.
    if (taken.length > 0)
      throw conflict(
        `${taken[0]} already exists in the namespace and is not managed by threesix`,
        'Remove or rename that object, or choose another project name',
      );
    const current = this.workloads.get(spec.project);
    const copy = structuredClone(spec);
    // Omitted env or secrets keep what the cluster already runs with, as the port promises.
    copy.env ??= current?.spec.env ?? {};
    copy.secrets ??= mergeSecrets(current?.spec.secrets ?? {}, spec.secretChanges);
    delete copy.secretChanges;
    const database = this.databases.has(spec.project);
    const mounts = (await this.volumes.listVolumes(spec.project)).map((v) => v.path);
    if (mounts.length > 0) requireOnePod(spec.project, spec.replicas);
    const changed =
      !current ||
      JSON.stringify(podTemplate(current.spec)) !== JSON.stringify(podTemplate(copy)) ||
      current.spec.replicas !== copy.replicas ||
      current.database !== database ||
      current.mounts.join() !== mounts.join();
    const generation = current ? current.generation + (changed ? 1 : 0) : 1;
    this.workloads.set(spec.project, {
      spec: copy,
      generation,
      polls: changed ? 0 : (current?.polls ?? 0),
      restarts: current?.restarts ?? 0,
      crashLoop: this.crashing.has(spec.project),
      database,
      mounts,
    });
    return { generation };
  }

  status(project: string): Promise<WorkloadStatus> {
    return settled(() => {
      const w = this.workloads.get(project);
      if (!w) return emptyStatus(project);
      w.polls += 1;
      const failure = this.failureOf(w);
      const rolledOut = !failure && w.polls > (this.options.rolloutPolls ?? 0);
      const replicas = w.spec.replicas;
      const pods: PodState[] = Array.from({ length: replicas }, (_, i) => ({
        name: `${project}-${w.generation}-${i}`,
        phase: failure ? 'Pending' : rolledOut ? 'Running' : 'Pending',
        ready: rolledOut,
        restarts: failure === 'CrashLoopBackOff' ? 3 : 0,
        reason: failure ?? (rolledOut ? null : 'ContainerCreating'),
        message: failure === 'ImagePullBackOff' ? `Back-off pulling image "${w.spec.image}"` : null,
        image: w.spec.image,
        // Only the current generation's pods are modelled: every one belongs to the newest ReplicaSet.
        current: true,
      }));
      return {
        project,
        exists: true,
        generation: w.generation,
        observedGeneration: w.generation,
        desiredReplicas: replicas,
        updatedReplicas: replicas,
        readyReplicas: rolledOut ? replicas : 0,
        availableReplicas: rolledOut ? replicas : 0,
        image: w.spec.image,
        pods,
        conditions: [
          {
            type: 'Available',
            status: rolledOut ? 'True' : 'False',
            reason: rolledOut ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
            message: null,
          },
        ],
        events: [],
        hosts: [...w.spec.hosts],
        usage: null,
      };
    });
  }

  async scale(project: string, replicas: number): Promise<void> {
    const w = this.require(project);
    if ((await this.volumes.listVolumes(project)).length > 0) requireOnePod(project, replicas);
    w.spec.replicas = replicas;
    w.generation += 1;
  }

  restart(project: string): Promise<void> {
    return settled(() => {
      const w = this.require(project);
      w.generation += 1;
      w.polls = 0;
      w.restarts += 1;
    });
  }

  setHosts(project: string, hosts: string[]): Promise<void> {
    return settled(() => {
      this.require(project).spec.hosts = [...hosts];
    });
  }

  logs(project: string, options: { tail: number; previous?: boolean }): Promise<string> {
    return settled(() => {
      const w = this.require(project);
      const lines = [
        `listening on :${w.spec.port}`,
        `image ${w.spec.image}`,
        ...Object.entries({ ...w.spec.env, ...w.spec.secrets }).map(([k, v]) => `env ${k}=${v}`),
      ];
      if (this.failureOf(w) === 'CrashLoopBackOff') lines.push('fatal: crashed on start');
      return redactSecrets(lines.slice(-options.tail).join('\n') + '\n', Object.values(w.spec.secrets ?? {}));
    });
  }

  async followLogs(project: string, options: FollowLogsOptions): Promise<void> {
    // The log so far, then nothing new: an in-memory container prints only at start.
    options.onText(await this.logs(project, { tail: options.tail }));
    if (options.signal.aborted) return;
    await new Promise<void>((resolve) => options.signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  usage(): Promise<ProjectUsage[]> {
    return settled(() =>
      [...this.workloads]
        .filter(([, w]) => w.spec.replicas > 0)
        .map(([project, w]) => ({
          project,
          cpuMillicores: 0,
          memoryBytes: 0,
          restarts: w.restarts,
          ...this.usageOf.get(project),
          pods: w.spec.replicas,
        })),
    );
  }

  /** Test switch: what usage() reports for a deployed project from now on. */
  setUsage(project: string, usage: Omit<ProjectUsage, 'project' | 'pods'>): void {
    this.usageOf.set(project, { ...usage });
  }

  remove(project: string): Promise<{ removed: string[] }> {
    return settled(() => {
      const w = this.workloads.get(project);
      this.workloads.delete(project);
      if (!w) return { removed: [] };
      const kinds = this.kindsOf(w);
      return { removed: kinds.map((kind) => `${kind}/${kind === 'Secret' ? `${project}-env` : project}`) };
    });
  }

  applyDatabase(spec: DatabaseSpec): Promise<void> {
    return this.databases.applyDatabase(spec);
  }

  databaseStatus(project: string): Promise<DatabaseStatus> {
    return this.databases.databaseStatus(project);
  }

  removeDatabase(project: string): Promise<{ removed: string[] }> {
    return this.databases.removeDatabase(project);
  }

  listDatabases(): Promise<ClusterInNamespace[]> {
    return this.databases.listDatabases();
  }

  applyVolume(spec: VolumeSpec): Promise<ProjectVolume> {
    return this.volumes.applyVolume(spec);
  }

  listVolumes(project: string): Promise<ProjectVolume[]> {
    return this.volumes.listVolumes(project);
  }

  removeVolume(project: string, path: string): Promise<{ removed: string[] }> {
    return this.volumes.removeVolume(project, path);
  }

  /** Test helper: the mount paths in the running pod template. */
  mountedPaths(project: string): string[] {
    return this.workloads.get(project)?.mounts ?? [];
  }

  /** Test helper: whether the running pod template reads the database Secret. */
  databaseWired(project: string): boolean {
    return this.workloads.get(project)?.database ?? false;
  }

  listManaged(): Promise<ManagedWorkload[]> {
    return settled(() => [...this.workloads.entries()].map(([project, w]) => ({ project, kinds: this.kindsOf(w) })));
  }

  hostsInUse(): Promise<HostInUse[]> {
    return settled(() => {
      const ours = [...this.workloads].flatMap(([project, w]) =>
        w.spec.hosts.map((host) => ({ host, ingress: project, project })),
      );
      const theirs = [...this.foreign]
        .filter(([what]) => what.startsWith('Ingress/'))
        .flatMap(([what, hosts]) =>
          hosts.map((host) => ({ host, ingress: what.slice('Ingress/'.length), project: null })),
        );
      return [...ours, ...theirs];
    });
  }

  foreignObjects(project: string): Promise<string[]> {
    return settled(() => {
      const names = [`Deployment/${project}`, `Service/${project}`, `Ingress/${project}`, `Secret/${project}-env`];
      return names.filter((name) => this.foreign.has(name));
    });
  }

  /** Test helper: an object someone else made in the namespace, e.g. ("Ingress", "legacy", ["shop.example.test"]). */
  addForeign(kind: 'Deployment' | 'Service' | 'Ingress' | 'Secret', name: string, hosts: string[] = []): void {
    this.foreign.set(`${kind}/${name}`, kind === 'Ingress' ? [...hosts] : []);
  }

  /** Test switch: the project's containers crash on start from the next apply on. */
  setCrashLoop(project: string, on: boolean): void {
    if (on) this.crashing.add(project);
    else this.crashing.delete(project);
    const w = this.workloads.get(project);
    if (w) w.crashLoop = on;
  }

  /** Test helper: the spec last applied, as the cluster holds it. */
  applied(project: string): DeploySpec | undefined {
    const w = this.workloads.get(project);
    return w ? structuredClone(w.spec) : undefined;
  }

  private failureOf(w: Workload): string | null {
    if (w.spec.replicas === 0) return null;
    if (this.options.registry && !this.options.registry.hasImage(w.spec.image)) return 'ImagePullBackOff';
    return w.crashLoop ? 'CrashLoopBackOff' : null;
  }

  private kindsOf(w: Workload): string[] {
    return ['Deployment', 'Service', 'Ingress', ...(Object.keys(w.spec.secrets ?? {}).length ? ['Secret'] : [])];
  }

  private require(project: string): Workload {
    const w = this.workloads.get(project);
    if (!w) throw notFound(`nothing is deployed for project "${project}"`, 'Deploy it first with deploy');
    return w;
  }
}

/** Like the Kubernetes adapter: a ReadWriteOnce volume attaches to one node, so one pod. */
function requireOnePod(project: string, replicas: number): void {
  if (replicas > MAX_REPLICAS_WITH_VOLUMES)
    throw invalidInput(
      `project "${project}" has volumes and runs at most ${MAX_REPLICAS_WITH_VOLUMES} pod (asked for ${replicas})`,
      'Scale to 1, or remove its volumes with remove_volume first',
    );
}

function podTemplate(spec: DeploySpec) {
  return {
    image: spec.image,
    port: spec.port,
    env: spec.env,
    secrets: spec.secrets,
    healthCheckPath: spec.healthCheckPath ?? null,
    resources: spec.resources ?? null,
  };
}

/** Like the Kubernetes adapter: set_env's changes merged into the Secret the cluster holds. */
function mergeSecrets(current: Record<string, string>, changes: DeploySpec['secretChanges']): Record<string, string> {
  if (!changes) return current;
  const merged = { ...current };
  for (const name of changes.unset) delete merged[name];
  return { ...merged, ...changes.set };
}

export function emptyStatus(project: string): WorkloadStatus {
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
