/**
 * @module services/undeploy
 * Removes every cluster object threesix made for a project (the TLS secret included) and marks it
 * not deployed. The project, its repository and DNS stay; delete_project removes those.
 */
import { requireConfirm } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { AppContext } from '../shared/app-context.js';

export async function undeployProject(app: AppContext, input: { project: string; confirm: string; dryRun?: boolean }) {
  const name = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  requireConfirm(name, input.confirm);
  await app.store.projects.require(name);
  const deployer = await app.backends.deployer.get();
  if (input.dryRun) {
    const managed = (await deployer.listManaged()).find((m) => m.project === name);
    return { project: name, removed: managed?.kinds ?? [], dryRun: true };
  }
  return app.locks.run(name, 'undeploy', app.config.THREESIX_DEPLOY_WAIT_S * 1000, async () => {
    const { removed } = await deployer.remove(name);
    for (const r of await app.store.releases.list(name, 50))
      if (r.status === 'in_progress' || r.status === 'pending') await app.store.releases.setStatus(r.id, 'superseded');
    await app.store.projects.update(name, { deploymentStatus: 'none', deploymentImage: null, deploymentDigest: null });
    // The env Secret went with the workload, its values with it: list_env must not still name them.
    const settings = await app.store.settings.get(name);
    if (settings && Object.keys(settings.secrets).length > 0)
      await app.store.settings.put(name, { ...settings, secrets: {} });
    app.events.projectChanged(name);
    return { project: name, removed, dryRun: false };
  });
}
