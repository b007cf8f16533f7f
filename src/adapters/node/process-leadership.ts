/**
 * @module adapters/node/process-leadership
 * Leadership for one process on the embedded SQLite store: it always leads. Other processes may
 * share the file (one stdio server per agent session next to `serve`), so a lease holder is known
 * dead only when it is a process on this host that no longer exists; otherwise its lease's expiry
 * decides (services/operations/operation-lease.ts).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Leadership } from '../../ports/leadership.port.js';

/** A replica's name: host and pid plus a nonce, so a reused pid is never mistaken for it. */
export function newReplicaName(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

let processName: string | undefined;

/** True when `owner` names a process on this host that no longer exists. */
export function processIsGone(owner: string): boolean {
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

export function processLeadership(): Leadership {
  return {
    shared: false,
    // Made on first use: the first randomUUID() initialises the CSPRNG, which `initialize` need not wait for.
    // One name per process, whatever the number of app contexts in it, as the leases have always had.
    get owner() {
      return (processName ??= newReplicaName());
    },
    alive: () => Promise.resolve(),
    lead: () => Promise.resolve(true),
    ownerGone: (owner) => Promise.resolve(processIsGone(owner)),
    close: () => Promise.resolve(),
  };
}
