/**
 * @module adapters/kubernetes/kube-diagnose
 * `doctor` rows for the cluster (doctor probes reachability itself): one SelfSubjectAccessReview per
 * verb threesix needs in DEPLOY_NAMESPACE, so a missing RBAC rule shows up before a deploy fails.
 */
import type { AuthorizationV1Api } from '@kubernetes/client-node';
import type { BackendCheck } from '../../ports/backend-probe.port.js';
import { kube } from './kube-errors.js';

const NEEDS: Array<[group: string, resource: string, verbs: string[]]> = [
  ['apps', 'deployments', ['get', 'list', 'patch', 'delete']],
  ['', 'services', ['get', 'list', 'patch', 'delete']],
  ['', 'secrets', ['get', 'list', 'patch', 'delete']],
  ['networking.k8s.io', 'ingresses', ['get', 'list', 'patch', 'delete']],
  // deploy_status and the rollout watch tell new pods from old by the newest ReplicaSet.
  ['apps', 'replicasets', ['list']],
  ['', 'pods', ['list']],
  ['', 'pods/log', ['get']],
  ['', 'events', ['list']],
];

export async function diagnoseAccess(authz: AuthorizationV1Api, namespace: string): Promise<BackendCheck[]> {
  const checks: BackendCheck[] = [];
  for (const [group, resource, verbs] of NEEDS) {
    const denied: string[] = [];
    const [res, subresource] = resource.split('/');
    for (const verb of verbs) {
      const review = await kube('an access review', () =>
        authz.createSelfSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { namespace, group, resource: res, subresource, verb } },
          },
        }),
      );
      if (!review.status?.allowed) denied.push(verb);
    }
    checks.push({
      check: `rbac ${resource}`,
      ok: denied.length === 0,
      detail: denied.length ? `denied: ${denied.join(', ')}` : verbs.join(', '),
    });
  }
  return checks;
}
