/**
 * @module adapters/memory/memory-databases
 * CloudNativePG Clusters for service tests: a Cluster becomes healthy after `readyPolls` status
 * reads (the operator's "Setting up primary" until then), and Clusters someone else made can be
 * planted to check they are never touched.
 */
import { conflict } from '../../domain/errors.js';
import {
  absentDatabase,
  databaseClusterName,
  databaseSecretName,
  type ClusterInNamespace,
  type DatabaseClusters,
  type DatabaseSpec,
  type DatabaseStatus,
} from '../../ports/database.port.js';
import { settled } from './settled.js';

interface HeldCluster {
  spec: DatabaseSpec;
  polls: number;
  createdAt: string;
}

export class MemoryDatabases implements DatabaseClusters {
  private readonly clusters = new Map<string, HeldCluster>();
  private readonly foreign = new Set<string>();

  /** Test switch: status reads before a Cluster is healthy. */
  constructor(public readyPolls = 0) {}

  applyDatabase(spec: DatabaseSpec): Promise<void> {
    return settled(() => {
      const name = databaseClusterName(spec.project);
      if (this.foreign.has(name))
        throw conflict(
          `Cluster "${name}" already exists in the namespace and is not managed by threesix`,
          'Remove or rename that Cluster, or ask its owner',
        );
      const current = this.clusters.get(spec.project);
      this.clusters.set(spec.project, {
        spec: structuredClone(spec),
        polls: current?.polls ?? 0,
        createdAt: current?.createdAt ?? new Date().toISOString(),
      });
    });
  }

  databaseStatus(project: string): Promise<DatabaseStatus> {
    return settled(() => {
      const held = this.clusters.get(project);
      if (!held) return absentDatabase(project);
      const base = { project, cluster: databaseClusterName(project), secret: databaseSecretName(project) };
      held.polls += 1;
      const ready = held.polls > this.readyPolls;
      return {
        ...base,
        exists: true,
        phase: ready ? 'Cluster in healthy state' : 'Setting up primary',
        phaseReason: null,
        ready,
        instances: held.spec.instances,
        readyInstances: ready ? held.spec.instances : 0,
        image: `ghcr.io/cloudnative-pg/postgresql:${held.spec.version ?? 17}`,
        size: held.spec.size,
        backups: held.spec.backup !== null,
        createdAt: held.createdAt,
      };
    });
  }

  removeDatabase(project: string): Promise<{ removed: string[] }> {
    return settled(() => {
      const held = this.clusters.get(project);
      this.clusters.delete(project);
      if (!held) return { removed: [] };
      return {
        removed: [
          ...(held.spec.backup ? [`ScheduledBackup/${databaseClusterName(project)}`] : []),
          `Cluster/${databaseClusterName(project)}`,
        ],
      };
    });
  }

  listDatabases(): Promise<ClusterInNamespace[]> {
    return settled(() =>
      [
        ...[...this.clusters.keys()].map((project) => ({ name: databaseClusterName(project), project })),
        ...[...this.foreign].map((name) => ({ name, project: null })),
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
  }

  has(project: string): boolean {
    return this.clusters.has(project);
  }

  /** Test helper: a Cluster someone else made in the namespace. */
  addForeign(name: string): void {
    this.foreign.add(name);
  }

  /** Test helper: the spec last applied. */
  applied(project: string): DatabaseSpec | undefined {
    const held = this.clusters.get(project);
    return held ? structuredClone(held.spec) : undefined;
  }
}
