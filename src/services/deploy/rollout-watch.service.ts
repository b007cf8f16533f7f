/**
 * @module services/rollout-watch
 * The background watch that settles releases nobody is waiting for: a deploy that returned
 * in_progress (wait=false, or THREESIX_DEPLOY_WAIT_S ran out), a CI deploy that outlived its wait,
 * a release a crashed process left in_progress. It follows each to a verdict, records it and, on
 * failure, puts the last healthy release back (THREESIX_AUTO_ROLLBACK; never in read-only mode,
 * never for a rollback), whether or not anyone calls a tool. deploy_status only reads.
 *
 * Once per release: in this process one loop per project at a time, and every check runs under the
 * project lock, taken only when free (a deploy still waiting settles its own release). Across
 * processes on one database (several stdio sessions, or serve next to one), a release found by
 * the sweep rather than by an event of this process is left alone until it is older than the
 * deploy wait, since its own deploy may still be watching it; and the failure is claimed with a
 * compare-and-set on the release (see settleFailure), so only one process rolls back. Replicas on
 * PostgreSQL leave the periodic sweep to their leader (app.leadership).
 */
import { isDomainError } from '../../domain/errors.js';
import type { Release } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';
import { assessRollout, type RolloutVerdict } from './assess-rollout.js';
import { hostsOf } from './project-workload.js';
import { isRollbackRelease, pinnedOf, settleFailure } from './rollout-release.js';

export interface RolloutWatch {
  /** Something changed in `project` in this process: follow its in-progress release, if any. */
  watch(project: string): void;
  /** Finds every release left in_progress (by a crash, another process, a deploy that stopped waiting). */
  sweep(): Promise<void>;
  /** Resolves when no project is being followed (tests). */
  idle(): Promise<void>;
  /** Stops following; a settlement under way finishes first, at most `graceMs`. */
  stop: (graceMs?: number) => Promise<void>;
}

export interface RolloutWatchOptions {
  /** First pause between two looks at a rollout; it grows to maxPollMs while nothing changes. */
  pollMs?: number;
  maxPollMs?: number;
  /** How often the database is swept for releases left in_progress. */
  sweepMs?: number;
}

type Check = 'settled' | 'pending';

/** One watch per app (process): started by the deploy queue and by the start-up tasks alike. */
const running = new WeakMap<AppContext, RolloutWatch>();

/** Starts the app's watch (or returns the one already running): listens to project changes and sweeps now and then. */
export function startRolloutWatch(app: AppContext, options: RolloutWatchOptions = {}): RolloutWatch {
  const existing = running.get(app);
  if (existing) return existing;
  const watch = createRolloutWatch(app, options);
  running.set(app, watch);
  const unsubscribe = app.events.onProjectChanged((project) => watch.watch(project));
  // The sweep finds every replica's releases, so only the leader runs it (always this process on
  // SQLite); the watch of this process's own deploys, driven by its events, stays local.
  const sweepSafely = () =>
    void app.leadership
      .lead()
      .then((leads) => (leads ? watch.sweep() : undefined))
      .catch((error) => app.logger.warn('rollout watch: sweep failed', { err: error }));
  const timer = setInterval(sweepSafely, options.sweepMs ?? 30_000);
  timer.unref();
  sweepSafely();
  const stop = watch.stop;
  watch.stop = async (graceMs) => {
    clearInterval(timer);
    unsubscribe();
    if (running.get(app) === watch) running.delete(app);
    await stop(graceMs);
  };
  return watch;
}

/** Stops the app's watch if one runs (shutdown). */
export async function stopRolloutWatch(app: AppContext, graceMs?: number): Promise<void> {
  await running.get(app)?.stop(graceMs);
}

export function createRolloutWatch(app: AppContext, options: RolloutWatchOptions = {}): RolloutWatch {
  const pollMs = options.pollMs ?? 1000;
  const maxPollMs = options.maxPollMs ?? 15_000;
  const loops = new Map<string, Promise<void>>();
  /** Projects an event of this process pointed at: their release is ours, no need to let it age. */
  const eager = new Set<string>();
  /** Projects that changed while their loop ran: look again once it ends. */
  const again = new Set<string>();
  const sleepers = new Set<() => void>();
  let stopped = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      sleepers.add(wake);
    });

  const follow = async (project: string) => {
    for (let delay = pollMs; !stopped; delay = Math.min(Math.round(delay * 1.5), maxPollMs)) {
      again.delete(project);
      if ((await checkOnce(app, project, eager.has(project))) === 'settled') return;
      await sleep(delay);
    }
  };

  const start = (project: string, fromEvent: boolean) => {
    if (fromEvent) eager.add(project);
    if (stopped) return;
    if (loops.has(project)) return void (fromEvent && again.add(project));
    const loop = follow(project)
      .catch((error: unknown) => app.logger.warn('rollout watch: check failed', { project, err: error }))
      .finally(() => {
        loops.delete(project);
        if (again.delete(project)) start(project, true);
        else eager.delete(project);
      });
    loops.set(project, loop);
  };

  return {
    watch: (project) => start(project, true),
    sweep: async () => {
      if (stopped) return;
      for (const release of await app.store.releases.inProgress()) start(release.project, false);
    },
    idle: async () => {
      while (loops.size) await Promise.all([...loops.values()]);
    },
    stop: async (graceMs = 10_000) => {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.all([...loops.values()]), grace]).finally(() => clearTimeout(timer));
    },
  };
}

