/**
 * @module adapters/kubernetes/workload-status
 * Folds a Deployment, its ReplicaSets, pods and recent events into the port's WorkloadStatus.
 * New pods are told from old ones as the Deployment controller does it: they belong to the newest
 * ReplicaSet, the one whose pod template equals the Deployment's (kubernetes/kubernetes
 * pkg/controller/deployment/util/deployment_util.go `FindNewReplicaSet`, `EqualIgnoreHash`). The
 * container status's image cannot tell: on containerd it is a tag or an image ID, not the pinned
 * reference (containerd internal/cri/server/container_status.go).
 */
import type { CoreV1Event, V1Deployment, V1Pod, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import type { PodState, WorkloadStatus } from '../../ports/deployer.port.js';

/** apps/v1 DefaultDeploymentUniqueLabelKey: the controller adds it to a ReplicaSet's template. */
const TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** JSON with sorted keys and without undefined members, so equal templates print alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function withoutHashLabel(template: V1PodTemplateSpec | undefined): unknown {
  const labels = { ...template?.metadata?.labels };
  delete labels[TEMPLATE_HASH_LABEL];
  return { ...template, metadata: { ...template?.metadata, labels } };
}

const controllerUid = (owner: { metadata?: { ownerReferences?: Array<{ controller?: boolean; uid: string }> } }) =>
  owner.metadata?.ownerReferences?.find((r) => r.controller)?.uid;

/** The oldest ReplicaSet the Deployment controls whose template equals the Deployment's, hash label aside. */
export function newReplicaSetOf(deployment: V1Deployment, replicaSets: V1ReplicaSet[]): V1ReplicaSet | undefined {
  const wanted = canonical(withoutHashLabel(deployment.spec?.template));
  const created = (rs: V1ReplicaSet) =>
    rs.metadata?.creationTimestamp ? new Date(rs.metadata.creationTimestamp).getTime() : 0;
  return replicaSets
    .filter((rs) => controllerUid(rs) === deployment.metadata?.uid)
    .sort((a, b) => created(a) - created(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .find((rs) => canonical(withoutHashLabel(rs.spec?.template)) === wanted);
}

export function podState(pod: V1Pod, newReplicaSetUid: string | undefined): PodState {
  const container = pod.status?.containerStatuses?.[0];
  const waiting = container?.state?.waiting;
  const terminated = container?.state?.terminated ?? container?.lastState?.terminated;
  const reason =
    waiting?.reason ?? (container?.state?.terminated ? terminated?.reason : undefined) ?? pod.status?.reason ?? null;
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready: Boolean(container?.ready),
    restarts: container?.restartCount ?? 0,
    reason,
    message: waiting?.message ?? pod.status?.message ?? null,
    image: pod.spec?.containers?.[0]?.image ?? null,
    current: newReplicaSetUid !== undefined && controllerUid(pod) === newReplicaSetUid,
  };
}

const time = (value: Date | string | undefined | null) => (value ? new Date(value).toISOString() : null);

export function toWorkloadStatus(
  project: string,
  deployment: V1Deployment,
  replicaSets: V1ReplicaSet[],
  pods: V1Pod[],
  events: CoreV1Event[],
  hosts: string[],
  usage: WorkloadStatus['usage'],
): WorkloadStatus {
  const status = deployment.status ?? {};
  const newReplicaSetUid = newReplicaSetOf(deployment, replicaSets)?.metadata?.uid;
  const recent = events
    .filter((e) => e.involvedObject?.name === project || e.involvedObject?.name?.startsWith(`${project}-`))
    .map((e) => ({
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      message: e.message ?? '',
      time: time(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp),
    }))
    .sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''))
    .slice(-10);
  return {
    project,
    exists: true,
    generation: deployment.metadata?.generation ?? 0,
    observedGeneration: status.observedGeneration ?? 0,
    desiredReplicas: deployment.spec?.replicas ?? 1,
    updatedReplicas: status.updatedReplicas ?? 0,
    readyReplicas: status.readyReplicas ?? 0,
    availableReplicas: status.availableReplicas ?? 0,
    image: deployment.spec?.template?.spec?.containers?.[0]?.image ?? null,
    pods: pods
      .sort((a, b) =>
        (time(b.metadata?.creationTimestamp) ?? '').localeCompare(time(a.metadata?.creationTimestamp) ?? ''),
      )
      .map((pod) => podState(pod, newReplicaSetUid)),
    conditions: (status.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason ?? null,
      message: c.message ?? null,
    })),
    events: recent,
    hosts,
    usage,
  };
}
