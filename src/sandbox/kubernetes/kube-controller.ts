/**
 * @module sandbox/kubernetes/kube-controller
 * A tiny Deployment controller: keeps pods for the current pod template, starts them after a short
 * delay, pulls images by asking the registry over HTTP (absent → ErrImagePull, then
 * ImagePullBackOff), crash-loops containers when a test asks, retires old pods once the new ones are
 * ready, and writes Deployment status the way the real controller does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { RESOURCES } from './kube-resources.js';
import type { KubeStore, Obj } from './kube-store.js';

export interface ControllerOptions {
  /** Base URL of an OCI registry to check images against; images from other hosts fail to pull. */
  registryUrl?: string;
  /** Milliseconds from pod creation to container start. */
  startDelayMs: number;
  tickMs: number;
}

interface PodRuntime {
  pull: 'pending' | 'checking' | 'ok' | 'missing';
  created: number;
  attempts: number;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
/** The owning Deployment's name, from the (virtual) ReplicaSet `<deployment>-<hash>`. */
const ownerOf = (pod: Obj) => String(pod.metadata.ownerReferences?.[0]?.name ?? '').replace(/-[a-f0-9]{10}$/, '');
const templateHash = (d: Obj) => createHash('sha256').update(JSON.stringify(d.spec.template)).digest('hex').slice(0, 10);

export class KubeController {
  private readonly runtime = new Map<string, PodRuntime>();
  readonly crashing = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private eventSeq = 0;
  /** When each pod template's rollout began, for ProgressDeadlineExceeded. */
  private readonly rollouts = new Map<string, number>();

  constructor(private readonly store: KubeStore, private readonly options: ControllerOptions) {}

