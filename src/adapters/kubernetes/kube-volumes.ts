/**
 * @module adapters/kubernetes/kube-volumes
 * The ProjectVolumes half of the Kubernetes deployer: PersistentVolumeClaims server-side applied
 * with field manager `threesix`, found by our labels, and never a claim someone else made under
 * the name (CONFLICT).
 */
import { setHeaderOptions, type CoreV1Api, type V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { conflict } from '../../domain/errors.js';
import type { ProjectVolume, ProjectVolumes, VolumeSpec } from '../../ports/volume.port.js';
import { kube, kubeOptional } from './kube-errors.js';
import { FIELD_MANAGER, isOurs, selectorOf } from './manifests.js';
import { MOUNT_PATH_ANNOTATION, claimManifest, volumeClaimName } from './volume-manifests.js';

const APPLY = setHeaderOptions('Content-Type', 'application/apply-patch+yaml');

export class KubeVolumes implements ProjectVolumes {
  constructor(
    private readonly core: CoreV1Api,
    private readonly namespace: string,
  ) {}

  async applyVolume(spec: VolumeSpec): Promise<ProjectVolume> {
    const name = volumeClaimName(spec.project, spec.path);
    const existing = await kubeOptional(`reading PersistentVolumeClaim ${name}`, () =>
      this.core.readNamespacedPersistentVolumeClaim({ name, namespace: this.namespace }),
    );
    if (existing && !isOurs(existing, spec.project)) {
      throw conflict(
        `PersistentVolumeClaim "${name}" already exists in namespace ${this.namespace} and is not managed by threesix`,
        'Remove or rename that claim, or choose another path',
      );
    }
    const body = claimManifest(spec, this.namespace);
    const applied = await kube(`applying PersistentVolumeClaim ${name}`, () =>
      this.core.patchNamespacedPersistentVolumeClaim(
        { name, namespace: this.namespace, body, fieldManager: FIELD_MANAGER, force: true },
        APPLY,
      ),
    );
    return toVolume(applied);
  }

  async listVolumes(project: string): Promise<ProjectVolume[]> {
    const { items } = await kube('listing PersistentVolumeClaims', () =>
      this.core.listNamespacedPersistentVolumeClaim({ namespace: this.namespace, labelSelector: selectorOf(project) }),
    );
    // A claim being deleted (held by the pvc-protection finalizer until its pod is gone) is no longer mounted.
    return items
      .filter(
        (c) => isOurs(c, project) && c.metadata?.annotations?.[MOUNT_PATH_ANNOTATION] && !c.metadata.deletionTimestamp,
      )
      .map(toVolume)
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  async removeVolume(project: string, path: string): Promise<{ removed: string[] }> {
    const name = volumeClaimName(project, path);
    const claim = await kubeOptional(`reading PersistentVolumeClaim ${name}`, () =>
      this.core.readNamespacedPersistentVolumeClaim({ name, namespace: this.namespace }),
    );
    if (!claim || !isOurs(claim, project)) return { removed: [] };
    await kubeOptional(`deleting PersistentVolumeClaim ${name}`, () =>
      this.core.deleteNamespacedPersistentVolumeClaim({ name, namespace: this.namespace }),
    );
    return { removed: [`PersistentVolumeClaim/${name}`] };
  }
}

function toVolume(claim: V1PersistentVolumeClaim): ProjectVolume {
  return {
    claim: claim.metadata?.name ?? '',
    path: claim.metadata?.annotations?.[MOUNT_PATH_ANNOTATION] ?? '',
    size: claim.spec?.resources?.requests?.storage ?? null,
    phase: claim.status?.phase ?? null,
  };
}
