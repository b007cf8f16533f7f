/**
 * @module main/background
 * Start-up tasks run by startBackground (after the transport is connected, never delaying
 * `initialize`): resuming the operations a crash left `running`, and the rollout watch, which
 * settles releases left in_progress (by a crash, or a deploy that stopped waiting) and rolls back
 * failed ones. `serve` also starts it with its deploy queue; it runs once per process either way.
 * And the usage sampler, which records what each project's pods use every THREESIX_USAGE_SAMPLE_S
 * (one process per sampling slot, however many share the database).
 */
import type { AppContext } from '../services/shared/app-context.js';
import { resumeInterruptedOperations } from '../services/operations/resume-operation.service.js';
import { startRolloutWatch } from '../services/deploy/rollout-watch.service.js';
import { startUsageSampler } from '../services/usage/usage-sampler.service.js';

export const backgroundTasks: ReadonlyArray<(app: AppContext) => Promise<void>> = [
  // Not awaited: a long resume must not hold up the tasks after it.
  async (app) =>
    void resumeInterruptedOperations(app).catch((error) =>
      app.logger.error('resuming interrupted operations failed', { err: error }),
    ),
  async (app) => void startRolloutWatch(app),
  async (app) => void startUsageSampler(app),
];
