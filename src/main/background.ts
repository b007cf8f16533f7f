/**
 * @module main/background
 * Start-up tasks run by startBackground (after the transport is connected, never delaying
 * `initialize`): resuming the operations a crash left `running`.
 */
import type { AppContext } from '../services/app-context.js';
import { resumeInterruptedOperations } from '../services/operations/resume-operation.service.js';

export const backgroundTasks: ReadonlyArray<(app: AppContext) => Promise<void>> = [
  // Not awaited: a long resume must not hold up the tasks after it.
  async app => void resumeInterruptedOperations(app).catch(error => app.logger.error('resuming interrupted operations failed', { err: error })),
];
