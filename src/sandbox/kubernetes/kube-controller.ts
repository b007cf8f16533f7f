/**
 * @module sandbox/kubernetes/kube-controller
 * A tiny Deployment controller and kubelet: keeps one ReplicaSet per pod template and pods for the
 * current one (kube-replicasets.ts), starts them after a short delay, pulls images by asking the
 * registry over HTTP (absent → ErrImagePull, then ImagePullBackOff), reports image and imageID the
 * way kubelet and containerd do (kube-image-pull.ts), crash-loops containers when a test asks,
 * retires old pods once the new ones are ready, and writes Deployment and ReplicaSet status the way
 * the real controllers do.
 */
import { RESOURCES } from './kube-resources.js';
import type { KubeStore, Resource } from './kube-store.js';
import type {
  Condition,
  ContainerState,
  ContainerStatus,
  Deployment,
  Pod,
  PodSpec,
  ReplicaSet,
} from './kube-objects.js';
import { NodeImageStore, type PulledImage } from './kube-image-pull.js';
import {
  controllerOf,
  ownedReplicaSets,
  randomSuffix,
  scaleReplicaSet,
  syncNewReplicaSet,
  TEMPLATE_HASH_LABEL,
} from './kube-replicasets.js';

export interface ControllerOptions {
  /** Base URL of an OCI registry to check images against; images from other hosts fail to pull. */
  registryUrl?: string;
  /** Milliseconds from pod creation to container start. */
  startDelayMs: number;
  tickMs: number;
}

