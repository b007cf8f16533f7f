/**
 * Structural checks over a built set of manifests, each returning the problems it found:
 * RBAC scope (the Kubernetes OpenAPI documents do not cover rbac.authorization.k8s.io), cross-object
 * references, and pod security. Kept apart from the test so each rule reads on its own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  RbacV1Subject,
  V1IngressSpec,
  V1LabelSelector,
  V1PodDisruptionBudgetSpec,
  V1PodTemplateSpec,
  V1PolicyRule,
  V1RoleRef,
  V1ServiceSpec,
  V1Volume,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import {
  buildKustomization,
  containersOf,
  type K8sObject,
  objectId,
  podSpecOf,
  repoRoot,
  splitImage,
} from './kustomize.js';

/** A Deployment's, StatefulSet's or DaemonSet's spec: the fields the checks read. */
interface WorkloadSpec {
  replicas?: number;
  selector?: V1LabelSelector;
  template?: V1PodTemplateSpec;
  volumeClaimTemplates?: Array<{ metadata: { name: string } }>;
}
/** cert-manager.io/v1 Certificate and Issuer, and CloudNativePG's Cluster: the fields the checks read. */
interface CertificateSpec {
  secretName?: string;
  dnsNames?: string[];
  issuerRef: { kind?: string; name: string };
}
interface IssuerSpec {
  acme?: {
    server?: string;
    email?: string;
    privateKeySecretRef?: { name?: string };
    solvers?: Array<{ dns01?: { cloudflare?: { apiTokenSecretRef?: { name: string; key?: string } } } }>;
  };
}
interface ClusterSpec {
  imageName?: string;
  bootstrap?: Partial<Record<'initdb' | 'recovery' | 'pg_basebackup', { secret?: { name?: string } }>>;
}
type SecretData = Record<string, string>;

/** Namespaces that may hold Roles: the platform, the deploy target, and the CI pipelines. */
export const ROLE_NAMESPACES = new Set(['threesix', 'projects', 'threesix-ci']);
const FORBIDDEN_RESOURCES =
  /^(roles|rolebindings|clusterroles|clusterrolebindings|serviceaccounts\/token|pods\/(exec|attach|portforward)|nodes.*|namespaces|\*.*)$/;
const FORBIDDEN_VERBS = new Set(['*', 'escalate', 'bind', 'impersonate']);
const THREESIX_SECRET_VERBS = new Set(['get', 'list', 'create', 'update', 'patch', 'delete']);

/** The secret templates: name → keys, read from the example overlay's committed *.example files. */
export const SECRET_TEMPLATES: Record<string, { namespace: string; keys: string[] }> = Object.fromEntries(
  buildKustomization(join(repoRoot, 'deployments/k8s/overlays/example'), { envFileFallback: '.example' })
    .filter((o) => o.kind === 'Secret')
    .map((o) => [
      o.metadata.name,
      { namespace: o.metadata.namespace ?? '', keys: Object.keys((o.data ?? {}) as SecretData) },
    ]),
);

/**
 * Secrets an operator writes for our objects, `namespace/name` → keys. CloudNativePG creates the
 * application user's Secret `<cluster>-app` unless the bootstrap names a Secret of its own
 * (cloudnative-pg v1.30.0 api/v1/cluster_funcs.go GetApplicationSecretName, suffix from
 * api/v1/cluster_types.go ApplicationUserSecretSuffix), with the keys of pkg/specs/secrets.go CreateSecret.
 */
export function operatorSecrets(objects: K8sObject[]): Map<string, string[]> {
  const secrets = new Map<string, string[]>();
  for (const cluster of objects.filter((o) => o.apiVersion === 'postgresql.cnpg.io/v1' && o.kind === 'Cluster')) {
    const bootstrap = (cluster.spec as ClusterSpec | undefined)?.bootstrap ?? {};
    const ownSecret = (['initdb', 'recovery', 'pg_basebackup'] as const).some(
      (method) => bootstrap[method]?.secret?.name,
    );
    if (!ownSecret) secrets.set(`${cluster.metadata.namespace}/${cluster.metadata.name}-app`, CNPG_APP_SECRET_KEYS);
  }
  return secrets;
}
const CNPG_APP_SECRET_KEYS = [
  'username',
  'user',
  'password',
  'dbname',
  'host',
  'port',
  'pgpass',
  'uri',
  'jdbc-uri',
  'fqdn-uri',
  'fqdn-jdbc-uri',
];

