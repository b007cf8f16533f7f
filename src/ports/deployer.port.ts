/**
 * @module ports/deployer
 * Workloads on the cluster in domain terms: one Deployment, Service, Ingress and Secret per
 * project, all labelled as threesix's. Objects without our labels are never changed or deleted.
 */
import type { BackendProbe } from './backend-probe.port.js';
import type { DatabaseClusters } from './database.port.js';
import type { ProjectVolumes } from './volume.port.js';

export interface DeploySpec {
  project: string;
  /** Pinned image, `registry/path@sha256:...`. */
  image: string;
  port: number;
  replicas: number;
  /** Omitted: keep the env the running Deployment has (rollbacks and re-deploys of an image). */
  env?: Record<string, string>;
  /** Values go into a Secret, never echoed back. Omitted: keep the existing Secret as it is. */
  secrets?: Record<string, string>;
  /**
   * Merged into the existing Secret (set_env): `set` values written, `unset` names removed. Ignored when `secrets` is
   * given.
   */
  secretChanges?: { set: Record<string, string>; unset: string[] };
  /** HTTP readiness and liveness probes on this path; null or omitted: the TCP readiness check. */
  healthCheckPath?: string | null;
  /** CPU and memory requests and limits; omitted: the operator's DEPLOY_* defaults. */
  resources?: { cpuRequest: string; cpuLimit: string; memoryRequest: string; memoryLimit: string };
  /** Ingress hosts: `<project>.<DEFAULT_DOMAIN>` plus custom domains. */
  hosts: string[];
  /** Recorded as annotations for traceability. */
  releaseId?: number;
  commitSha?: string | null;
}

export interface PodState {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  /** Waiting/terminated reason such as ImagePullBackOff or CrashLoopBackOff. */
  reason: string | null;
  message: string | null;
  /**
   * The image the pod was made to run (its spec). Not the container status's `image`: kubelet on
   * containerd reports the image's first tag or `sha256:<image id>` there, never the pinned reference.
   */
  image: string | null;
  /**
   * Whether the pod belongs to the Deployment's newest ReplicaSet (the current pod template), which
   * is how the Deployment controller tells the pods of a rollout from the ones it replaces.
   */
  current: boolean;
}

export interface WorkloadStatus {
  project: string;
  exists: boolean;
  generation: number;
  observedGeneration: number;
  desiredReplicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  image: string | null;
  pods: PodState[];
  conditions: Array<{ type: string; status: string; reason: string | null; message: string | null }>;
  events: Array<{ type: string; reason: string; message: string; time: string | null }>;
  hosts: string[];
  /** From the metrics API when the cluster serves it. */
  usage: { cpu: string; memory: string } | null;
}

/** One project's use of the cluster at one moment, summed over its pods. */
export interface ProjectUsage {
  project: string;
  /** CPU of its running pods (metrics API), in millicores. */
  cpuMillicores: number;
  /** Memory working set of its running pods (metrics API), in bytes. */
  memoryBytes: number;
  /** Container restarts summed over its pods (pod statuses). */
  restarts: number;
  pods: number;
}

export interface FollowLogsOptions {
  tail: number;
  sinceSeconds?: number;
  container?: string;
  /** Ends the follow and closes the HTTP stream. */
  signal: AbortSignal;
  /** Whole lines as they arrive (each ending in a newline), known secret values redacted. */
  onText(text: string): void;
}

export interface ManagedWorkload {
  project: string;
  /** Kinds present, e.g. ["Deployment", "Service", "Ingress", "Secret"]. */
  kinds: string[];
}

/** A host some Ingress in the deploy namespace serves. */
export interface HostInUse {
  host: string;
  /** The Ingress's name. */
  ingress: string;
  /** The project when the Ingress carries our labels; null when it is not threesix's. */
  project: string | null;
}

/**
 * Databases (CloudNativePG Clusters, database.port.ts) and volumes (volume.port.ts) live on the same cluster and
 * account.
 */
export interface Deployer extends BackendProbe, DatabaseClusters, ProjectVolumes {
  /** Server-side apply of all objects for the spec; returns the Deployment's new generation. */
  apply(spec: DeploySpec): Promise<{ generation: number }>;
  /** `exists: false` when nothing is deployed. */
  status(project: string): Promise<WorkloadStatus>;
  scale(project: string, replicas: number): Promise<void>;
  /** Rolling restart through a pod-template annotation. */
  restart(project: string): Promise<void>;
  /** Updates only the Ingress hosts (custom domains). */
  setHosts(project: string, hosts: string[]): Promise<void>;
  /** Known secret values of the project are redacted before the text is returned. */
  logs(
    project: string,
    options: { tail: number; sinceSeconds?: number; container?: string; previous?: boolean },
  ): Promise<string>;
  /**
   * Streams the same pod's log as `logs` picks (follow=true): the tail first, then new lines as the
   * container writes them, until `signal` aborts or the container stops.
   */
  followLogs(project: string, options: FollowLogsOptions): Promise<void>;
  /**
   * What every project with pods carrying our labels uses now: one pod list and one metrics API
   * list for the namespace. NOT_FOUND when the cluster serves no metrics API.
   */
  usage(): Promise<ProjectUsage[]>;
  /** Deletes every object carrying our labels for the project (TLS secret included); 404s count as done. */
  remove(project: string): Promise<{ removed: string[] }>;
  /** Projects with objects carrying our labels, from one list call per kind. */
  listManaged(): Promise<ManagedWorkload[]>;
  /**
   * Every host of every Ingress in the namespace, ours or not, from one list call: the claims a new host must not
   * collide with.
   */
  hostsInUse(): Promise<HostInUse[]>;
  /**
   * Objects a deploy of `project` would write (Deployment, Service, Ingress, env Secret) that exist without our labels
   * for it, e.g. "Deployment/web".
   */
  foreignObjects(project: string): Promise<string[]>;
}
