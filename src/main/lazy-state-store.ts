/**
 * @module main/lazy-state-store
 * Opens the state store (SQLite, or PostgreSQL with THREESIX_DATABASE_URL) on first use instead of
 * at start: loading kysely and the native driver (or `pg`) and running migrations would otherwise
 * sit between spawn and the `initialize` answer, which needs no state. The entry point warms it
 * right after the transport is connected.
 */
import type { StateStore } from '../ports/state-store.port.js';

type SubStore = Exclude<keyof StateStore, 'ping' | 'close'>;

export function lazyStateStore(open: () => Promise<StateStore>): StateStore {
  let opened: Promise<StateStore> | undefined;
  const store = () => (opened ??= open());
  const sub = <K extends SubStore>(key: K): StateStore[K] =>
    new Proxy({} as StateStore[K], {
      get:
        (_target, method) =>
        (...args: unknown[]) =>
          store().then((s) =>
            (s[key] as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>)[method]!(...args),
          ),
    });
  return {
    projects: sub('projects'),
    releases: sub('releases'),
    operations: sub('operations'),
    audit: sub('audit'),
    deliveries: sub('deliveries'),
    deployQueue: sub('deployQueue'),
    installSecrets: sub('installSecrets'),
    usage: sub('usage'),
    settings: sub('settings'),
    access: sub('access'),
    mcpSessions: sub('mcpSessions'),
    ping: () => store().then((s) => s.ping()),
    close: async () => {
      if (opened) await (await opened).close();
    },
  };
}
