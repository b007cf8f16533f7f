/**
 * @module services/operations/takeover
 * The leader's takeover sweep of operations, for replicas sharing one database (PostgreSQL): every
 * few seconds each replica asks to lead (app.leadership.lead(), which is how a follower takes over
 * from a leader that died), and the leader resumes every operation journaled `running` whose runner
 * abandoned it (its replica died: its liveness lock is free; or its lease expired). So a
 * create_project cut short by a SIGKILL is finished by a surviving replica within seconds, not at
 * the next start of the dead one. The deploy queue sweeps its own (deploy-queue.service.ts).
 *
 * On SQLite there is one process and nothing to take over while it runs: the start-up resume
 * (resume-operation.service.ts) stays the only one, as it always was.
 */
import type { AppContext } from '../shared/app-context.js';
import { abandonedOf, resumeInterrupted } from './resume-operation.service.js';

/** How often a follower asks for the lead and the leader sweeps: a dead replica's work resumes within this. */
export const TAKEOVER_EVERY_MS = 3_000;

export interface OperationTakeover {
  /** One look now: lead if free, and if leading start resuming what was abandoned (tests). */
  tick(): Promise<void>;
  /** Operations this replica is resuming, by id. */
  readonly resuming: ReadonlySet<string>;
  stop: () => void;
}

const running = new WeakMap<AppContext, OperationTakeover>();

/** Starts the app's takeover sweep (once per app); a no-op on a store no other replica shares. */
export function startOperationTakeover(app: AppContext, options: { everyMs?: number } = {}): OperationTakeover {
  const existing = running.get(app);
  if (existing) return existing;
  const takeover = createOperationTakeover(app);
  if (!app.leadership.shared) return takeover;
  running.set(app, takeover);
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void takeover
      .tick()
      .catch((error) => app.logger.warn('takeover sweep failed', { err: error }))
      .finally(() => (ticking = false));
  }, options.everyMs ?? TAKEOVER_EVERY_MS);
  timer.unref();
  const stop = takeover.stop;
  takeover.stop = () => {
    clearInterval(timer);
    if (running.get(app) === takeover) running.delete(app);
    stop();
  };
  return takeover;
}

export function createOperationTakeover(app: AppContext): OperationTakeover {
  const resuming = new Set<string>();
  let leading = false;
  let stopped = false;
  return {
    resuming,
    async tick() {
      if (stopped) return;
      const leads = await app.leadership.lead();
      if (leads !== leading) {
        leading = leads;
        app.metrics.leader(leads);
        app.logger.info(leads ? 'this replica leads now' : 'this replica no longer leads', {
          replica: app.leadership.owner,
        });
      }
      if (!leads) return;
      const running = await app.store.operations.listByStatus('running');
      const abandoned = await abandonedOf(
        app,
        running.filter((op) => !resuming.has(op.id)),
      );
      if (abandoned.length === 0) return;
      app.logger.info('taking over operations a dead replica left', { operations: abandoned.map((op) => op.id) });
      for (const op of abandoned) resuming.add(op.id);
      // Not awaited: a long resume must not hold up the next look (nor the lead's renewal).
      void resumeInterrupted(app, abandoned).finally(() => {
        for (const op of abandoned) resuming.delete(op.id);
      });
    },
    stop: () => void (stopped = true),
  };
}
