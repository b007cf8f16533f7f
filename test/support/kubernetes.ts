/**
 * Starts the Kubernetes stand-in with every exchange checked by the shared strict spec check
 * (spec-check.ts and kube-spec.ts), so no Kubernetes test can start one unchecked.
 */
import {
  startKubernetesStandIn,
  type KubernetesStandInOptions,
  type RunningKubernetes,
} from '../../src/sandbox/kubernetes/kubernetes-stand-in.js';
import { createSpecCheck, type SpecCheck } from './spec-check.js';

export interface CheckedKubernetes extends RunningKubernetes {
  spec: SpecCheck;
}

export async function startCheckedKubernetes(
  options: Omit<KubernetesStandInOptions, 'observer'>,
): Promise<CheckedKubernetes> {
  const spec = createSpecCheck('kubernetes');
  const cluster = await startKubernetesStandIn({ ...options, observer: spec.observe });
  return Object.assign(cluster, { spec });
}

/**
 * The value at `path` in a stored object, for asserting on fields the stand-in keeps but does not
 * model (its types name only what its own controllers read); undefined where the path leads nowhere.
 */
export function fieldAt(object: unknown, ...path: Array<string | number>): unknown {
  return path.reduce<unknown>(
    (node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined),
    object,
  );
}
