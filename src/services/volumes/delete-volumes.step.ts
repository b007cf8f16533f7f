/**
 * @module services/volumes/delete-volumes.step
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * delete_project's volumes step: after the workload is gone, deletes every claim of the project
 * that carries our labels (and so its data); "already gone" counts as done.
 */
import type { StepDefinition } from '../operations/operation-definition.js';

export const volumesStep: StepDefinition<{ name: string }> = {
  name: 'volumes',
  after: ['deployment'],
  plan: (ctx) => `volumes of ${ctx.input.name} (its PersistentVolumeClaims, with their data)`,
  skip: (ctx) => (ctx.app.backends.deployer.info.mode === 'none' ? 'the deployer backend is not configured' : null),
  async run(ctx) {
    const deployer = await ctx.app.backends.deployer.get();
    const removed: string[] = [];
    for (const volume of await deployer.listVolumes(ctx.input.name))
      removed.push(...(await deployer.removeVolume(ctx.input.name, volume.path)).removed);
    return { removed };
  },
};
