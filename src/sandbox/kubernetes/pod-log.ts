/**
 * @module sandbox/kubernetes/pod-log
 * What a sandbox container "prints": a start banner, its environment (so secret redaction can be
 * exercised end to end), request lines, or a crash for crash-looping containers.
 * previous=true reads the container instance that ran before, as kubelet does
 * (kubernetes/kubernetes pkg/kubelet/kubelet_pods.go, validateContainerLogStatus): only when the
 * status has a lastState.terminated, a 400 "previous terminated container ... not found" otherwise.
 */
import { KubeStatusError } from './kube-status.js';
import type { KubeController } from './kube-controller.js';
import { RESOURCES } from './kube-resources.js';
import { deploymentOfPod } from './kube-replicasets.js';
import type { KubeStore } from './kube-store.js';
import type { ContainerStatus, Pod } from './kube-objects.js';

export function podLog(
  pod: Pod,
  store: KubeStore,
  controller: KubeController,
  q: { tail?: number; limitBytes?: number; previous?: boolean; container?: string },
): string {
  const container = pod.spec.containers[0]!;
  if (q.container && q.container !== container.name) {
    throw new KubeStatusError(400, 'BadRequest', `container ${q.container} is not valid for pod ${pod.metadata.name}`);
  }
  const status: Partial<ContainerStatus> = pod.status?.containerStatuses?.[0] ?? {};
  if (q.previous && !status.lastState?.terminated) {
    throw new KubeStatusError(
      400,
      'BadRequest',
      `previous terminated container "${container.name}" in pod "${pod.metadata.name}" not found`,
    );
  }
  const waiting = status.state?.waiting?.reason;
  if (
    !q.previous &&
    (waiting === 'ImagePullBackOff' || waiting === 'ErrImagePull' || waiting === 'ContainerCreating')
  ) {
    throw new KubeStatusError(
      400,
      'BadRequest',
      `container "${container.name}" in pod "${pod.metadata.name}" is waiting to start: ${waiting === 'ContainerCreating' ? 'ContainerCreating' : 'trying and failing to pull image'}`,
    );
  }
  const env: Record<string, string> = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? '']));
  for (const from of container.envFrom ?? []) {
    const secret = from.secretRef?.name
      ? store.find(RESOURCES.secrets, pod.metadata.namespace, from.secretRef.name)
      : undefined;
    for (const [k, v] of Object.entries(secret?.data ?? {})) env[k] = Buffer.from(v, 'base64').toString();
  }
  const port = container.ports?.[0]?.containerPort ?? 8080;
  const lines = [
    `starting ${container.image}`,
    ...Object.entries(env).map(([k, v]) => `env ${k}=${v}`),
    `listening on :${port}`,
  ];
  const owner = deploymentOfPod(store, pod)?.metadata.name;
  // The instance before this one ended with the crash (exit code 1 in its lastState).
  if (q.previous || (owner && controller.crashing.has(owner)))
    lines.push('panic: sandbox crash switch is on', 'exit status 1');
  else lines.push('GET / 200 1.2ms');
  let text = (q.tail ? lines.slice(-q.tail) : lines).join('\n') + '\n';
  if (q.limitBytes && Buffer.byteLength(text) > q.limitBytes)
    text = Buffer.from(text).subarray(0, q.limitBytes).toString();
  return text;
}
