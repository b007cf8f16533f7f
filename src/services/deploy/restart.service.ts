/**
 * @module services/restart
 * Rolling restart through a pod-template annotation; the pods are replaced one by one.
 */
import { validateProjectName } from '../../domain/project-name.js';
import type { AppContext } from '../shared/app-context.js';

export async function restartProject(
  app: AppContext,
  name: string,
  options: { dryRun?: boolean } = {},
): Promise<{ project: string; restarted: boolean; dryRun: boolean }> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  await app.store.projects.require(name);
  const deployer = await app.backends.deployer.get();
  if (options.dryRun) {
    const status = await deployer.status(name);
    return { project: name, restarted: false, dryRun: status.exists };
  }
  await app.locks.run(name, 'restart', app.config.THREESIX_DEPLOY_WAIT_S * 1000, () => deployer.restart(name));
  app.events.projectChanged(name);
  return { project: name, restarted: true, dryRun: false };
}
