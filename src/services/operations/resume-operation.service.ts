/**
 * @module services/operations/resume-operation
 * retry_operation, and the sweeps that resume operations a crash left `running` (at start-up, and
 * the leader's takeover sweep, takeover.service.ts). All take the target's lock first, so a resume
 * never races a live run in this process (nor, on PostgreSQL, in another replica).
 */
import { isDomainError, preconditionFailed } from '../../domain/errors.js';
import type { Operation } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';
import { operationFailure } from './operation-failure.js';
import { getOperation, toOperationView, type OperationView } from './operation-view.js';
import { executeOperation } from './run-operation.js';
import { UNBOUNDED_WAIT } from '../shared/project-locks.js';
import { isAbandoned } from './operation-lease.js';

/** Resumes a failed (or interrupted) operation from its first unfinished step; a succeeded one is returned as it is. */
export async function retryOperation(
  app: AppContext,
  id: string,
  options: { dryRun?: boolean } = {},
): Promise<OperationView> {
  const found = await getOperation(app, id);
  if (options.dryRun) return found;
  return toOperationView(await resume(app, id, found.target));
}

async function resume(app: AppContext, id: string, target: string, sweep = false): Promise<Operation> {
  return app.locks.run(target, 'resuming the operation', UNBOUNDED_WAIT, async () => {
    const operation = (await app.store.operations.get(id))!;
    if (operation.status === 'succeeded') return operation;
    // A sweep resumes what is still interrupted once it holds the lock, never what failed meanwhile
    // (another replica may have run it to its end while we waited): retry_operation does that, when asked.
    if (sweep && operation.status !== 'running') return operation;
    const definition = app.operationKinds.get(operation.kind);
    if (!definition)
      throw preconditionFailed(
        `operation ${id} is of unknown kind ${operation.kind}`,
        'It was made by another threesix version',
      );
    const stale = await definition.stale?.(app, operation);
    if (stale) throw preconditionFailed(`operation ${id} cannot be resumed: ${stale}`, 'Start a new operation instead');
    const reopened = operation.status === 'failed' ? await app.store.operations.reopen(id) : operation;
    const run = await executeOperation(app, definition, reopened);
    if (run.failure) throw operationFailure(run, `operation ${operation.kind} on "${operation.target}"`);
    return run.operation;
  });
}

/**
 * Resumes every operation left `running` by a previous process, after each kind's start-up sweep
 * (create_project's clears names an older version reserved without journaling their create). Runs
 * in the background after the server is connected; each failure is journaled on its operation and
 * logged, never thrown. With replicas sharing the state, only operations their runner abandoned
 * (operation-lease.ts isAbandoned): a live replica's must not be waited for, nor reopened after it failed.
 */
export async function resumeInterruptedOperations(
  app: AppContext,
): Promise<{ resumed: string[]; failed: string[]; cleared: string[] }> {
  const cleared: string[] = [];
  for (const definition of app.operationKinds.values()) {
    const swept = await definition.startupSweep?.(app).catch((error) => {
      app.logger.warn('start-up sweep failed', { kind: definition.kind, err: error });
      return [];
    });
    cleared.push(...(swept ?? []));
  }
  const running = await app.store.operations.listByStatus('running');
  const interrupted = app.leadership.shared ? await abandonedOf(app, running) : running;
  const { resumed, failed } = await resumeInterrupted(app, interrupted);
  if (interrupted.length > 0)
    app.logger.info('resumed interrupted operations', { resumed: resumed.length, failed: failed.length });
  return { resumed, failed, cleared };
}

/** The operations among `running` whose runner abandoned them. */
export async function abandonedOf(app: AppContext, running: readonly Operation[]): Promise<Operation[]> {
  const now = Date.now();
  const left = await Promise.all(running.map((op) => isAbandoned(app, op, now)));
  return running.filter((_, i) => left[i]);
}

/** Resumes each of `interrupted` (under its target's lock); a failure is journaled on its operation and logged. */
export async function resumeInterrupted(
  app: AppContext,
  interrupted: readonly Operation[],
): Promise<{ resumed: string[]; failed: string[] }> {
  const resumed: string[] = [];
  const failed: string[] = [];
  await Promise.all(
    interrupted.map(async (op) => {
      try {
        await resume(app, op.id, op.target, true);
        resumed.push(op.id);
      } catch (error) {
        // Another live process holds it: not ours to resume, and certainly not to fail.
        if (
          isDomainError(error) &&
          error.code === 'CONFLICT' &&
          error.details?.operationId === op.id &&
          !error.details.step
        )
          return;
        failed.push(op.id);
        app.logger.warn('resuming an interrupted operation failed', {
          operation: op.id,
          kind: op.kind,
          target: op.target,
          err: error,
        });
        const stale = (await app.store.operations.get(op.id))?.status === 'running';
        if (stale)
          await app.store.operations
            .finish(op.id, 'failed', {
              error: isDomainError(error) ? error.toText() : 'INTERNAL: resume failed (see the server log)',
            })
            .catch(() => undefined);
      }
    }),
  );
  return { resumed, failed };
}
