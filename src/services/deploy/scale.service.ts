/**
 * @module services/scale
 * Changes the replica count (0 stops the site without removing it) and records it.
 */
import { validateReplicas } from '../../domain/env-vars.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { AppContext } from '../shared/app-context.js';

export async function scaleProject(app: AppContext, input: { project: string; replicas: number; dryRun?: boolean }) {
  const name = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  const replicas = validateReplicas(input.replicas, app.config.THREESIX_MAX_REPLICAS);
  if (input.dryRun) {
    const project = await app.store.projects.require(name);
    await app.backends.deployer.get();
    return { project: name, from: project.deploymentReplicas, replicas, dryRun: true };
  }
  return app.locks.run(name, 'scale', app.config.THREESIX_DEPLOY_WAIT_S * 1000, () => scaleNow(app, name, replicas));
}

async function scaleNow(app: AppContext, name: string, replicas: number) {
  const project = await app.store.projects.require(name);
  const deployer = await app.backends.deployer.get();
  await deployer.scale(name, replicas);
  const latest = await app.store.releases.latest(name);
  if (latest && (latest.status === 'succeeded' || latest.status === 'in_progress'))
    await app.store.releases.update(latest.id, { replicas });
  await app.store.projects.update(name, {
    deploymentReplicas: replicas,
    deploymentStatus:
      replicas === 0 ? 'stopped' : project.deploymentStatus === 'stopped' ? 'running' : project.deploymentStatus,
  });
  app.events.projectChanged(name);
  return { project: name, from: project.deploymentReplicas, replicas, dryRun: false };
}
