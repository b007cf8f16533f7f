/**
 * @module sandbox/kubernetes/kube-replicasets
 * The ReplicaSets a Deployment owns, one per pod template, as the Deployment controller keeps
 * them (kubernetes/kubernetes pkg/controller/deployment/sync.go `getNewReplicaSet`,
 * pkg/controller/deployment/util/deployment_util.go `FindNewReplicaSet`, `EqualIgnoreHash`,
 * `SetNewReplicaSetAnnotations`): named `<deployment>-<pod-template-hash>`, labelled and selected
 * by that hash, controlled by the Deployment through an ownerReference, and numbered with the
 * `deployment.kubernetes.io/revision` annotation, which the Deployment carries too.
 */
import { RESOURCES } from './kube-resources.js';
import type { KubeStore } from './kube-store.js';
import type { Deployment, KubeObject, OwnerReference, Pod, PodTemplate, ReplicaSet } from './kube-objects.js';

/** apps/v1 DefaultDeploymentUniqueLabelKey. */
export const TEMPLATE_HASH_LABEL = 'pod-template-hash';
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const DESIRED_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
const MAX_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
const MANAGER = 'kube-controller-manager';
/** apimachinery pkg/util/rand: the alphabet without vowels and look-alikes, so names spell nothing. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with sorted keys: two templates with the same content compare equal whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** apimachinery pkg/util/rand `SafeEncodeString`: each character mapped onto ALPHANUMS. */
const safeEncode = (text: string) => [...text].map((ch) => ALPHANUMS[ch.charCodeAt(0) % ALPHANUMS.length]).join('');

/**
 * pkg/controller/controller_utils.go `ComputeHash`: FNV-32a, printed in decimal, safe-encoded. The
 * real one hashes a spew dump of the Go struct; this hashes canonical JSON, so the values differ
 * from a cluster's while their shape (6–10 characters of ALPHANUMS) and stability are the same.
 */
export function podTemplateHash(template: PodTemplate): string {
  return safeEncode(String(fnv32a(canonical(template))));
}

/** Five random characters, as names.SimpleNameGenerator appends to a generateName. */
export const randomSuffix = () =>
  Array.from({ length: 5 }, () => ALPHANUMS[Math.floor(Math.random() * ALPHANUMS.length)]).join('');

/** The controlling ownerReference (metav1.GetControllerOf). */
export const controllerOf = (object: KubeObject): OwnerReference | undefined =>
  (object.metadata.ownerReferences ?? []).find((r) => r.controller === true);

const withoutHash = (template: PodTemplate | undefined) => {
  const copy: Partial<PodTemplate> = structuredClone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[TEMPLATE_HASH_LABEL];
  return copy;
};

/** deployment_util.go `EqualIgnoreHash`. */
const equalIgnoreHash = (a: PodTemplate, b: PodTemplate) => canonical(withoutHash(a)) === canonical(withoutHash(b));

const revisionOf = (rs: ReplicaSet) => Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0) || 0;

/** ReplicaSets controlled by the Deployment, oldest first (ReplicaSetsByCreationTimestamp, name as tie breaker). */
export function ownedReplicaSets(store: KubeStore, d: Deployment): ReplicaSet[] {
  return store
    .list(RESOURCES.replicasets, d.metadata.namespace)
    .filter((rs) => controllerOf(rs)?.uid === d.metadata.uid)
    .sort(
      (a, b) =>
        String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
}

/** The oldest owned ReplicaSet whose template equals the Deployment's, hash label aside (`FindNewReplicaSet`). */
export function findNewReplicaSet(store: KubeStore, d: Deployment): ReplicaSet | undefined {
  return ownedReplicaSets(store, d).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/**
 * sync.go `getNewReplicaSet`: finds or creates the ReplicaSet of the current template and gives it
 * revision max(old)+1 when it is not already the newest (a rollback to an earlier template re-uses
 * that template's ReplicaSet under a new revision); the Deployment gets the same revision.
 */
export function syncNewReplicaSet(store: KubeStore, d: Deployment): ReplicaSet {
  const ns = d.metadata.namespace;
  const owned = ownedReplicaSets(store, d);
  let rs = owned.find((r) => equalIgnoreHash(r.spec.template, d.spec.template));
  const maxOld = Math.max(0, ...owned.filter((r) => r !== rs).map(revisionOf));
  const revision = String(rs && revisionOf(rs) > maxOld ? revisionOf(rs) : maxOld + 1);
  const desired = d.spec.replicas ?? 1;
  const annotations = {
    [REVISION_ANNOTATION]: revision,
    [DESIRED_ANNOTATION]: String(desired),
    [MAX_ANNOTATION]: String(desired + 1),
  };
  if (!rs) {
    const hash = podTemplateHash(d.spec.template);
    const template = structuredClone(d.spec.template);
    const labels = { ...template.metadata?.labels, [TEMPLATE_HASH_LABEL]: hash };
    template.metadata = { ...template.metadata, labels };
    rs = store.create(
      RESOURCES.replicasets,
      ns,
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          labels,
          annotations,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: d.metadata.name,
              uid: d.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: 0,
          minReadySeconds: d.spec.minReadySeconds ?? 0,
          selector: { matchLabels: { ...d.spec.selector?.matchLabels, [TEMPLATE_HASH_LABEL]: hash } },
          template,
        },
      },
      MANAGER,
    );
  } else if (Object.entries(annotations).some(([k, v]) => rs!.metadata.annotations?.[k] !== v)) {
    rs = store.mergePatch(RESOURCES.replicasets, ns, rs.metadata.name, { metadata: { annotations } }, MANAGER);
  }
  if (d.metadata.annotations?.[REVISION_ANNOTATION] !== revision) {
    store.mergePatch(
      RESOURCES.deployments,
      ns,
      d.metadata.name,
      { metadata: { annotations: { [REVISION_ANNOTATION]: revision } } },
      MANAGER,
    );
  }
  return rs;
}

/** Scales a ReplicaSet's spec, writing only when it changes (the controller's scaleReplicaSet). */
export function scaleReplicaSet(store: KubeStore, rs: ReplicaSet, replicas: number): void {
  if (rs.spec.replicas !== replicas)
    store.mergePatch(RESOURCES.replicasets, rs.metadata.namespace, rs.metadata.name, { spec: { replicas } }, MANAGER);
}

/** The Deployment that controls the pod's ReplicaSet, if both still exist. */
export function deploymentOfPod(store: KubeStore, pod: Pod): Deployment | undefined {
  const rsRef = controllerOf(pod);
  const rs =
    rsRef && store.list(RESOURCES.replicasets, pod.metadata.namespace).find((r) => r.metadata.uid === rsRef.uid);
  const dRef = rs && controllerOf(rs);
  return dRef && store.list(RESOURCES.deployments, pod.metadata.namespace).find((d) => d.metadata.uid === dRef.uid);
}