interface PodRuntime {
  pull: 'pending' | 'checking' | 'ok' | 'missing';
  /** Set once pulled: what the runtime reports for containers of this image. */
  pulled?: PulledImage;
  created: number;
  attempts: number;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class KubeController {
  private readonly runtime = new Map<string, PodRuntime>();
  readonly crashing = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private eventSeq = 0;
  /** When each pod template's rollout began, for ProgressDeadlineExceeded. */
  private readonly rollouts = new Map<string, number>();
  private readonly images: NodeImageStore;

  constructor(
    private readonly store: KubeStore,
    private readonly options: ControllerOptions,
  ) {
    this.images = new NodeImageStore(options.registryUrl);
  }

  start(): void {
    this.timer = setInterval(() => this.reconcileAll(), this.options.tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Test switch: while held, nothing is reconciled, like a controller manager that lags behind the API server. */
  held = false;

  reconcileAll(): void {
    if (this.held) return;
    for (const d of this.store.list(RESOURCES.deployments, null)) this.reconcile(d);
    // The garbage collector: dependents whose controlling owner is gone go too (background propagation).
    const uids = (resource: Resource) =>
      new Set<string | undefined>(this.store.list(resource, null).map((o) => o.metadata.uid));
    const deployments = uids(RESOURCES.deployments);
    for (const rs of this.store.list(RESOURCES.replicasets, null)) {
      if (!deployments.has(controllerOf(rs)?.uid))
        this.store.delete(RESOURCES.replicasets, rs.metadata.namespace, rs.metadata.name);
    }
    const replicaSets = uids(RESOURCES.replicasets);
    for (const pod of this.store.list(RESOURCES.pods, null)) {
      if (!replicaSets.has(controllerOf(pod)?.uid)) this.deletePod(pod);
    }
  }

  private reconcile(d: Deployment): void {
    const ns = d.metadata.namespace;
    const newRs = syncNewReplicaSet(this.store, d);
    const hash = newRs.metadata.labels?.[TEMPLATE_HASH_LABEL];
    const desired = d.spec.replicas ?? 1;
    const oldRss = ownedReplicaSets(this.store, d).filter((rs) => rs.metadata.uid !== newRs.metadata.uid);
    const podsOf = (rs: ReplicaSet) =>
      this.store.list(RESOURCES.pods, ns).filter((p) => controllerOf(p)?.uid === rs.metadata.uid);
    const current = podsOf(newRs);
    const old = oldRss.flatMap(podsOf);
    scaleReplicaSet(this.store, newRs, desired);
    for (let i = current.length; i < desired; i++) current.push(this.createPod(newRs));
    for (const extra of current.splice(desired)) this.deletePod(extra);
    for (const pod of current) this.advance(pod, d);
    const ready = (p: Pod) => p.status?.containerStatuses?.[0]?.ready === true;
    const newReady = current.filter(ready).length;
    if (newReady >= desired) {
      for (const pod of old) this.deletePod(pod);
      for (const rs of oldRss) scaleReplicaSet(this.store, rs, 0);
    }
    for (const rs of [newRs, ...oldRss])
      this.writeReplicaSetStatus(rs, podsOf(rs).filter(ready).length, podsOf(rs).length);
    const remaining = [newRs, ...oldRss].flatMap(podsOf);
    const readyAll = remaining.filter(ready).length;
    const complete = newReady >= desired && remaining.length === desired;
    const rolloutKey = `${ns}/${d.metadata.name}/${hash}`;
    if (!this.rollouts.has(rolloutKey)) this.rollouts.set(rolloutKey, Date.now());
    const started = this.rollouts.get(rolloutKey)!;
    const overdue = !complete && Date.now() - started > (d.spec.progressDeadlineSeconds ?? 600) * 1000;
    const previous = this.store.get(RESOURCES.deployments, ns, d.metadata.name).status ?? {};
    const rsName = newRs.metadata.name;
    const progressing: Condition = complete
      ? {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        }
      : overdue
        ? {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: `ReplicaSet "${rsName}" has timed out progressing.`,
          }
        : {
            type: 'Progressing',
            status: 'True',
            reason: 'ReplicaSetUpdated',
            message: `ReplicaSet "${rsName}" is progressing.`,
          };
    const available = {
      type: 'Available',
      status: readyAll >= desired ? 'True' : 'False',
      reason: readyAll >= desired ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      message: 'Deployment availability.',
    };
    const stamp = (c: Condition) => ({ ...c, lastUpdateTime: now(), lastTransitionTime: now() });
    const status = {
      observedGeneration: d.metadata.generation,
      replicas: remaining.length,
      updatedReplicas: current.length,
      readyReplicas: readyAll,
      availableReplicas: readyAll,
      ...(remaining.length - readyAll > 0 ? { unavailableReplicas: remaining.length - readyAll } : {}),
      conditions: [stamp(available), stamp(progressing)],
    };
    if (
      JSON.stringify({ ...previous, conditions: undefined }) !== JSON.stringify({ ...status, conditions: undefined }) ||
      previous.conditions?.[1]?.reason !== progressing.reason
    ) {
      this.store.setStatus(RESOURCES.deployments, ns, d.metadata.name, status);
    }
  }

  /** The ReplicaSet controller's status (pkg/controller/replicaset/replica_set_utils.go calculateStatus). */
  private writeReplicaSetStatus(rs: ReplicaSet, ready: number, total: number): void {
    const fresh = this.store.get(RESOURCES.replicasets, rs.metadata.namespace, rs.metadata.name);
    const status = {
      replicas: total,
      fullyLabeledReplicas: total,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: fresh.metadata.generation,
    };
    if (JSON.stringify(fresh.status) !== JSON.stringify(status))
      this.store.setStatus(RESOURCES.replicasets, rs.metadata.namespace, rs.metadata.name, status);
  }

  /**
   * The ReplicaSet controller creates pods from its template
   * (pkg/controller/controller_utils.go GetPodFromTemplate).
   */
  private createPod(rs: ReplicaSet): Pod {
    const ns = rs.metadata.namespace;
    const name = `${rs.metadata.name}-${randomSuffix()}`;
    const spec = structuredClone(rs.spec.template.spec);
    const pod = this.store.create(
      RESOURCES.pods,
      ns,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          generateName: `${rs.metadata.name}-`,
          labels: { ...rs.spec.template.metadata?.labels },
          ...(rs.spec.template.metadata?.annotations
            ? { annotations: { ...rs.spec.template.metadata.annotations } }
            : {}),
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: rs.metadata.name,
              uid: rs.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec,
        status: {
          phase: 'Pending',
          containerStatuses: [
            this.containerStatus(spec, undefined, { waiting: { reason: 'ContainerCreating' } }, false, 0),
          ],
        },
      },
      'kube-controller-manager',
    );
    this.runtime.set(`${ns}/${name}`, { pull: 'pending', created: Date.now(), attempts: 0 });
    this.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to sandbox-node`);
    return pod;
  }

  private advance(pod: Pod, d: Deployment): void {
    const rt = this.runtime.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    if (!rt || Date.now() - rt.created < this.options.startDelayMs) return;
    const image = pod.spec.containers[0]!.image;
    // The controller creates every pod with one container status (createPod).
    const current = pod.status?.containerStatuses?.[0];
    if (rt.pull === 'pending') {
      rt.pull = 'checking';
      this.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
      void this.images.pull(image).then((pulled) => {
        rt.pull = pulled ? 'ok' : 'missing';
        rt.pulled = pulled;
      });
      return;
    }
    if (rt.pull === 'checking') return;
    rt.attempts += 1;
    if (rt.pull === 'missing') {
      const reason = rt.attempts === 1 ? 'ErrImagePull' : 'ImagePullBackOff';
      if (rt.attempts <= 2)
        this.event(
          pod,
          'Warning',
          rt.attempts === 1 ? 'Failed' : 'BackOff',
          rt.attempts === 1 ? `Failed to pull image "${image}": not found` : `Back-off pulling image "${image}"`,
        );
      this.setPodStatus(
        pod,
        undefined,
        'Pending',
        { waiting: { reason, message: `Back-off pulling image "${image}"` } },
        false,
        0,
      );
    } else if (this.crashing.has(d.metadata.name) && !current?.state.running) {
      // The switch makes containers crash on start; one already running keeps running.
      const restarts = Math.min(rt.attempts, 50);
      if (rt.attempts === 2) this.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container app');
      this.setPodStatus(
        pod,
        rt.pulled,
        'Running',
        { waiting: { reason: 'CrashLoopBackOff', message: 'back-off restarting failed container' } },
        false,
        restarts,
        { terminated: { reason: 'Error', exitCode: 1, startedAt: now(), finishedAt: now() } },
      );
    } else if (!current?.ready) {
      this.event(pod, 'Normal', 'Started', 'Started container app');
      this.setPodStatus(pod, rt.pulled, 'Running', { running: { startedAt: now() } }, true, current?.restartCount ?? 0);
    }
  }

  /** `pulled` is what the runtime reports once a container of the image exists; undefined before that. */
  private setPodStatus(
    pod: Pod,
    pulled: PulledImage | undefined,
    phase: string,
    state: ContainerState,
    ready: boolean,
    restarts: number,
    lastState?: ContainerState,
  ): void {
    const containerStatus = this.containerStatus(pod.spec, pulled, state, ready, restarts, lastState);
    const status = {
      phase,
      podIP: '10.42.0.10',
      startTime: pod.metadata.creationTimestamp,
      containerStatuses: [containerStatus],
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    };
    if (JSON.stringify(pod.status) !== JSON.stringify(status))
      this.store.setStatus(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name, status);
  }

  /**
   * Until a container exists kubelet shows the spec's image and an empty imageID (its default
   * waiting status, kubernetes/kubernetes pkg/kubelet/kubelet_pods.go
   * `convertToAPIContainerStatuses`); afterwards both come from the runtime (kube-image-pull.ts).
   */
  private containerStatus(
    spec: PodSpec,
    pulled: PulledImage | undefined,
    state: ContainerState,
    ready: boolean,
    restarts: number,
    lastState: ContainerState = {},
  ): ContainerStatus {
    const c = spec.containers[0]!;
    return {
      name: c.name,
      image: pulled?.image ?? c.image,
      imageID: pulled?.imageID ?? '',
      ready,
      restartCount: restarts,
      started: ready,
      state,
      lastState,
    };
  }

  private deletePod(pod: Pod): void {
    this.runtime.delete(`${pod.metadata.namespace}/${pod.metadata.name}`);
    try {
      this.store.delete(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name);
    } catch {
      // already gone
    }
  }

  private event(pod: Pod, type: string, reason: string, message: string): void {
    const name = `${pod.metadata.name}.${(++this.eventSeq).toString(16)}`;
    this.store.create(RESOURCES.events, pod.metadata.namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name },
      type,
      reason,
      message,
      count: 1,
      involvedObject: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, apiVersion: 'v1' },
      source: { component: 'kubelet' },
      firstTimestamp: now(),
      lastTimestamp: now(),
    });
  }
}
