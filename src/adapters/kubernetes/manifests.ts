/**
 * @module adapters/kubernetes/manifests
 * The objects threesix owns per project, as server-side-apply intents. Names: Deployment, Service
 * and Ingress `<project>`, env Secret `<project>-env`, TLS secret `<project>-tls` (cert-manager's).
 */
import { createHmac } from 'node:crypto';
import type { DeploySpec } from '../../ports/deployer.port.js';
import { deploymentStrategy, type PodVolumes } from './volume-manifests.js';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const PROJECT_LABEL = 'threesix.ai/project';
export const FIELD_MANAGER = 'threesix';

export interface ManifestSettings {
  namespace: string;
  ingressClass: string;
  tlsIssuer: string;
  tlsIssuerKind: 'Issuer' | 'ClusterIssuer';
  tlsSecret: string | undefined;
  resources: { cpuRequest: string; cpuLimit: string; memoryRequest: string; memoryLimit: string };
}

export type KubeObject = { apiVersion: string; kind: string; metadata: Record<string, unknown> } & Record<
  string,
  unknown
>;

export const labelsOf = (project: string) => ({
  'app.kubernetes.io/name': project,
  [MANAGED_BY]: 'threesix',
  [PROJECT_LABEL]: project,
});
export const selectorOf = (project: string) => `${MANAGED_BY}=threesix,${PROJECT_LABEL}=${project}`;
export const envSecretName = (project: string) => `${project}-env`;
export const tlsSecretName = (project: string, settings: ManifestSettings) => settings.tlsSecret ?? `${project}-tls`;

/** Whether an object read from the cluster is ours for this project. */
export function isOurs(
  object: { metadata?: { labels?: Record<string, string> } } | undefined,
  project: string,
): boolean {
  const labels = object?.metadata?.labels ?? {};
  return labels[MANAGED_BY] === 'threesix' && labels[PROJECT_LABEL] === project;
}

/** Annotation on the env Secret holding the key its pod-template hash is made with. */
export const HASH_KEY_ANNOTATION = 'threesix.ai/hash-key';

/**
 * Rolls the pods when secret values change. Keyed (HMAC) with a random key kept on the Secret
 * itself: the hash sits in a Deployment annotation that anyone who may read Deployments sees, and
 * a plain hash of a short secret could be confirmed by guessing. Who can read the key can read
 * the values anyway.
 */
export function secretHash(secrets: Record<string, string>, key: string): string {
  const sorted = Object.keys(secrets)
    .sort()
    .map((k) => [k, secrets[k]]);
  return createHmac('sha256', key).update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/**
 * Names the commit a pod's image was built from, on the Deployment and its pod template: pods
 * inherit it, so each says which commit it runs.
 */
export const COMMIT_ANNOTATION = 'threesix.ai/commit';

/**
 * Readiness (and, with an HTTP path, liveness) probes. TCP readiness stays the default: it needs
 * nothing from the app. An HTTP path gets liveness too, started late and tolerant (3 misses of
 * 10 s) so a slow start is not killed; readiness then gates traffic on the same path.
 */
export function probesFor(healthCheckPath: string | null | undefined): Record<string, unknown> {
  if (!healthCheckPath) return { readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5 } };
  const httpGet = { path: healthCheckPath, port: 'http' };
  return {
    readinessProbe: { httpGet, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: { httpGet, initialDelaySeconds: 15, periodSeconds: 10, failureThreshold: 3 },
  };
}

function meta(project: string, namespace: string, name = project, annotations?: Record<string, string>) {
  return {
    name,
    namespace,
    labels: labelsOf(project),
    ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
  };
}

/** An env entry read from a Secret key by the kubelet (the database's connection, database-manifests.ts). */
export type SecretEnvVar = { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } };

export function deploymentManifest(
  spec: DeploySpec & { env: Record<string, string> },
  s: ManifestSettings,
  secretsHash: string | null,
  secretEnv: SecretEnvVar[] = [],
  pod: PodVolumes = { volumes: [], mounts: [] },
): KubeObject {
  const labels = labelsOf(spec.project);
  const annotations: Record<string, string> = {};
  if (spec.releaseId !== undefined) annotations['threesix.ai/release'] = String(spec.releaseId);
  if (spec.commitSha) annotations[COMMIT_ANNOTATION] = spec.commitSha;
  const templateAnnotations: Record<string, string> = {};
  if (secretsHash) templateAnnotations['threesix.ai/secret-hash'] = secretsHash;
  if (spec.commitSha) templateAnnotations[COMMIT_ANNOTATION] = spec.commitSha;
  const resources = spec.resources ?? s.resources;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(spec.project, s.namespace, spec.project, annotations),
    spec: {
      replicas: spec.replicas,
      revisionHistoryLimit: 3,
      progressDeadlineSeconds: 120,
      strategy: deploymentStrategy(pod.volumes.length > 0),
      selector: { matchLabels: { [MANAGED_BY]: 'threesix', [PROJECT_LABEL]: spec.project } },
      template: {
        metadata: { labels, ...(Object.keys(templateAnnotations).length ? { annotations: templateAnnotations } : {}) },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          ...(pod.volumes.length ? { volumes: pod.volumes } : {}),
          containers: [
            {
              name: 'app',
              image: spec.image,
              ports: [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }],
              // A plain value of a name also read from a Secret would be ambiguous: the Secret's wins.
              env: [
                ...Object.keys(spec.env)
                  .sort()
                  .filter((name) => !secretEnv.some((e) => e.name === name))
                  .map((name) => ({ name, value: spec.env[name]! })),
                ...secretEnv,
              ],
              envFrom: [{ secretRef: { name: envSecretName(spec.project), optional: true } }],
              ...(pod.mounts.length ? { volumeMounts: pod.mounts } : {}),
              resources: {
                requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
                limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit },
              },
              ...probesFor(spec.healthCheckPath),
              securityContext: { allowPrivilegeEscalation: false },
            },
          ],
        },
      },
    },
  };
}

export function serviceManifest(project: string, s: ManifestSettings): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(project, s.namespace),
    spec: {
      type: 'ClusterIP',
      selector: { [MANAGED_BY]: 'threesix', [PROJECT_LABEL]: project },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

export function ingressManifest(project: string, hosts: string[], s: ManifestSettings): KubeObject {
  const annotations: Record<string, string> = {};
  if (!s.tlsSecret)
    annotations[s.tlsIssuerKind === 'ClusterIssuer' ? 'cert-manager.io/cluster-issuer' : 'cert-manager.io/issuer'] =
      s.tlsIssuer;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(project, s.namespace, project, annotations),
    spec: {
      ingressClassName: s.ingressClass,
      tls: [{ hosts, secretName: tlsSecretName(project, s) }],
      rules: hosts.map((host) => ({
        host,
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: project, port: { number: 80 } } } }],
        },
      })),
    },
  };
}

export function secretManifest(
  project: string,
  secrets: Record<string, string>,
  s: ManifestSettings,
  hashKey: string,
): KubeObject {
  const data = Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(project, s.namespace, envSecretName(project), { [HASH_KEY_ANNOTATION]: hashKey }),
    type: 'Opaque',
    data,
  };
}
