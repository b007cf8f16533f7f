/**
 * @module services/databases/delete-database.step
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * delete_project's database step: removes the project's CloudNativePG Cluster after its workload
 * (so the app stops before its database goes) and before the rows. Only Clusters with our labels
 * are found, so a foreign `<project>-db` stays; "already gone" counts as done.
 */
import { isDomainError } from '../../domain/errors.js';
import type { StepDefinition } from '../operations/operation-definition.js';
import { DATABASE_DELETED } from '../reconcile/database-drift.js';

export const databaseStep: StepDefinition<{ name: string }> = {
  name: 'database',
  after: ['deployment'],
  skip: (ctx) => (ctx.app.backends.deployer.info.mode === 'none' ? 'the deployer backend is not configured' : null),
  plan: (ctx) => `database of ${ctx.input.name} (its CloudNativePG Cluster ${ctx.input.name}-db, if threesix made one)`,
  async run(ctx) {
    const deployer = await ctx.app.backends.deployer.get();
    try {
      const { removed } = await deployer.removeDatabase(ctx.input.name);
      // A project made again under this name starts without a database (database-drift.ts).
      await ctx.app.store.audit.record({
        actor: 'threesix',
        action: DATABASE_DELETED,
        target: ctx.input.name,
        result: 'ok',
        detail: { removed },
      });
      return { removed };
    } catch (error) {
      // No CloudNativePG CRD on the cluster (404): there is no database to remove.
      if (isDomainError(error) && error.code === 'NOT_FOUND') return { removed: [] };
      // A Role without Cluster rights: create_database could not have made one either.
      if (isDomainError(error) && error.code === 'PERMISSION_DENIED')
        return {
          removed: [],
          warnings: ['database Clusters could not be listed (no rights on clusters.postgresql.cnpg.io); none removed'],
        };
      throw error;
    }
  },
};
