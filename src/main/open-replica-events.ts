/**
 * @module main/open-replica-events
 * App events between the replicas on the configured PostgreSQL database (LISTEN/NOTIFY); undefined
 * with SQLite, where one process holds every session. `pg` loads and the listening connection opens
 * only once something publishes or listens, and a listener's start waits a moment, like the store's
 * warm-up (boot.ts): a stdio server listens from its creation, and `initialize` must not wait for that.
 */
import type { Config } from '../config.js';
import type { Logger } from '../ports/logger.port.js';
import type { ReplicaEvents } from '../ports/replica-events.port.js';

const LISTEN_DELAY_MS = 20;

export function openReplicaEvents(config: Readonly<Config>, logger: Logger): ReplicaEvents | undefined {
  const url = config.THREESIX_DATABASE_URL;
  if (!url) return undefined;
  let opened: Promise<ReplicaEvents> | undefined;
  let closed = false;
  const events = () =>
    (opened ??= import('../adapters/postgres/postgres-replica-events.js').then((m) =>
      m.openPostgresReplicaEvents(url, logger.child({ component: 'replica-events' })),
    ));
  return {
    publish(event) {
      if (!closed) void events().then((e) => e.publish(event));
    },
    subscribe(listener) {
      let unsubscribe: (() => void) | undefined;
      let cancelled = false;
      setTimeout(() => {
        if (!cancelled && !closed)
          void events().then((e) => {
            if (!cancelled) unsubscribe = e.subscribe(listener);
          });
      }, LISTEN_DELAY_MS).unref();
      return () => {
        cancelled = true;
        unsubscribe?.();
      };
    },
    async close() {
      closed = true;
      if (opened) await (await opened).close();
    },
  };
}