/**
 * One look at the project's newest release; 'pending' while it is still rolling out or someone else
 * holds the project.
 */
async function checkOnce(app: AppContext, project: string, eager: boolean): Promise<Check> {
  const latest = await app.store.releases.latest(project);
  if (latest?.status !== 'in_progress') return 'settled';
  // Found only by the sweep and younger than the deploy wait: its own deploy may still be watching it.
  if (!eager && Date.now() - Date.parse(latest.createdAt) < app.config.THREESIX_DEPLOY_WAIT_S * 1000) return 'pending';
  if (await app.locks.held(project)) return 'pending';
  try {
    return await app.locks.run(project, 'the rollout watch', 0, () => settleLatest(app, project));
  } catch (error) {
    if (isDomainError(error) && error.code === 'CONFLICT' && error.retryable) return 'pending'; // an operation started meanwhile
    throw error;
  }
}

/** Records the verdict on the in-progress release, if the cluster has one; rolls back a failure. */
async function settleLatest(app: AppContext, name: string): Promise<Check> {
  const release = await app.store.releases.latest(name);
  if (release?.status !== 'in_progress') return 'settled';
  const project = await app.store.projects.get(name);
  // delete_project waits for deploys and removes the workload; nothing must be put back under it.
  if (!project || project.state === 'deleting' || !release.digest) return 'settled';
  const deployer = await app.backends.deployer.get();
  const workload = await deployer.status(name);
  const verdict: RolloutVerdict = workload.exists
    ? assessRollout(workload, pinnedOf(release), workload.desiredReplicas)
    : {
        state: 'failed',
        reason: 'NotFound',
        message: 'the Deployment is gone (removed, or never applied before a crash)',
        pod: null,
      };
  if (verdict.state === 'in_progress') return 'pending';
  if (verdict.state === 'succeeded') {
    if (await app.store.releases.transition(release.id, 'in_progress', 'succeeded')) {
      await app.store.projects.update(name, {
        deploymentStatus: workload.desiredReplicas === 0 ? 'stopped' : 'running',
      });
      app.logger.info('rollout watch: release succeeded', { project: name, release: release.id });
      app.events.projectChanged(name);
    }
    return 'settled';
  }
  return rollBack(app, release, verdict, workload.exists);
}

async function rollBack(
  app: AppContext,
  release: Release,
  verdict: Extract<RolloutVerdict, { state: 'failed' }>,
  workloadExists: boolean,
): Promise<Check> {
  const name = release.project;
  const deployer = await app.backends.deployer.get();
  const logTail = workloadExists ? await deployer.logs(name, { tail: 20 }).catch(() => null) : null;
  const project = await app.store.projects.require(name);
  // A rollback that itself failed is not rolled back again (deploy and rollback do not either), and
  // a workload someone removed is not put back.
  const autoRollback =
    app.config.THREESIX_AUTO_ROLLBACK &&
    !app.config.THREESIX_READ_ONLY &&
    !isRollbackRelease(release) &&
    workloadExists;
  const outcome = await settleFailure(app, deployer, release, verdict, logTail, {
    pinned: pinnedOf(release),
    hosts: hostsOf(project, app.config.DEFAULT_DOMAIN),
    autoRollback,
    budgetMs: app.config.THREESIX_DEPLOY_WAIT_S * 1000,
  });
  app.logger.warn('rollout watch: release failed', {
    project: name,
    release: release.id,
    reason: verdict.reason,
    outcome: outcome.status,
  });
  if (outcome.status !== 'rolled_back') return 'settled';
  await app.store.audit
    .record({
      actor: 'threesix:auto-rollback',
      action: 'rollback',
      target: name,
      result: outcome.rolledBackTo?.status === 'failed' ? 'error' : 'ok',
      detail: {
        failedRelease: release.id,
        reason: verdict.reason,
        restoredRelease: outcome.rolledBackTo?.fromReleaseId ?? null,
        via: 'rollout watch',
      },
    })
    .catch((error) => app.logger.error('audit write failed', { err: error }));
  // The restored release still rolling out is followed like any other.
  return outcome.rolledBackTo?.status === 'in_progress' ? 'pending' : 'settled';
}
