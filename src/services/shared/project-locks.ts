/**
 * @module services/shared/project-locks
 * The one per-project lock. Whatever changes a project takes it: the journaled operations
 * (create_project, delete_project, retry_operation and the start-up resume, reconcile's repair) and
 * the deploy path (deploy, rollback, scale, restart, undeploy, domains, settings, databases, and the
 * rollout watch's settling). So an agent's deploy and the CI webhook's queue never interleave their
 * reads and writes of the release history, the project row and the cluster objects, and two
 * create_project calls for one name queue up, the second seeing the first's outcome. Other projects
 * run in parallel. The same locks serve two kinds of key no project name can spell (names have no
 * colon): `host:<fqdn>` around a host's claim (domains/host-locks.ts) and `token:<name>` around a
 * capped token's create_project (access/project-quota.ts). One order, so none waits in a circle:
 * a token's lock (outermost, before the tool runs), then a project's, then hosts sorted.
 *
 * Re-entrant: an operation holding the lock may call a service that takes it again (delete_project's
 * deployment step removes the workload under the lock a deploy would take) without deadlocking on
 * itself. The holder is known through AsyncLocalStorage, so only code running inside `fn` re-enters,
 * and only while `fn` is still running.
 *
 * A holder that only waits (a deploy following its rollout) steps aside for delete_project: `fn`
 * gets a signal, aborted when a delete of the project waits behind it (in this process), so a deploy
 * stops watching and returns in_progress instead of making the delete wait out its whole budget.
 *
 * Waiting is bounded where an MCP client is waiting: a caller that cannot get the lock within
 * `waitMs` gets a retryable CONFLICT instead of hanging past the client's patience. Operations pass
 * UNBOUNDED_WAIT: they queue behind whatever holds the project, as the journal needs.
 *
 * Scope: this process, and every replica on one PostgreSQL database when given `replicas`
 * (ReplicaLocks, taken after the in-process lock, inside the same wait budget, freed when its holder
 * dies). `held` answers for this process only. With the embedded SQLite store, a second process on
 * the same file is kept sane by the unique project row, release rows updated by id, server-side
 * apply, and the rollout watch's compare-and-set claim of a failed release.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DomainError } from '../../domain/errors.js';
import type { ReplicaLocks } from '../../ports/replica-locks.port.js';

/** Wait as long as it takes (journaled operations, which no client is blocked on mid-step). */
export const UNBOUNDED_WAIT = Number.POSITIVE_INFINITY;

export interface ProjectLocks {
  /**
   * Runs `fn` once every earlier holder of the project's lock has finished, or at once when the
   * caller already holds it. Throws a retryable CONFLICT when the lock is not free within `waitMs`
   * (0: only if free now; UNBOUNDED_WAIT: never). `fn` learns how long it waited.
   */
  run<T>(
    project: string,
    what: string,
    waitMs: number,
    fn: (waitedMs: number, preempted: AbortSignal) => Promise<T>,
  ): Promise<T>;
  /** Whether some operation holds or waits for the project's lock right now. */
  held(project: string): Promise<boolean>;
}

/** One holding of one project's lock; `active` turns false on release, so a leaked async context cannot re-enter. */
interface Holding {
  project: string;
  active: boolean;
  /** Aborted when a preempting caller (PREEMPTING) waits for this project. */
  preempt: AbortController;
}

/** Callers a waiting holder steps aside for (see the module comment). */
const PREEMPTING = new Set(['delete_project']);

export function createProjectLocks(replicas?: ReplicaLocks): ProjectLocks {
  // The tail of each project's queue; a project's entry disappears once its queue drains.
  const tails = new Map<string, Promise<void>>();
  const holdings = new AsyncLocalStorage<readonly Holding[]>();
  const heldHere = (project: string) => (holdings.getStore() ?? []).find((h) => h.active && h.project === project);
  // The holder of each project's lock in this process, and how many preempting callers wait for it.
  const holders = new Map<string, Holding>();
  const preempting = new Map<string, number>();
  const preemptPending = (project: string, by: number) => {
    const count = (preempting.get(project) ?? 0) + by;
    if (count > 0) preempting.set(project, count);
    else preempting.delete(project);
  };

  return {
    async run(project, what, waitMs, fn) {
      const outer = heldHere(project);
      if (outer) return fn(0, outer.preempt.signal);
      const started = Date.now();
      const preempts = PREEMPTING.has(what);
      let waiting = preempts;
      /** This caller no longer waits (it holds the lock, or gave up): later holders need not step aside for it. */
      const doneWaiting = () => {
        if (waiting) preemptPending(project, -1);
        waiting = false;
      };
      if (preempts) {
        preemptPending(project, 1);
        holders.get(project)?.preempt.abort(new Error(`${what} is waiting for "${project}"`));
      }
      try {
        return await take(started);
      } finally {
        doneWaiting();
      }

      async function take(started: number) {
        const previous = tails.get(project) ?? Promise.resolve();
        let unlock!: () => void;
        const mine = new Promise<void>((resolve) => (unlock = resolve));
        const tail = previous.then(() => mine);
        tails.set(project, tail);
        const forget = () => tails.get(project) === tail && tails.delete(project);
        const stillUnderWay = () =>
          new DomainError(
            'CONFLICT',
            `another operation on "${project}" is still under way, so ${what} did not start`,
            {
              hint: `Call deploy_status with project "${project}" to see it, then retry`,
              retryable: true,
              retryAfterMs: 5000,
            },
          );
        if (!(await acquired(previous, waitMs))) {
          // Give up our place without blocking those queued behind us: they wait for `previous` only.
          unlock();
          void tail.then(forget);
          throw stillUnderWay();
        }
        let releaseReplicas: (() => Promise<void>) | undefined;
        try {
          releaseReplicas = await replicas?.acquire(
            project,
            waitMs === UNBOUNDED_WAIT ? UNBOUNDED_WAIT : Math.max(0, waitMs - (Date.now() - started)),
          );
          if (replicas && !releaseReplicas) throw stillUnderWay();
        } catch (error) {
          unlock();
          forget();
          throw error;
        }
        const holding: Holding = { project, active: true, preempt: new AbortController() };
        doneWaiting();
        if (!preempts && preempting.has(project))
          holding.preempt.abort(new Error(`a delete is waiting for "${project}"`));
        holders.set(project, holding);
        try {
          return await holdings.run([...(holdings.getStore() ?? []), holding], () =>
            fn(Date.now() - started, holding.preempt.signal),
          );
        } finally {
          holding.active = false;
          if (holders.get(project) === holding) holders.delete(project);
          // A failed unlock means the connection is in trouble; when it ends, the lock goes with it.
          await releaseReplicas?.().catch(() => undefined);
          unlock();
          forget();
        }
      }
    },
    held: (project) => Promise.resolve(tails.has(project)),
  };
}

/** Whether `previous` settles within `waitMs`. */
async function acquired(previous: Promise<void>, waitMs: number): Promise<boolean> {
  if (waitMs === UNBOUNDED_WAIT) return previous.then(() => true);
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    previous.then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, waitMs)))),
  ]).finally(() => clearTimeout(timer));
}
