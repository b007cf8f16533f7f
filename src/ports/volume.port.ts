/**
 * @module ports/volume
 * Persistent volumes per project: one ReadWriteOnce PersistentVolumeClaim per mount path, labelled
 * as threesix's, mounted into the app at every apply while it exists. A volume can be attached to
 * one node only, so a project with volumes runs one pod, replaced with the Recreate strategy.
 */

export interface VolumeSpec {
  project: string;
  /** Absolute path in the container, e.g. /data. */
  path: string;
  /** Kubernetes quantity, e.g. 1Gi. */
  size: string;
  /** null: the cluster's default StorageClass. */
  storageClass: string | null;
}

export interface ProjectVolume {
  /** The PersistentVolumeClaim's name. */
  claim: string;
  path: string;
  size: string | null;
  /** Pending, Bound or Lost (the claim's status.phase). */
  phase: string | null;
}

export interface ProjectVolumes {
  /** Server-side apply of the claim; CONFLICT when a claim of that name is not ours. */
  applyVolume(spec: VolumeSpec): Promise<ProjectVolume>;
  /** The project's claims (ours only), by mount path. */
  listVolumes(project: string): Promise<ProjectVolume[]>;
  /** Deletes the claim for that path (and with it the data); [] when there is none of ours. */
  removeVolume(project: string, path: string): Promise<{ removed: string[] }>;
}

/** A project with volumes runs at most this many pods. */
export const MAX_REPLICAS_WITH_VOLUMES = 1;
