/**
 * @module services/operations/operation-lease
 * Which replica runs an operation. Several threesix processes may share one database (one stdio
 * server per agent session, or `serve` replicas on PostgreSQL), so a resume must not take over an
 * operation another live process is running. The runner holds a lease under its replica's name
 * (app.leadership.owner), renewed while it runs. A lease may be taken over when it has expired, or
 * at once when its holder is known dead: on PostgreSQL, the holder's liveness lock is free (any
 * host); on SQLite, the holder is a process of this host that no longer exists.
 */
import { conflict } from '../../domain/errors.js';
import type { Operation } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';

export const LEASE_TTL_MS = 30_000;
const RENEW_MS = 10_000;

/**
 * Whether `operation`, journaled `running`, is left by a dead runner and so another's to resume:
 * its lease expired or its holder is gone; without a lease (a runner that died between journaling
 * and claiming), once untouched for a lease's lifetime. This replica's own leases are never left.
 */
export async function isAbandoned(app: AppContext, operation: Operation, now = Date.now()): Promise<boolean> {
  const lease = operation.lease;
  if (!lease) return now - Date.parse(operation.updatedAt) > LEASE_TTL_MS;
  if (lease.owner === app.leadership.owner) return false;
  return Date.parse(lease.expiresAt) < now || app.leadership.ownerGone(lease.owner);
}

/**
 * Takes the lease (or throws CONFLICT naming the holder) and keeps renewing it; call the returned
 * function to give it up.
 */
export async function holdLease(app: AppContext, operation: Operation): Promise<() => Promise<void>> {
  const journal = app.store.operations;
  const owner = app.leadership.owner;
  // Alive before the lease names us: no other replica may see our lease with our liveness lock free.
  await app.leadership.alive();
  let held = await journal.claim(operation.id, owner, LEASE_TTL_MS);
  if (!held && operation.lease && (await app.leadership.ownerGone(operation.lease.owner))) {
    held = await journal.claim(operation.id, owner, LEASE_TTL_MS, { force: true });
  }
  if (!held) {
    throw conflict(
      `operation ${operation.id} is being run by another threesix process`,
      'Wait for it to finish; read threesix://operations/{id} to follow it',
      { operationId: operation.id },
    );
  }
  const timer = setInterval(() => {
    journal
      .claim(operation.id, owner, LEASE_TTL_MS)
      .catch((error) => app.logger.warn('renewing an operation lease failed', { operation: operation.id, err: error }));
  }, RENEW_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await journal.release(operation.id, owner).catch(() => undefined);
  };
}