const find = (objects: K8sObject[], kind: string, namespace: string | undefined, name: string | undefined) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? undefined) === namespace);

const envOf = (objects: K8sObject[], id: string, name: string): string | undefined =>
  objects
    .filter((o) => objectId(o) === id)
    .flatMap(containersOf)
    .flatMap((c) => c.env ?? [])
    .find((e) => e.name === name)?.value;

export function checkRbac(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects.filter((x) => x.kind === 'ClusterRole' || x.kind === 'ClusterRoleBinding'))
    problems.push(`${objectId(o)}: no cluster-wide RBAC`);
  const deployNamespace = (find(objects, 'ConfigMap', 'threesix', 'threesix-config')?.data as SecretData | undefined)
    ?.DEPLOY_NAMESPACE;
  const ciNamespace = envOf(objects, 'Deployment/threesix/woodpecker-agent', 'WOODPECKER_BACKEND_K8S_NAMESPACE');
  const allowed: Record<string, string | undefined> = {
    'threesix/threesix': deployNamespace,
    'threesix/woodpecker-agent': ciNamespace,
  };

  for (const role of objects.filter((o) => o.kind === 'Role')) {
    const id = objectId(role);
    if (!ROLE_NAMESPACES.has(role.metadata.namespace ?? ''))
      problems.push(`${id}: Role outside ${[...ROLE_NAMESPACES].join(', ')}`);
    for (const [i, rule] of ((role.rules ?? []) as V1PolicyRule[]).entries()) {
      for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
        if (!Array.isArray(rule[field]) || !rule[field].every((v: unknown) => typeof v === 'string'))
          problems.push(`${id} rule ${i}: ${field} must be a list of strings`);
      }
      if (!rule.resources?.length || !rule.verbs?.length) problems.push(`${id} rule ${i}: empty resources or verbs`);
      if ((rule.apiGroups ?? []).includes('*')) problems.push(`${id} rule ${i}: wildcard apiGroup`);
      for (const r of rule.resources ?? [])
        if (FORBIDDEN_RESOURCES.test(r)) problems.push(`${id} rule ${i}: may not grant ${r}`);
      for (const v of rule.verbs ?? [])
        if (FORBIDDEN_VERBS.has(v)) problems.push(`${id} rule ${i}: may not grant verb ${v}`);
      if (rule.nonResourceURLs) problems.push(`${id} rule ${i}: nonResourceURLs are cluster-scoped`);
    }
  }
  for (const binding of objects.filter((o) => o.kind === 'RoleBinding')) {
    const id = objectId(binding);
    const ns = binding.metadata.namespace;
    const ref = binding.roleRef as V1RoleRef | undefined;
    if (ref?.kind !== 'Role' || ref.apiGroup !== 'rbac.authorization.k8s.io')
      problems.push(`${id}: must reference a Role (not a ClusterRole)`);
    const role = find(objects, 'Role', ns, ref?.name);
    if (!role) problems.push(`${id}: Role ${ns}/${ref?.name} not found`);
    for (const subject of (binding.subjects ?? []) as RbacV1Subject[]) {
      const who = `${subject.namespace}/${subject.name}`;
      if (subject.kind !== 'ServiceAccount')
        problems.push(`${id}: subject ${subject.kind} ${subject.name}: only ServiceAccounts`);
      else if (!find(objects, 'ServiceAccount', subject.namespace, subject.name))
        problems.push(`${id}: ServiceAccount ${who} not found`);
      if (!(who in allowed)) problems.push(`${id}: ${who} has no business holding a Role`);
      else if (allowed[who] !== ns) problems.push(`${id}: ${who} may only hold Roles in ${allowed[who]}, not ${ns}`);
      if (who === 'threesix/threesix' && role) {
        for (const rule of (role.rules ?? []) as V1PolicyRule[]) {
          if (!(rule.resources ?? []).includes('secrets')) continue;
          for (const v of rule.verbs ?? [])
            if (!THREESIX_SECRET_VERBS.has(v)) problems.push(`${id}: threesix may not ${v} secrets`);
        }
      }
    }
  }
  // Pods that never call the API carry no token at all.
  for (const o of objects) {
    const spec = podSpecOf(o);
    if (spec && !spec.serviceAccountName && spec.automountServiceAccountToken !== false)
      problems.push(`${objectId(o)}: set automountServiceAccountToken: false`);
  }
  return problems;
}

