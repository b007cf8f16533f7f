/**
 * @module ports/replica-locks
 * A lock every replica on one database sees (PostgreSQL advisory locks), for work that must not
 * run on two replicas at once: the per-project lock (services/project-locks.ts) takes it after its
 * in-process one. The holder's death (its database connection ends) frees it, so a crashed replica
 * never leaves a project locked. With the embedded SQLite store there is one process and no such lock.
 */
export interface ReplicaLocks {
  /**
   * Takes `key` for this replica, waiting at most `waitMs` (0: only if free now; Infinity: as long as
   * it takes); the returned function gives it up. Undefined when another replica held it throughout.
   */
  acquire(key: string, waitMs: number): Promise<(() => Promise<void>) | undefined>;
}
