/**
 * @module adapters/kubernetes/volume-manifests
 * A project's PersistentVolumeClaims (`<project>-vol-<8 hex of the path's sha256>`, the mount path
 * in an annotation) and what they add to its Deployment: a volume and a mount per claim, and the
 * Recreate strategy, since a ReadWriteOnce volume cannot be attached to the old and the new pod at
 * once (a rolling update would wait for ever on the second node).
 */
import { createHash } from 'node:crypto';
import type { VolumeSpec } from '../../ports/volume.port.js';
import { labelsOf, type KubeObject } from './manifests.js';

export const MOUNT_PATH_ANNOTATION = 'threesix.ai/mount-path';

const pathKey = (path: string) => createHash('sha256').update(path).digest('hex').slice(0, 8);
export const volumeClaimName = (project: string, path: string) => `${project}-vol-${pathKey(path)}`;

export function claimManifest(spec: VolumeSpec, namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: volumeClaimName(spec.project, spec.path),
      namespace,
      labels: labelsOf(spec.project),
      annotations: { [MOUNT_PATH_ANNOTATION]: spec.path },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: spec.size } },
      ...(spec.storageClass ? { storageClassName: spec.storageClass } : {}),
    },
  };
}

export interface PodVolumes {
  volumes: Array<{ name: string; persistentVolumeClaim: { claimName: string } }>;
  mounts: Array<{ name: string; mountPath: string }>;
}

export function podVolumes(claims: Array<{ claim: string; path: string }>): PodVolumes {
  const sorted = [...claims].sort((a, b) => a.path.localeCompare(b.path));
  return {
    volumes: sorted.map((c) => ({
      name: c.claim.replace(/^.*-vol-/, 'vol-'),
      persistentVolumeClaim: { claimName: c.claim },
    })),
    mounts: sorted.map((c) => ({ name: c.claim.replace(/^.*-vol-/, 'vol-'), mountPath: c.path })),
  };
}

/**
 * Always stated, so server-side apply owns the rollingUpdate fields and drops them when the
 * project switches to Recreate (the API refuses rollingUpdate next to type Recreate). The values
 * are the API's own defaults.
 */
export const deploymentStrategy = (volumes: boolean) =>
  volumes ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