export function checkReferences(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const fromOperators = operatorSecrets(objects);
  const secretKeys = (ns: string | undefined, name: string | undefined): string[] | undefined => {
    const secret = find(objects, 'Secret', ns, name);
    if (secret)
      return Object.keys({
        ...(secret.data as SecretData | undefined),
        ...(secret.stringData as SecretData | undefined),
      });
    if (fromOperators.has(`${ns}/${name}`)) return fromOperators.get(`${ns}/${name}`);
    const template = name === undefined ? undefined : SECRET_TEMPLATES[name];
    return template && template.namespace === ns ? template.keys : undefined;
  };
  const needSecret = (id: string, ns: string | undefined, name: string | undefined, key?: string) => {
    const keys = secretKeys(ns, name);
    if (!keys) problems.push(`${id}: secret ${ns}/${name} is neither generated nor a template`);
    else if (key && !keys.includes(key)) problems.push(`${id}: secret ${ns}/${name} has no key ${key}`);
  };
  const workloads = objects.filter((o) => podSpecOf(o));
  for (const w of workloads) {
    const id = objectId(w);
    const ns = w.metadata.namespace;
    const spec = podSpecOf(w)!;
    const workload = w.spec as WorkloadSpec;
    const labels = workload.template?.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(workload.selector?.matchLabels ?? {}))
      if (labels[k] !== v) problems.push(`${id}: selector ${k}=${v} does not match its pod labels`);
    if (spec.serviceAccountName && !find(objects, 'ServiceAccount', ns, spec.serviceAccountName))
      problems.push(`${id}: ServiceAccount ${spec.serviceAccountName} not found`);
    const volumes = new Map<string, V1Volume>((spec.volumes ?? []).map((v) => [v.name, v]));
    // A claim template is a volume too; it names no ConfigMap, Secret or claim for the checks below to find.
    for (const t of workload.volumeClaimTemplates ?? []) volumes.set(t.metadata.name, { name: t.metadata.name });
    for (const v of volumes.values()) {
      if (v.configMap && !find(objects, 'ConfigMap', ns, v.configMap.name))
        problems.push(`${id}: ConfigMap ${v.configMap.name} not found`);
      if (v.secret) needSecret(id, ns, v.secret.secretName);
      if (v.persistentVolumeClaim && !find(objects, 'PersistentVolumeClaim', ns, v.persistentVolumeClaim.claimName))
        problems.push(`${id}: PVC ${v.persistentVolumeClaim.claimName} not found`);
    }
    for (const c of containersOf(w)) {
      for (const m of c.volumeMounts ?? [])
        if (!volumes.has(m.name)) problems.push(`${id}: volumeMount ${m.name} has no volume`);
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef && !find(objects, 'ConfigMap', ns, from.configMapRef.name))
          problems.push(`${id}: ConfigMap ${from.configMapRef.name} not found`);
        if (from.secretRef) needSecret(id, ns, from.secretRef.name);
      }
      for (const e of c.env ?? [])
        if (e.valueFrom?.secretKeyRef) needSecret(id, ns, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
    }
  }
  for (const svc of objects.filter((o) => o.kind === 'Service')) {
    const selector = (svc.spec as V1ServiceSpec).selector ?? {};
    const target = workloads.find(
      (w) =>
        w.metadata.namespace === svc.metadata.namespace &&
        Object.entries(selector).every(([k, v]) => (w.spec as WorkloadSpec).template?.metadata?.labels?.[k] === v),
    );
    if (!target) {
      problems.push(`${objectId(svc)}: selector matches no workload`);
      continue;
    }
    const portNames = containersOf(target).flatMap((c) => (c.ports ?? []).map((p) => p.name));
    for (const p of (svc.spec as V1ServiceSpec).ports ?? [])
      if (typeof p.targetPort === 'string' && !portNames.includes(p.targetPort))
        problems.push(`${objectId(svc)}: targetPort ${p.targetPort} not on ${objectId(target)}`);
  }
  for (const ing of objects.filter((o) => o.kind === 'Ingress')) {
    const ns = ing.metadata.namespace;
    for (const backend of JSON.stringify(ing.spec).match(/"service":\{[^}]*\}[^}]*\}/g) ?? []) {
      const svcRef = (
        JSON.parse(`{${backend}}`) as { service: { name: string; port: { name?: string; number?: number } } }
      ).service;
      const svc = find(objects, 'Service', ns, svcRef.name);
      if (!svc) problems.push(`${objectId(ing)}: Service ${svcRef.name} not found`);
      else if (
        !((svc.spec as V1ServiceSpec).ports ?? []).some(
          (p) => p.name === svcRef.port.name || p.port === svcRef.port.number,
        )
      )
        problems.push(`${objectId(ing)}: Service ${svcRef.name} has no such port`);
    }
    for (const tls of (ing.spec as V1IngressSpec).tls ?? []) {
      const issued = objects.some(
        (o) =>
          o.kind === 'Certificate' &&
          o.metadata.namespace === ns &&
          (o.spec as CertificateSpec).secretName === tls.secretName,
      );
      if (!issued && !secretKeys(ns, tls.secretName))
        problems.push(`${objectId(ing)}: TLS secret ${tls.secretName} is neither issued nor provided`);
    }
  }
  for (const cert of objects.filter((o) => o.kind === 'Certificate')) {
    const spec = cert.spec as CertificateSpec;
    const ref = spec.issuerRef;
    if (ref.kind !== 'Issuer' || !find(objects, 'Issuer', cert.metadata.namespace, ref.name))
      problems.push(`${objectId(cert)}: Issuer ${ref.name} not in its namespace`);
    if (!spec.secretName || !(spec.dnsNames ?? []).length)
      problems.push(`${objectId(cert)}: needs secretName and dnsNames`);
  }
  for (const issuer of objects.filter((o) => o.kind === 'Issuer')) {
    const acme = (issuer.spec as IssuerSpec).acme;
    if (!acme?.server || !acme.email || !acme.privateKeySecretRef?.name || !acme.solvers?.length)
      problems.push(`${objectId(issuer)}: incomplete ACME issuer`);
    for (const solver of acme?.solvers ?? []) {
      const ref = solver.dns01?.cloudflare?.apiTokenSecretRef;
      if (ref) needSecret(objectId(issuer), issuer.metadata.namespace, ref.name, ref.key);
    }
  }
  return problems;
}

