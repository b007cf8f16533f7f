/**
 * @module services/deploy/assess-rollout
 * Reads a workload's state the way `kubectl rollout status` does
 * (kubernetes/kubernetes staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go),
 * plus early failure detection: a rollout is done when the controller has seen the newest
 * generation and every pod of the newest ReplicaSet is ready on the pinned image; it has failed as
 * soon as such a pod is stuck in a state that will not heal by itself.
 */
import type { WorkloadStatus } from '../../ports/deployer.port.js';

export const FAILING_REASONS = [
  'ImagePullBackOff',
  'ErrImagePull',
  'CrashLoopBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
] as const;

export type RolloutVerdict =
  | { state: 'succeeded' }
  | { state: 'failed'; reason: string; message: string | null; pod: string | null }
  | { state: 'in_progress'; ready: number; desired: number };

export function assessRollout(status: WorkloadStatus, image: string, replicas: number): RolloutVerdict {
  if (!status.exists)
    return { state: 'failed', reason: 'NotFound', message: 'the Deployment disappeared during the rollout', pod: null };
  // The rollout's pods are those of the newest ReplicaSet, and only while the Deployment's template
  // is still the pinned image: the container status's image string (a tag or `sha256:<id>` on
  // containerd) cannot say which pods are new.
  const fresh = status.image === image ? status.pods.filter((p) => p.current) : [];
  const stuck = fresh.find((p) => p.reason && (FAILING_REASONS as readonly string[]).includes(p.reason));
  if (stuck) return { state: 'failed', reason: stuck.reason!, message: stuck.message, pod: stuck.name };
  // Until the controller has observed the newest generation its conditions describe the previous
  // rollout: a ProgressDeadlineExceeded left by a timed-out deploy must not fail the next one.
  const caughtUp = status.observedGeneration >= status.generation;
  const deadline =
    caughtUp && status.conditions.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  if (deadline) return { state: 'failed', reason: 'ProgressDeadlineExceeded', message: deadline.message, pod: null };
  const readyFresh = fresh.filter((p) => p.ready).length;
  const leftovers = status.pods.length - fresh.length;
  if (
    caughtUp &&
    status.image === image &&
    status.updatedReplicas >= replicas &&
    status.availableReplicas >= replicas &&
    readyFresh >= replicas &&
    leftovers === 0
  ) {
    return { state: 'succeeded' };
  }
  return { state: 'in_progress', ready: readyFresh, desired: replicas };
}