  start(): void {
    this.timer = setInterval(() => this.reconcileAll(), this.options.tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  reconcileAll(): void {
    for (const d of this.store.list(RESOURCES.deployments, null)) this.reconcile(d);
    const owners = new Set(this.store.list(RESOURCES.deployments, null).map(d => `${d.metadata.namespace}/${d.metadata.name}`));
    for (const pod of this.store.list(RESOURCES.pods, null)) {
      if (!owners.has(`${pod.metadata.namespace}/${ownerOf(pod)}`)) this.deletePod(pod);
    }
  }

  private reconcile(d: Obj): void {
    const ns = d.metadata.namespace as string;
    const hash = templateHash(d);
    const desired = d.spec.replicas ?? 1;
    const mine = this.store.list(RESOURCES.pods, ns).filter(p => ownerOf(p) === d.metadata.name);
    const current = mine.filter(p => p.metadata.labels['pod-template-hash'] === hash);
    const old = mine.filter(p => p.metadata.labels['pod-template-hash'] !== hash);
    for (let i = current.length; i < desired; i++) current.push(this.createPod(d, hash));
    for (const extra of current.splice(desired)) this.deletePod(extra);
    for (const pod of current) this.advance(pod, d);
    const ready = (p: Obj) => p.status?.containerStatuses?.[0]?.ready === true;
    const newReady = current.filter(ready).length;
    if (newReady >= desired) for (const pod of old) this.deletePod(pod);
    const remaining = this.store.list(RESOURCES.pods, ns).filter(p => ownerOf(p) === d.metadata.name);
    const readyAll = remaining.filter(ready).length;
    const complete = newReady >= desired && remaining.length === desired;
    const rolloutKey = `${ns}/${d.metadata.name}/${hash}`;
    if (!this.rollouts.has(rolloutKey)) this.rollouts.set(rolloutKey, Date.now());
    const started = this.rollouts.get(rolloutKey)!;
    const overdue = !complete && Date.now() - started > (d.spec.progressDeadlineSeconds ?? 600) * 1000;
    const previous = d.status ?? {};
    const progressing = complete
      ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${d.metadata.name}-${hash}" has successfully progressed.` }
      : overdue
        ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${d.metadata.name}-${hash}" has timed out progressing.` }
        : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${d.metadata.name}-${hash}" is progressing.` };
    const available = { type: 'Available', status: readyAll >= desired ? 'True' : 'False', reason: readyAll >= desired ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', message: 'Deployment availability.' };
    const stamp = (c: Obj) => ({ ...c, lastUpdateTime: now(), lastTransitionTime: now() });
    const status: Obj = {
      observedGeneration: d.metadata.generation,
      replicas: remaining.length,
      updatedReplicas: current.length,
      readyReplicas: readyAll,
      availableReplicas: readyAll,
      ...(remaining.length - readyAll > 0 ? { unavailableReplicas: remaining.length - readyAll } : {}),
      conditions: [stamp(available), stamp(progressing)],
    };
    if (JSON.stringify({ ...previous, conditions: undefined }) !== JSON.stringify({ ...status, conditions: undefined }) || previous.conditions?.[1]?.reason !== progressing.reason) {
      this.store.setStatus(RESOURCES.deployments, ns, d.metadata.name, status);
    }
  }

  private createPod(d: Obj, hash: string): Obj {
    const name = `${d.metadata.name}-${hash}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    const spec = structuredClone(d.spec.template.spec);
    const pod = this.store.create(RESOURCES.pods, d.metadata.namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        labels: { ...d.spec.template.metadata?.labels, 'pod-template-hash': hash },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${d.metadata.name}-${hash}`, uid: d.metadata.uid, controller: true }],
      },
      spec,
      status: { phase: 'Pending', containerStatuses: [this.containerStatus(spec, { waiting: { reason: 'ContainerCreating' } }, false, 0)] },
    }, 'kube-controller-manager');
    this.runtime.set(`${d.metadata.namespace}/${name}`, { pull: 'pending', created: Date.now(), attempts: 0 });
    this.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${d.metadata.namespace}/${name} to sandbox-node`);
    return pod;
  }

  private advance(pod: Obj, d: Obj): void {
    const rt = this.runtime.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    if (!rt || Date.now() - rt.created < this.options.startDelayMs) return;
    const image = pod.spec.containers[0].image as string;
    if (rt.pull === 'pending') {
      rt.pull = 'checking';
      this.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
      void this.imageExists(image).then(ok => (rt.pull = ok ? 'ok' : 'missing'));
      return;
    }
    if (rt.pull === 'checking') return;
    rt.attempts += 1;
    if (rt.pull === 'missing') {
      const reason = rt.attempts === 1 ? 'ErrImagePull' : 'ImagePullBackOff';
      if (rt.attempts <= 2) this.event(pod, 'Warning', rt.attempts === 1 ? 'Failed' : 'BackOff', rt.attempts === 1 ? `Failed to pull image "${image}": not found` : `Back-off pulling image "${image}"`);
      this.setPodStatus(pod, 'Pending', { waiting: { reason, message: `Back-off pulling image "${image}"` } }, false, 0);
    } else if (this.crashing.has(d.metadata.name)) {
      const restarts = Math.min(rt.attempts, 50);
      if (rt.attempts === 2) this.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container app');
      this.setPodStatus(pod, 'Running', { waiting: { reason: 'CrashLoopBackOff', message: 'back-off restarting failed container' } }, false, restarts, { terminated: { reason: 'Error', exitCode: 1, startedAt: now(), finishedAt: now() } });
    } else if (!pod.status.containerStatuses[0].ready) {
      this.event(pod, 'Normal', 'Started', 'Started container app');
      this.setPodStatus(pod, 'Running', { running: { startedAt: now() } }, true, pod.status.containerStatuses[0].restartCount);
    }
  }

  private setPodStatus(pod: Obj, phase: string, state: Obj, ready: boolean, restarts: number, lastState?: Obj): void {
    const containerStatus = this.containerStatus(pod.spec, state, ready, restarts, lastState);
    const status = { phase, podIP: '10.42.0.10', startTime: pod.metadata.creationTimestamp, containerStatuses: [containerStatus], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    if (JSON.stringify(pod.status) !== JSON.stringify(status)) this.store.setStatus(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name, status);
  }

  private containerStatus(spec: Obj, state: Obj, ready: boolean, restarts: number, lastState: Obj = {}): Obj {
    const c = spec.containers[0];
    return { name: c.name, image: c.image, imageID: '', ready, restartCount: restarts, started: ready, state, lastState };
  }

  private deletePod(pod: Obj): void {
    this.runtime.delete(`${pod.metadata.namespace}/${pod.metadata.name}`);
    try {
      this.store.delete(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name);
    } catch {
      // already gone
    }
  }

  private event(pod: Obj, type: string, reason: string, message: string): void {
    const name = `${pod.metadata.name}.${(++this.eventSeq).toString(16)}`;
    this.store.create(RESOURCES.events, pod.metadata.namespace, {
      apiVersion: 'v1', kind: 'Event', metadata: { name }, type, reason, message, count: 1,
      involvedObject: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, apiVersion: 'v1' },
      source: { component: 'kubelet' }, firstTimestamp: now(), lastTimestamp: now(),
    });
  }

  /** HEAD on the registry; images whose host is not the registry's never pull. */
  private async imageExists(image: string): Promise<boolean> {
    const base = this.options.registryUrl?.replace(/\/+$/, '');
    if (!base) return true;
    const host = base.replace(/^[a-z]+:\/\//i, '');
    if (!image.startsWith(`${host}/`)) return false;
    const rest = image.slice(host.length + 1);
    const at = rest.indexOf('@');
    const colon = rest.lastIndexOf(':');
    const [name, ref] = at >= 0 ? [rest.slice(0, at), rest.slice(at + 1)] : colon > 0 ? [rest.slice(0, colon), rest.slice(colon + 1)] : [rest, 'latest'];
    try {
      const response = await fetch(`${base}/v2/${name}/manifests/${ref}`, { method: 'HEAD', headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' } });
      return response.ok;
    } catch {
      return false;
    }
  }
}