export function checkSecurity(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    const spec = podSpecOf(o);
    if (!spec) continue;
    const id = objectId(o);
    const pod = spec.securityContext ?? {};
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) problems.push(`${id}: host namespaces`);
    if ((spec.volumes ?? []).some((v) => v.hostPath)) problems.push(`${id}: hostPath volume`);
    if (pod.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${id}: seccompProfile RuntimeDefault`);
    for (const c of containersOf(o)) {
      const sc = c.securityContext ?? {};
      if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${id}/${c.name}: runAsNonRoot`);
      if (!((sc.runAsUser ?? pod.runAsUser ?? 0) > 0)) problems.push(`${id}/${c.name}: numeric non-zero runAsUser`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${id}/${c.name}: allowPrivilegeEscalation: false`);
      if (sc.privileged) problems.push(`${id}/${c.name}: privileged`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL') || sc.capabilities?.add?.length)
        problems.push(`${id}/${c.name}: drop ALL capabilities, add none`);
      if (!c.resources?.limits?.memory) problems.push(`${id}/${c.name}: memory limit`);
    }
  }
  const threesix = objects.find((o) => objectId(o) === 'Deployment/threesix/threesix');
  if (threesix && containersOf(threesix).some((c) => c.securityContext?.readOnlyRootFilesystem !== true))
    problems.push('threesix: readOnlyRootFilesystem');
  return problems;
}

/** Every image a deployment runs: containers of the built objects and CloudNativePG's `imageName`. */
export function imagesOf(objects: K8sObject[]): Array<{ where: string; image: string }> {
  return objects.flatMap((o) => [
    ...containersOf(o).map((c) => ({ where: `${objectId(o)}/${String(c.name)}`, image: String(c.image) })),
    ...(o.kind === 'Cluster' && (o.spec as ClusterSpec | undefined)?.imageName
      ? [{ where: objectId(o), image: String((o.spec as ClusterSpec).imageName) }]
      : []),
  ]);
}

/** The images of deployments/woodpecker: the pipeline template's steps and the starter Dockerfile's FROM lines. */
export function starterImages(): Array<{ where: string; image: string }> {
  const dir = join(repoRoot, 'deployments/woodpecker');
  // The template holds {{placeholders}} only in values, so it parses as YAML once they are quoted.
  const pipeline = parse(readFileSync(join(dir, '.woodpecker.yaml'), 'utf8').replace(/\{\{(\w+)\}\}/g, '"$1"')) as {
    steps: Array<{ name: string; image: string }>;
  };
  const steps = pipeline.steps.map((step) => ({ where: `.woodpecker.yaml step ${step.name}`, image: step.image }));
  const froms = [...readFileSync(join(dir, 'Dockerfile'), 'utf8').matchAll(/^FROM\s+(\S+)/gim)].map((m) => ({
    where: 'Dockerfile FROM',
    image: m[1]!,
  }));
  return [...steps, ...froms];
}

/**
 * An image is pinned when it names a digest or a version tag (v1.2, 1.2.3, 1.24.6-rootless, ...):
 * no missing tag (which means latest), no `latest`, no moving names such as `stable` or `alpine`.
 */
export function checkImagePins(images: Array<{ where: string; image: string }>): string[] {
  const problems: string[] = [];
  for (const { where, image } of images) {
    const { tag, digest } = splitImage(image);
    if (digest) {
      if (!/^sha256:[0-9a-f]{64}$/.test(digest)) problems.push(`${where}: ${image}: malformed digest`);
    } else if (!tag) problems.push(`${where}: ${image}: no tag, which means latest`);
    else if (!/^v?\d+\.\d+(\.\d+)?([-_][a-z0-9.-]+)?$/.test(tag))
      problems.push(`${where}: ${image}: tag ${tag} is not a version`);
  }
  return problems;
}

/**
 * PodDisruptionBudgets (policy/v1, which the Kubernetes documents we hold do not cover): the
 * selector picks a workload in the same namespace, exactly one of minAvailable or maxUnavailable
 * is set, and the workload has more replicas than minAvailable, or the budget would refuse every
 * eviction and block each node drain (pkg/controller/disruption/disruption.go counts
 * disruptionsAllowed = currentHealthy - desiredHealthy).
 */
export function checkDisruptionBudgets(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
    const id = objectId(pdb);
    const spec = (pdb.spec ?? {}) as V1PodDisruptionBudgetSpec;
    if (pdb.apiVersion !== 'policy/v1') problems.push(`${id}: apiVersion policy/v1, not ${pdb.apiVersion}`);
    if ((spec.minAvailable === undefined) === (spec.maxUnavailable === undefined))
      problems.push(`${id}: set exactly one of minAvailable and maxUnavailable`);
    const selector = spec.selector?.matchLabels ?? {};
    const workloads = objects.filter(
      (o) =>
        podSpecOf(o) &&
        o.metadata.namespace === pdb.metadata.namespace &&
        Object.keys(selector).length > 0 &&
        Object.entries(selector).every(([k, v]) => (o.spec as WorkloadSpec).template?.metadata?.labels?.[k] === v),
    );
    if (!workloads.length) problems.push(`${id}: selector matches no workload`);
    for (const w of workloads) {
      const replicas = (w.spec as WorkloadSpec).replicas ?? 1;
      if (typeof spec.minAvailable === 'number' && replicas <= spec.minAvailable)
        problems.push(
          `${id}: ${objectId(w)} has ${replicas} replica(s), not more than minAvailable ${spec.minAvailable}: no pod could ever be evicted`,
        );
    }
  }
  return problems;
}
