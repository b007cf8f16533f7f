/**
 * @module services/projects/settle-deploys
 * Before delete removes a workload, no deploy may still be on its way to the cluster, or its apply
 * (or an automatic rollback) would put objects back after the removal. The project is already
 * `deleting`, so new deploys are refused; here the queued ones are cancelled and the one running
 * is waited for, bounded by the deploy wait plus a margin.
 */
import type { AppContext } from '../shared/app-context.js';

export async function settleDeploys(
  app: AppContext,
  project: string,
  pollMs = 100,
): Promise<{ cancelled: number; warnings: string[] }> {
  const queue = app.store.deployQueue;
  let cancelled = 0;
  // takeNext marks the newest queued deploy running and the older ones superseded; we finish it as failed.
  for (let item = await queue.takeNext(project); item; item = await queue.takeNext(project)) {
    await queue.finish(item.id, 'failed', 'the project is being deleted');
    cancelled++;
  }
  const deadline = Date.now() + (app.config.THREESIX_DEPLOY_WAIT_S + 10) * 1000;
  while ((await queue.list(project, 20)).some((d) => d.status === 'running')) {
    if (Date.now() > deadline)
      return {
        cancelled,
        warnings: [`a deploy of ${project} was still running; run reconcile later to catch anything it re-created`],
      };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return { cancelled, warnings: [] };
}
