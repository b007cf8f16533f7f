/**
 * The Deployer port's database half (DatabaseClusters): every adapter must behave like this.
 */
import { describe, expect, it } from 'vitest';
import type { Deployer } from '../../src/ports/deployer.port.js';
import { eventually } from '../support/eventually.js';

export interface DatabaseFixture {
  deployer: Deployer;
  /** How long a Cluster may take to become healthy here. */
  readyMs: number;
  /** Makes a Cluster someone else owns in the namespace (no threesix labels); absent on a real cluster. */
  makeForeignCluster?(name: string): void | Promise<void>;
  /** Whether a Cluster of that name still exists, ours or not (read behind the adapter's back). */
  clusterExists?(name: string): boolean | Promise<boolean>;
}

const spec = (project: string) => ({ project, size: '1Gi', version: null, instances: 1, backup: null });

export function describeDatabaseContract(
  label: string,
  setup: () => DatabaseFixture | Promise<DatabaseFixture>,
  project = 'contract-db',
) {
  describe(`Database clusters contract: ${label}`, () => {
    it('reports no database for a project without one', async () => {
      const { deployer } = await setup();
      const status = await deployer.databaseStatus(`${project}-none`);
      expect(status).toMatchObject({
        exists: false,
        ready: false,
        cluster: `${project}-none-db`,
        secret: `${project}-none-db-app`,
      });
    });

    it('applies a Cluster that becomes ready, lists it as ours, re-applies idempotently, grows it, and removes it', async () => {
      const fx = await setup();
      const { deployer } = fx;
      await deployer.applyDatabase(spec(project));
      const ready = await eventually(async () => {
        const s = await deployer.databaseStatus(project);
        expect(s.ready).toBe(true);
        return s;
      }, fx.readyMs);
      expect(ready).toMatchObject({
        exists: true,
        instances: 1,
        readyInstances: 1,
        size: '1Gi',
        backups: false,
        phase: 'Cluster in healthy state',
      });
      expect(ready.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await deployer.listDatabases()).toContainEqual({ name: `${project}-db`, project });
      await deployer.applyDatabase(spec(project));
      await deployer.applyDatabase({ ...spec(project), size: '2Gi' });
      expect((await deployer.databaseStatus(project)).size).toBe('2Gi');
      expect((await deployer.removeDatabase(project)).removed).toEqual([`Cluster/${project}-db`]);
      expect((await deployer.databaseStatus(project)).exists).toBe(false);
      expect((await deployer.removeDatabase(project)).removed).toEqual([]);
      expect((await deployer.listDatabases()).some((c) => c.project === project)).toBe(false);
    });

    it('never changes or deletes a Cluster it did not make', async (ctx) => {
      const fx = await setup();
      if (!fx.makeForeignCluster) return ctx.skip();
      const { deployer } = fx;
      const name = `${project}-theirs`;
      await fx.makeForeignCluster(`${name}-db`);
      await expect(deployer.applyDatabase(spec(name))).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await deployer.databaseStatus(name)).exists).toBe(false);
      expect((await deployer.removeDatabase(name)).removed).toEqual([]);
      expect(await deployer.listDatabases()).toContainEqual({ name: `${name}-db`, project: null });
      if (fx.clusterExists) expect(await fx.clusterExists(`${name}-db`)).toBe(true);
    });
  });
}
