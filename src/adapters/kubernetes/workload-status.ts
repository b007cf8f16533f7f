/**
 * @module adapters/kubernetes/workload-status
 * Folds a Deployment, its pods and recent events into the port's WorkloadStatus.
 */
import type { CoreV1Event, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { PodState, WorkloadStatus } from '../../ports/deployer.port.js';

export function podState(pod: V1Pod): PodState {
  const container = pod.status?.containerStatuses?.[0];
  const waiting = container?.state?.waiting;
  const terminated = container?.state?.terminated ?? container?.lastState?.terminated;
  const reason = waiting?.reason ?? (container?.state?.terminated ? terminated?.reason : undefined) ?? pod.status?.reason ?? null;
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready: Boolean(container?.ready),
    restarts: container?.restartCount ?? 0,
    reason,
    message: waiting?.message ?? pod.status?.message ?? null,
    image: container?.image ?? pod.spec?.containers?.[0]?.image ?? null,
  };
}

const time = (value: Date | string | undefined | null) => (value ? new Date(value).toISOString() : null);

export function toWorkloadStatus(
  project: string,
  deployment: V1Deployment,
  pods: V1Pod[],
  events: CoreV1Event[],
  hosts: string[],
  usage: WorkloadStatus['usage'],
): WorkloadStatus {
  const status = deployment.status ?? {};
  const recent = events
    .filter(e => e.involvedObject?.name === project || e.involvedObject?.name?.startsWith(`${project}-`))
    .map(e => ({ type: e.type ?? 'Normal', reason: e.reason ?? '', message: e.message ?? '', time: time(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp) }))
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
      .sort((a, b) => (time(b.metadata?.creationTimestamp) ?? '').localeCompare(time(a.metadata?.creationTimestamp) ?? ''))
      .map(podState),
    conditions: (status.conditions ?? []).map(c => ({ type: c.type, status: c.status, reason: c.reason ?? null, message: c.message ?? null })),
    events: recent,
    hosts,
    usage,
  };
}
