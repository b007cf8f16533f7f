/**
 * @module services/operations/operation-lease
 * Which process runs an operation. Several threesix processes may share one database (one stdio
 * server per agent session), so a start-up resume must not take over an operation another live
 * process is running. The runner holds a lease, renewed while it runs; a lease whose holder is
 * a dead process on this host, or that has expired, may be taken over.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { conflict } from '../../domain/errors.js';
import type { Operation } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';

export const LEASE_TTL_MS = 30_000;
const RENEW_MS = 10_000;

let owner: string | undefined;
/**
 * This process (host and pid) plus a per-process nonce, so a reused pid is never mistaken for us.
 * Made on first use: the first randomUUID() initialises the CSPRNG, which `initialize` need not wait for.
 */
export function leaseOwner(): string {
  return (owner ??= `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`);
}

/** True when the lease holder is a process on this host that no longer exists. */
export function holderIsDead(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '')) return false;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Takes the lease (or throws CONFLICT naming the holder) and keeps renewing it; call the returned function to give it up. */
export async function holdLease(app: AppContext, operation: Operation): Promise<() => Promise<void>> {
  const journal = app.store.operations;
  let held = await journal.claim(operation.id, leaseOwner(), LEASE_TTL_MS);
  if (!held && operation.lease && holderIsDead(operation.lease.owner)) {
    held = await journal.claim(operation.id, leaseOwner(), LEASE_TTL_MS, { force: true });
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
      .claim(operation.id, leaseOwner(), LEASE_TTL_MS)
      .catch((error) => app.logger.warn('renewing an operation lease failed', { operation: operation.id, err: error }));
  }, RENEW_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await journal.release(operation.id, leaseOwner()).catch(() => undefined);
  };
}
