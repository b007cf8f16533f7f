/**
 * @module sandbox/kubernetes/kube-metrics
 * The resource metrics API (`metrics.k8s.io/v1beta1`) as metrics-server serves it, for the pods
 * the stand-in runs: `GET /apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods[/{name}]`.
 *
 * Modelled on kubernetes-sigs/metrics-server `pkg/api/pod.go`: List filters the namespace's pods
 * by the label selector, sorts them by name, skips every pod not in phase Running (and, as
 * `getPodMetrics` does, any without container metrics), and answers a PodMetricsList whose items
 * carry name, namespace and creationTimestamp (now), the scrape's timestamp and window, and one
 * entry per container; Get of a pod with no metrics is NotFound. The shapes are those of
 * k8s.io/metrics `pkg/apis/metrics/v1beta1/types.go` as the generated reference states them
 * (kubernetes/website content/en/docs/reference/external-api/metrics.v1beta1.md: PodMetrics with
 * timestamp, window and containers, each a name and a ResourceList usage); the quantities are
 * written as metrics-server writes them: cpu in nanocores "123456789n", memory working set in "Ki".
 *
 * The values vary over time, so a sampler sees a series rather than one constant: each container
 * idles at a level fixed by the pod's name and moves around it on a slow wave (a few minutes'
 * period) plus a faster ripple, never negative.
 */
import { KubeStatusError } from './kube-status.js';
import { RESOURCES } from './kube-resources.js';
import type { KubeStore } from './kube-store.js';
import type { Json, Pod } from './kube-objects.js';

/** metrics-server's default --metric-resolution, reported as each item's window. */
const WINDOW = '15s';

export interface PodUsage {
  cpuNanocores: number;
  memoryBytes: number;
}

/** A stable number in [0, 1) from a name (FNV-1a), so each pod has its own level. */
function seedOf(name: string): number {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash / 2 ** 32;
}

/** What a container of `pod` uses at `nowMs`: 5-45 mCPU and 20-60 MiB at rest, varying over time. */
export function usageAt(podName: string, nowMs: number): PodUsage {
  const seed = seedOf(podName);
  const t = nowMs / 1000;
  const wave = Math.sin(t / 30 + seed * 6.28) * 0.5 + Math.sin(t / 3.7 + seed * 17) * 0.2;
  const cpuMillis = Math.max(1, (5 + seed * 40) * (1 + wave));
  const memoryMiB = Math.max(8, (20 + seed * 40) * (1 + wave * 0.3));
  return { cpuNanocores: Math.round(cpuMillis * 1e6), memoryBytes: Math.round(memoryMiB * 1024) * 1024 };
}

function podMetrics(pod: Pod, nowMs: number): Json {
  const usage = usageAt(pod.metadata.name, nowMs);
  const containers = pod.spec?.containers ?? [];
  return {
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: new Date(nowMs).toISOString(),
    },
    // The scrape metrics-server last made: at most one resolution ago.
    timestamp: new Date(Math.floor(nowMs / 15_000) * 15_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    window: WINDOW,
    containers: containers.map((c) => ({
      name: c.name,
      usage: {
        cpu: `${Math.round(usage.cpuNanocores / containers.length)}n`,
        memory: `${Math.round(usage.memoryBytes / containers.length / 1024)}Ki`,
      },
    })),
  };
}

const running = (pod: Pod) => pod.status?.phase === 'Running';

/** PodMetricsList for the namespace's pods matching `selector`. */
export function podMetricsList(
  store: KubeStore,
  namespace: string,
  selector: Record<string, string> | undefined,
  nowMs = Date.now(),
): Json {
  const items = store
    .list(RESOURCES.pods, namespace, selector)
    .filter(running)
    .map((pod) => podMetrics(pod, nowMs));
  return { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items };
}

/** PodMetrics of one pod; NotFound (group metrics.k8s.io) when it does not exist or has no metrics. */
export function podMetricsOf(store: KubeStore, namespace: string, name: string, nowMs = Date.now()): Json {
  const pod = store.find(RESOURCES.pods, namespace, name);
  if (!pod || !running(pod)) {
    throw new KubeStatusError(404, 'NotFound', `podmetrics.metrics.k8s.io "${namespace}/${name}" not found`, {
      name: `${namespace}/${name}`,
      group: 'metrics.k8s.io',
      kind: 'pods',
    });
  }
  return { kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', ...podMetrics(pod, nowMs) };
}
