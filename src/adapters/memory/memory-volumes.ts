/**
 * @module adapters/memory/memory-volumes
 * Project volumes for service tests: claims by project and path, Bound at once, and claims
 * someone else made, which are never touched.
 */
import { createHash } from 'node:crypto';
import { conflict } from '../../domain/errors.js';
import type { ProjectVolume, ProjectVolumes, VolumeSpec } from '../../ports/volume.port.js';
import { settled } from './settled.js';

const claimOf = (project: string, path: string) =>
  `${project}-vol-${createHash('sha256').update(path).digest('hex').slice(0, 8)}`;

export class MemoryVolumes implements ProjectVolumes {
  private readonly claims = new Map<string, ProjectVolume & { project: string }>();
  private readonly foreign = new Set<string>();

  applyVolume(spec: VolumeSpec): Promise<ProjectVolume> {
    return settled(() => {
      const claim = claimOf(spec.project, spec.path);
      if (this.foreign.has(claim))
        throw conflict(
          `PersistentVolumeClaim "${claim}" already exists in the namespace and is not managed by threesix`,
          'Remove or rename that claim, or choose another path',
        );
      const volume = { project: spec.project, claim, path: spec.path, size: spec.size, phase: 'Bound' };
      this.claims.set(claim, volume);
      return { claim, path: volume.path, size: volume.size, phase: volume.phase };
    });
  }

  listVolumes(project: string): Promise<ProjectVolume[]> {
    return settled(() =>
      [...this.claims.values()]
        .filter((v) => v.project === project)
        .map(({ project: _p, ...v }) => v)
        .sort((a, b) => a.path.localeCompare(b.path)),
    );
  }

  removeVolume(project: string, path: string): Promise<{ removed: string[] }> {
    return settled(() => {
      const claim = claimOf(project, path);
      if (!this.claims.delete(claim)) return { removed: [] };
      return { removed: [`PersistentVolumeClaim/${claim}`] };
    });
  }

  /** Test helper: a claim someone else made for that project's path. */
  addForeign(project: string, path: string): void {
    this.foreign.add(claimOf(project, path));
  }
}
