/**
 * @module sandbox/kubernetes/kube-volume-binder
 * PersistentVolumeClaims as k3s binds them: its default StorageClass (rancher/local-path-provisioner,
 * `volumeBindingMode: WaitForFirstConsumer`) leaves a claim `Pending` until a pod that uses it
 * exists, then provisions a volume and the PV controller binds it
 * (kubernetes/kubernetes pkg/controller/volume/persistentvolume/pv_controller.go syncUnboundClaim;
 * status.phase Bound, capacity and accessModes copied from the volume, which local-path makes at
 * the requested size). Deleting a claim removes its data (the provisioner's Delete reclaim policy).
 */
import { RESOURCES } from './kube-resources.js';
import type { KubeStore, Resource } from './kube-store.js';
import { isRecord, type KubeObject } from './kube-objects.js';

export class SandboxVolumeBinder {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: KubeStore,
    private readonly tickMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.bindAll(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  bindAll(): void {
    for (const claim of this.store.list(RESOURCES.persistentvolumeclaims, null)) {
      if (claim.status?.phase === 'Bound') continue;
      const ns = claim.metadata.namespace;
      const used = this.store
        .list(RESOURCES.pods, ns)
        .some((pod) =>
          (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name),
        );
      const status = used
        ? {
            phase: 'Bound',
            accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
            capacity: { storage: claim.spec?.resources?.requests?.storage },
          }
        : { phase: 'Pending' };
      if (JSON.stringify(claim.status ?? null) !== JSON.stringify(status))
        this.store.setStatus(RESOURCES.persistentvolumeclaims, ns, claim.metadata.name, status);
      if (used)
        this.store.mergePatch(
          RESOURCES.persistentvolumeclaims,
          ns,
          claim.metadata.name,
          { spec: { volumeName: `pvc-${claim.metadata.uid}` } },
          'persistentvolume-binder-controller',
        );
    }
  }
}

/**
 * Status a new object gets from the API server's defaulting: a claim starts `Pending`
 * (kubernetes/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolumeClaim).
 */
export function withCreateDefaults(store: KubeStore, resource: Resource, object: KubeObject): KubeObject {
  if (resource !== RESOURCES.persistentvolumeclaims || (isRecord(object.status) && object.status.phase)) return object;
  const { namespace = '', name } = object.metadata;
  store.setStatus(resource, namespace, name, { phase: 'Pending' });
  return store.get(resource, namespace, name);
}
