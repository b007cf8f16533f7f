/**
 * @module services/projects/clear-unjournaled-reservations
 * Start-up cleanup of names reserved without an operation. Versions before the reservation and
 * its create operation were written in one transaction left, when killed between the two, a
 * `provisioning` row that no start-up resume knew of and that blocked the name. No step ran for
 * it (steps run only once journaled), so nothing exists outside the database: the row goes.
 */
import type { AppContext } from '../shared/app-context.js';
import { CREATE_PROJECT } from './create-project.input.js';

export async function clearUnjournaledReservations(app: AppContext): Promise<string[]> {
  const provisioning = await app.store.projects.inState('provisioning');
  const cleared: string[] = [];
  for (const project of provisioning) {
    if (await app.store.operations.findUnfinished(CREATE_PROJECT, project.name)) continue;
    await app.store.projects.delete(project.name);
    await app.store.audit.record({
      actor: 'threesix',
      action: 'project.clear_reservation',
      target: project.name,
      result: 'ok',
      detail: { reason: 'reserved without a create operation (interrupted start)' },
    });
    app.events.projectListChanged();
    cleared.push(project.name);
  }
  if (cleared.length > 0) app.logger.info('cleared names reserved without a create operation', { projects: cleared });
  return cleared;
}
