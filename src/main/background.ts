/**
 * @module main/background
 * Start-up tasks run by startBackground (after the transport is connected, never delaying
 * `initialize`): resuming the operations a crash left `running`, and the rollout watch, which
 * settles releases left in_progress (by a crash, or a deploy that stopped waiting) and rolls back
 * failed ones. `serve` also starts it with its deploy queue; it runs once per process either way.
 * And the usage sampler, which records what each project's pods use every THREESIX_USAGE_SAMPLE_S
 * (one process per sampling slot, however many share the database).
 * With replicas on PostgreSQL, the takeover sweep: the leader (a PostgreSQL advisory lock, see
 * adapters/postgres/postgres-leadership.ts) resumes every few seconds the operations a dead replica
 * left, where the start-up resume covers only this process's own past. And scheduled reconcile
 * (THREESIX_RECONCILE_EVERY_S, report only), run by the leader. The rollout watch's sweep and the
 * deploy queue's takeover (started with the queue) also ask app.leadership first.
 */
import type { AppContext } from '../services/shared/app-context.js';
import { resumeInterruptedOperations } from '../services/operations/resume-operation.service.js';
import { startRolloutWatch } from '../services/deploy/rollout-watch.service.js';
import { startUsageSampler } from '../services/usage/usage-sampler.service.js';
import { startOperationTakeover } from '../services/operations/takeover.service.js';
import { startScheduledReconcile } from '../services/reconcile/scheduled-reconcile.service.js';

/** A task that starts something running on its own and is done once it started. */
const starting =
  (start: (app: AppContext) => unknown) =>
  (app: AppContext): Promise<void> => {
    start(app);
    return Promise.resolve();
  };

export const backgroundTasks: ReadonlyArray<(app: AppContext) => Promise<void>> = [
  // Not awaited: a long resume must not hold up the tasks after it.
  starting(
    (app) =>
      void resumeInterruptedOperations(app).catch((error) =>
        app.logger.error('resuming interrupted operations failed', { err: error }),
      ),
  ),
  starting(startRolloutWatch),
  starting(startUsageSampler),
  starting(startOperationTakeover),
  starting(startScheduledReconcile),
];
