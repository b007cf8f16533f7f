/**
 * @module sandbox/kubernetes/kube-rbac
 * Optional RBAC for the stand-in: the caller is a ServiceAccount bound by a RoleBinding to one
 * Role (its rules, in one namespace), as the production manifests bind threesix. Requests are
 * turned into authorizer attributes the way the API server's RequestInfo does it (so
 * `GET /api/v1/namespaces/x` is "get namespaces" in namespace x, and a list of namespaces is
 * cluster-scoped) and refused with a `Forbidden` Status unless a rule allows them. Without it the
 * sandbox allows everything, which is how a cluster-admin kubeconfig behaves, not a deployment.
 */
import { KubeStatusError } from './kube-status.js';

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
}

export interface StandInRbac {
  /** The RoleBinding's namespace: no rule applies anywhere else. */
  namespace: string;
  rules: PolicyRule[];
  /** Shown in Forbidden messages, e.g. system:serviceaccount:threesix:threesix. */
  user?: string;
}

export interface RequestAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace: string;
  name?: string;
}

const VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch' };

/** Authorizer attributes of a resource request, or undefined for a non-resource path (discovery). */
export function requestAttributes(method: string, path: string, watch: boolean): RequestAttributes | undefined {
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)\/(.+)$/.exec(path);
  if (!m) return undefined;
  const group = m[1] ?? '';
  let parts = m[2]!.split('/');
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1]!;
    // `namespaces/x/status` and `namespaces/x/finalize` are subresources of the namespace itself.
    if (parts.length > 2 && !['status', 'finalize'].includes(parts[2]!)) parts = parts.slice(2);
  }
  const [resource, name, subresource] = parts as [string, string | undefined, string | undefined];
  let verb = VERBS[method] ?? (method === 'DELETE' ? (name ? 'delete' : 'deletecollection') : name ? 'get' : 'list');
  if (verb === 'list' && watch) verb = 'watch';
  return { verb, group, resource, subresource, namespace, name };
}

export function allows(
  rbac: StandInRbac,
  a: Pick<RequestAttributes, 'verb' | 'group' | 'resource' | 'subresource' | 'namespace'>,
): boolean {
  if (a.namespace !== rbac.namespace) return false;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const has = (list: string[] | undefined, value: string) =>
    (list ?? []).some((item) => item === '*' || item === value);
  return rbac.rules.some(
    (rule) => has(rule.apiGroups, a.group) && has(rule.resources, resource) && has(rule.verbs, a.verb),
  );
}

/** Throws the API server's Forbidden Status when the request is not allowed. */
export function authorize(rbac: StandInRbac, method: string, path: string, watch: boolean): void {
  // Every authenticated identity may review its own access (system:basic-user).
  if (method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') return;
  const a = requestAttributes(method, path, watch);
  if (!a || allows(rbac, a)) return;
  const user = rbac.user ?? 'system:serviceaccount:sandbox:sandbox';
  const qualified = `${a.resource}${a.group ? `.${a.group}` : ''}`;
  const where = a.namespace ? ` in the namespace "${a.namespace}"` : ' at the cluster scope';
  const message = `${qualified}${a.name ? ` "${a.name}"` : ''} is forbidden: User "${user}" cannot ${a.verb} resource "${a.subresource ? `${a.resource}/${a.subresource}` : a.resource}" in API group "${a.group}"${where}`;
  throw new KubeStatusError(403, 'Forbidden', message, {
    ...(a.name ? { name: a.name } : {}),
    group: a.group,
    kind: a.resource,
  });
}
