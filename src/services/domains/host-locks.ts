/**
 * @module services/domains/host-locks
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * Per-host locks around a claim: the claim check (host-claims.ts) and the row write that records the
 * claim run inside them, so two projects claiming one host at once are decided one after the other
 * and the second sees the first's row. They are the per-project locks (shared/project-locks) under
 * keys `host:<fqdn>`, which no project name can spell (names have no colon): the same in-process
 * queue, and on PostgreSQL the same replica-wide advisory lock, freed when its holder dies.
 *
 * Order, so that no two callers wait for each other: the caller's project lock first (create_project
 * and add_domain take it before this), then the hosts sorted. Nothing holding a host lock takes
 * another project's lock.
 *
 * With the embedded SQLite store and several stdio processes on one file, these locks are per
 * process, and two processes can both pass the check. The database then decides what matters most:
 * a custom domain is recorded for one project only (project_hosts, its host the primary key), and
 * add_domain writes that row before DNS or the Ingress, so the second gets CONFLICT having written
 * nothing; a name is reserved once (the unique project row). Not decided there: add_domain of
 * `<name>.<zone>` in one process while another creates project <name>.
 */
import { DomainError, isDomainError } from '../../domain/errors.js';
import type { AppContext } from '../shared/app-context.js';

/** Runs `fn` holding the lock of every host in `hosts` (each once, in sorted order). */
export async function withHostLocks<T>(
  app: AppContext,
  hosts: readonly string[],
  what: string,
  fn: () => Promise<T>,
): Promise<T> {
  const sorted = [...new Set(hosts)].sort();
  const waitMs = app.config.THREESIX_DEPLOY_WAIT_S * 1000;
  let started = false;
  const nest = (i: number): Promise<T> => {
    if (i === sorted.length) {
      started = true;
      return fn();
    }
    return app.locks.run(`host:${sorted[i]}`, what, waitMs, () => nest(i + 1));
  };
  try {
    return await nest(0);
  } catch (error) {
    // The lock's own refusal names its key; say which host is busy instead.
    if (started || !isDomainError(error) || error.code !== 'CONFLICT') throw error;
    throw new DomainError(
      'CONFLICT',
      `another call is claiming ${sorted.join(', ')} right now, so ${what} did not start`,
      {
        hint: 'Retry in a few seconds; list_projects then shows which project holds it',
        retryable: true,
        retryAfterMs: 5000,
      },
    );
  }
}
