/**
 * @module services/reconcile/scheduled-reconcile
 * Reconcile on a schedule (THREESIX_RECONCILE_EVERY_S, 0: off), so drift between the database and
 * the backends (a DNS record removed by hand, a repository deleted in the forge) is seen without
 * anyone asking. Report only: a scheduled run never repairs, since repairing re-creates and removes
 * things on backends, which an operator decides with `reconcile repair`.
 *
 * Once per interval across replicas: only the leader (app.leadership) runs it, and the schedule's
 * memory is the audit log, not the process: each run records `reconcile.scheduled` (the drift in
 * its detail), and the next is due an interval after the newest such event, whichever replica wrote
 * it. So a new leader after a failover, or a restart, neither runs it again early nor starts the
 * interval over. With no such event yet, the first run is an interval after this process started.
 * Each run also sets the drift gauge and counts the run in /metrics.
 */
import { isDomainError } from '../../domain/errors.js';
import type { AppContext } from '../shared/app-context.js';
import { reconcile } from './reconcile.service.js';

export const SCHEDULED_ACTION = 'reconcile.scheduled';
/** Drift items kept in the audit event's detail; the count is always whole. */
const DETAIL_LIMIT = 50;

export interface ScheduledReconcile {
  /** One look now: when leading and due, run and record (tests). Resolves to whether it ran. */
  tick: (now?: number) => Promise<boolean>;
  stop: () => void;
}

export interface ScheduledReconcileOptions {
  /** The interval; THREESIX_RECONCILE_EVERY_S by default. 0: off. */
  everyMs?: number;
  /** How often to look whether a run is due (at most a minute). */
  checkMs?: number;
}

/** Starts the schedule; a no-op when it is off. */
export function startScheduledReconcile(app: AppContext, options: ScheduledReconcileOptions = {}): ScheduledReconcile {
  const schedule = createScheduledReconcile(app, options);
  const everyMs = options.everyMs ?? app.config.THREESIX_RECONCILE_EVERY_S * 1000;
  if (everyMs <= 0) return schedule;
  const timer = setInterval(
    () => void schedule.tick().catch((error) => app.logger.warn('scheduled reconcile failed', { err: error })),
    options.checkMs ?? Math.min(everyMs, 60_000),
  );
  timer.unref();
  return { tick: schedule.tick, stop: () => (clearInterval(timer), schedule.stop()) };
}

export function createScheduledReconcile(app: AppContext, options: ScheduledReconcileOptions = {}): ScheduledReconcile {
  const everyMs = options.everyMs ?? app.config.THREESIX_RECONCILE_EVERY_S * 1000;
  const startedAt = Date.now();
  let busy = false;
  let stopped = false;
  const due = async (now: number) => {
    const [last] = await app.store.audit.list({ action: SCHEDULED_ACTION, limit: 1 });
    return now - (last ? Date.parse(last.time) : startedAt) >= everyMs;
  };
  return {
    async tick(now = Date.now()) {
      if (stopped || busy || everyMs <= 0) return false;
      busy = true;
      try {
        if (!(await app.leadership.lead()) || !(await due(now))) return false;
        await runOnce(app);
        return true;
      } finally {
        busy = false;
      }
    },
    stop: () => void (stopped = true),
  };
}

async function runOnce(app: AppContext): Promise<void> {
  const record = (result: 'ok' | 'error', detail: Record<string, unknown>) =>
    app.store.audit.record({ actor: 'threesix:schedule', action: SCHEDULED_ACTION, target: 'all', result, detail });
  let outcome: Awaited<ReturnType<typeof reconcile>>;
  try {
    outcome = await reconcile(app, {});
  } catch (error) {
    app.metrics.reconcile({ failed: true });
    app.logger.warn('scheduled reconcile failed', { err: error });
    // Recorded too, so the next attempt waits an interval instead of hammering a backend that is down.
    await record('error', {
      error:
        isDomainError(error) && error.code !== 'INTERNAL'
          ? error.toText()
          : 'INTERNAL: reconcile failed (see the server log)',
    });
    return;
  }
  const drift = outcome.drift.map(({ project, backend, kind, detail }) => ({ project, backend, kind, detail }));
  app.metrics.reconcile({ drift });
  if (drift.length > 0)
    app.logger.warn('scheduled reconcile found drift', {
      drift: drift.length,
      projects: [...new Set(drift.map((d) => d.project))].slice(0, DETAIL_LIMIT),
    });
  await record('ok', {
    checked: outcome.checked,
    backends: outcome.backends,
    drift: drift.length,
    items: drift.slice(0, DETAIL_LIMIT),
  });
}
