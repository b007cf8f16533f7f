/**
 * @module services/project-locks
 * One mutating deploy operation (deploy, rollback, scale, restart, undeploy, and the background
 * rollout watch's settling) per project at a time, so an agent's deploy and the CI webhook's queue never interleave
 * their reads and writes of the release history, the project row and the cluster objects. Other
 * projects run in parallel. Waiting is bounded: a caller that cannot get the lock in time gets a
 * retryable CONFLICT instead of hanging past the MCP client's patience.
 *
 * Scope: this process only. A second threesix process on the same SQLite file is not serialised
 * (a cross-process lease would need a lease table with expiry, out of scope for now); what keeps
 * that case sane is that every release row is updated by id, server-side apply makes the last
 * writer win whole objects, the rollout watch settles any release left `in_progress`, and it claims
 * a failed release with a compare-and-set so that only one process rolls it back.
 */
import { DomainError } from '../domain/errors.js';

export interface ProjectLocks {
  /**
   * Runs `fn` once every earlier holder of the project's lock has finished. Throws a retryable
   * CONFLICT when the lock is not free within `waitMs` (0: only if free now). `fn` learns how long it waited.
   */
  run<T>(project: string, what: string, waitMs: number, fn: (waitedMs: number) => Promise<T>): Promise<T>;
  /** Whether some operation holds or waits for the project's lock right now. */
  held(project: string): boolean;
}

export function createProjectLocks(): ProjectLocks {
  // The tail of each project's queue; a project's entry disappears once its queue drains.
  const tails = new Map<string, Promise<void>>();
  return {
    async run(project, what, waitMs, fn) {
      const started = Date.now();
      const previous = tails.get(project) ?? Promise.resolve();
      let unlock!: () => void;
      const mine = new Promise<void>(resolve => (unlock = resolve));
      const tail = previous.then(() => mine);
      tails.set(project, tail);
      const release = () => {
        unlock();
        if (tails.get(project) === tail) tails.delete(project);
      };
      let timer: NodeJS.Timeout | undefined;
      const gotIt = await Promise.race([
        previous.then(() => true),
        new Promise<false>(resolve => (timer = setTimeout(() => resolve(false), Math.max(0, waitMs)))),
      ]).finally(() => clearTimeout(timer));
      if (!gotIt) {
        // Give up our place without blocking those queued behind us: they wait for `previous` only.
        unlock();
        void tail.then(() => tails.get(project) === tail && tails.delete(project));
        throw new DomainError('CONFLICT', `another operation on "${project}" is still under way, so ${what} did not start`, {
          hint: `Call deploy_status with project "${project}" to see it, then retry`,
          retryable: true,
          retryAfterMs: 5000,
        });
      }
      try {
        return await fn(Date.now() - started);
      } finally {
        release();
      }
    },
    held: project => tails.has(project),
  };
}
