/**
 * @module services/deploy-queue
 * Runs the deploys the CI webhook queued: one at a time per project (single flight), projects in
 * parallel, the newest queued commit winning over older ones. The queue lives in SQLite, so at
 * start deploys a crash interrupted are queued again and everything queued is resumed. The same
 * background worker runs the rollout watch, which settles (and if need be rolls back) releases
 * whose rollout outlived the deploy's wait.
 *
 * With replicas sharing the queue (PostgreSQL), one replica's death must not wait for its restart:
 * the leader (app.leadership) looks every few seconds for deploys left `running` by a replica that
 * died (the store tells them by their advisory lock, freed with the dead replica's connection),
 * puts them back, and starts everything queued, so a surviving replica deploys them, once. On
 * SQLite that look happens at start only: the one process's running deploys are all its own.
 */
import { isDomainError } from '../../domain/errors.js';
import type { QueuedDeploy } from '../../ports/deploy-queue.port.js';
import type { AppContext } from '../shared/app-context.js';
import { startRolloutWatch, stopRolloutWatch } from './rollout-watch.service.js';
import { TAKEOVER_EVERY_MS } from '../operations/takeover.service.js';

/** The deploy use case the queue calls (the deploy service's deployRelease fits this shape). */
export type CiDeployFn = (
  app: AppContext,
  input: { project: string; image: string; commitSha: string; actor: string; wait: boolean },
) => Promise<{ status: string; failure?: { reason: string } | null }>;

/** Outcomes of deployRelease that count as the deploy having gone wrong. */
const FAILED = new Set(['failed', 'rolled_back']);

export interface DeployQueue {
  /** Something was queued for `project`: run it now, or right after the deploy in flight. */
  kick(project: string): void;
  /** Re-queues deploys a crash interrupted and starts everything queued (once, after start-up). */
  resume(): Promise<void>;
  /** Resolves when no deploy is running or waiting (tests, shutdown). */
  idle(): Promise<void>;
  /**
   * Stops taking new work and waits for deploys in flight, at most `graceMs`: one still running
   * then is left `running` in the database and queued again by the next start.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Creates the queue and resumes what a previous run left. */
export async function startDeployQueue(app: AppContext, deploy: CiDeployFn): Promise<DeployQueue> {
  const queue = createDeployQueue(app, deploy);
  await queue.resume();
  return queue;
}

export interface DeployQueueOptions {
  /** How often the leader puts back deploys of dead replicas (shared stores only). */
  takeoverMs?: number;
}

/** Creates the queue without touching the database (start-up stays off the initialize path). */
export function createDeployQueue(app: AppContext, deploy: CiDeployFn, options: DeployQueueOptions = {}): DeployQueue {
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let stopped = false;
  let takeover: NodeJS.Timeout | undefined;

  const drain = async (project: string): Promise<void> => {
    do {
      again.delete(project);
      for (
        let item = await app.store.deployQueue.takeNext(project);
        item && !stopped;
        item = await app.store.deployQueue.takeNext(project)
      ) {
        await runOne(app, deploy, item);
      }
    } while (again.has(project) && !stopped);
  };

  const kick = (project: string) => {
    if (stopped) return;
    if (running.has(project)) return void again.add(project);
    const run = drain(project)
      .catch((error: unknown) => app.logger.error('deploy queue: drain failed', { project, err: error }))
      .finally(() => {
        running.delete(project);
        if (again.has(project)) kick(project);
      });
    running.set(project, run);
  };

  const putBack = async (why: string) => {
    const requeued = await app.store.deployQueue.requeueRunning();
    const pending = await app.store.deployQueue.pendingProjects();
    // At start, say what resumes; later, only what was taken over (queued work of live replicas is theirs).
    if (requeued || (why === 'resuming' && pending.length))
      app.logger.info(`deploy queue: ${why}`, { requeued, projects: pending });
    for (const project of pending) kick(project);
  };
  const sweep = async () => {
    if (!stopped && (await app.leadership.lead())) await putBack('taking over deploys');
  };
  const resume = async () => {
    startRolloutWatch(app);
    await putBack('resuming');
    if (!app.leadership.shared || takeover || stopped) return;
    let sweeping = false;
    takeover = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      void sweep()
        .catch((error) => app.logger.warn('deploy queue: takeover sweep failed', { err: error }))
        .finally(() => (sweeping = false));
    }, options.takeoverMs ?? TAKEOVER_EVERY_MS);
    takeover.unref();
  };
  const idle = async () => {
    while (running.size) await Promise.all([...running.values()]);
  };
  return {
    kick,
    resume,
    idle,
    stop: async (graceMs = 10_000) => {
      stopped = true;
      clearInterval(takeover);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([idle(), grace]).finally(() => clearTimeout(timer));
      await stopRolloutWatch(app, graceMs);
    },
  };
}

/**
 * A retryable failure (the project's lock held by an agent's deploy, a backend briefly down) is
 * retried a few times with bounded waits before the commit is given up as failed: nobody would
 * re-send the webhook, and a refused re-notify of the same sha is a 409.
 */
const RETRIES = 3;

async function deployWithRetry(app: AppContext, deploy: CiDeployFn, item: QueuedDeploy) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deploy(app, {
        project: item.project,
        image: item.image,
        commitSha: item.sha,
        actor: item.actor,
        wait: true,
      });
    } catch (error) {
      if (!isDomainError(error) || !error.retryable || attempt > RETRIES) throw error;
      const waitMs = Math.min(error.retryAfterMs ?? 1000 * attempt, 10_000);
      app.logger.info('deploy queue: retrying', {
        project: item.project,
        sha: item.sha,
        attempt,
        waitMs,
        code: error.code,
      });
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

async function runOne(app: AppContext, deploy: CiDeployFn, item: QueuedDeploy): Promise<void> {
  const detail = { deployId: item.id, sha: item.sha, image: item.image };
  let status: string;
  let reason: string | null = null;
  try {
    const outcome = await deployWithRetry(app, deploy, item);
    status = outcome.status;
    if (FAILED.has(status)) reason = `${status}: ${outcome.failure?.reason ?? 'rollout failed'}`;
  } catch (error) {
    status = 'failed';
    reason = isDomainError(error) ? error.toText() : 'internal error';
    app.logger.warn('deploy queue: deploy failed', { project: item.project, sha: item.sha, err: error });
  }
  // `in_progress`: the rollout outlived the wait; the rollout watch settles the release later.
  const failed = status === 'failed' || reason !== null;
  await app.store.deployQueue.finish(item.id, failed ? 'failed' : 'done', reason);
  await app.store.deliveries.setStatus(item.deliveryKey, failed ? 'failed' : 'deployed', reason);
  await app.store.audit.record({
    actor: item.actor,
    action: 'ci.deploy',
    target: item.project,
    result: failed ? 'error' : 'ok',
    detail: { ...detail, status, ...(reason ? { reason } : {}) },
  });
  app.metrics.deploy(status);
}
