/**
 * @module sandbox/kubernetes/kube-objects
 * The shapes of the objects the stand-in keeps, as far as its own controllers read them. Objects
 * are stored as clients sent them (plus the metadata the store stamps), so every kind carries
 * fields not named here; those stay `unknown`. The stand-in does not validate a body against its
 * kind (threesix's adapter and the tests send well-formed objects): these types are what the
 * controllers rely on, not a schema the API enforces.
 */

/** A JSON object: a request body, a patch, a status the controllers write. */
export type Json = Record<string, unknown>;

export const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Metadata after the store stamped it (kube-store.ts `stamp`). */
export interface ObjectMeta {
  name: string;
  /** Absent on Namespaces only. */
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  /** Kept on Deployments and ReplicaSets. */
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

/** Every kind the stand-in serves except Namespace. */
export interface Namespaced extends KubeObject {
  metadata: ObjectMeta & { namespace: string };
}

export interface Container {
  name: string;
  image: string;
  env?: Array<{ name: string; value?: string }>;
  envFrom?: Array<{ secretRef?: { name?: string } }>;
  ports?: Array<{ containerPort?: number }>;
}

export interface PodSpec {
  containers: Container[];
  volumes?: Array<{ persistentVolumeClaim?: { claimName?: string } }>;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; startedAt?: string; finishedAt?: string };
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  ready: boolean;
  restartCount: number;
  started: boolean;
  state: ContainerState;
  lastState: ContainerState;
}

export interface Pod extends Namespaced {
  spec: PodSpec;
  status?: { phase?: string; containerStatuses?: ContainerStatus[] };
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Deployment extends Namespaced {
  spec: {
    replicas?: number;
    progressDeadlineSeconds?: number;
    minReadySeconds?: number;
    selector?: { matchLabels?: Record<string, string> };
    template: PodTemplate;
  };
  status?: { conditions?: Condition[]; [field: string]: unknown };
}

export interface ReplicaSet extends Namespaced {
  spec: { replicas: number; template: PodTemplate };
}

/** CloudNativePG's `postgresql.cnpg.io/v1` Cluster. */
export interface Cluster extends Namespaced {
  spec?: { instances?: number; imageName?: string };
  status?: { conditions?: Condition[]; [field: string]: unknown };
}

export interface PersistentVolumeClaim extends Namespaced {
  spec?: { accessModes?: string[]; resources?: { requests?: { storage?: string } } };
  status?: { phase?: string };
}

export interface Secret extends Namespaced {
  /** Base64 values. */
  data?: Record<string, string>;
}
