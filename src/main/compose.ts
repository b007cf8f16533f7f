/**
 * @module main/compose
 * The composition root: the only place adapters meet services.
 */
import type { BackendName, Config } from '../config.js';
import type { BackendProbe } from '../ports/backend-probe.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { NameResolver } from '../ports/name-resolver.port.js';
import type { StateStore } from '../ports/state-store.port.js';
import { createAppEvents } from '../services/shared/app-events.js';
import type { AppContext, Backends } from '../services/shared/app-context.js';
import { backendSlot } from '../services/shared/backends.js';
import { createMetrics, instrumentBackend } from '../services/shared/metrics.js';
import { createProjectLocks } from '../services/shared/project-locks.js';
import { adapterFactories, type AdapterFactories } from './adapter-factories.js';
import { lazyStateStore } from './lazy-state-store.js';
import { openReplicaEvents } from './open-replica-events.js';
import { openReplicaCoordination, openStateStore } from './open-state-store.js';
import { VERSION } from './version.js';
import { operationKinds } from './operation-kinds.js';

export interface ComposeOptions {
  simulated?: readonly BackendName[];
  /** Tests pass their own factories (e.g. in-memory adapters) or an open store. */
  factories?: Partial<AdapterFactories>;
  store?: StateStore;
  /** WAL checkpoints on a worker thread; `serve` turns them on (see adapters/sqlite/database.ts). */
  backgroundCheckpoints?: boolean;
  resolver?: NameResolver;
}

/** node:dns loads on the first custom-domain check, not at start. */
function lazyNameResolver(): NameResolver {
  let resolver: Promise<NameResolver> | undefined;
  return {
    async resolve(fqdn) {
      resolver ??= import('../adapters/node/node-name-resolver.js').then((m) => m.createNodeNameResolver());
      return (await resolver).resolve(fqdn);
    },
  };
}

export function composeApp(
  config: Readonly<Config>,
  logger: Logger,
  options: ComposeOptions = {},
): Promise<AppContext> {
  const store =
    options.store ??
    lazyStateStore(() => openStateStore(config, { backgroundCheckpoints: options.backgroundCheckpoints }));
  const factories: AdapterFactories = { ...adapterFactories, ...options.factories };
  const metrics = createMetrics(VERSION);
  const slot = <K extends BackendName>(name: K) => {
    const factory = factories[name](config, logger.child({ backend: name }));
    const mode = !factory ? 'none' : options.simulated?.includes(name) ? 'sandbox' : 'real';
    // Every port call is timed into the backend latency metric, whichever adapter is behind it.
    const build = factory
      ? async (): Promise<BackendProbe> => instrumentBackend((await factory.build()) as BackendProbe, name, metrics)
      : null;
    return backendSlot({ name, mode, provider: factory?.provider ?? null, endpoint: factory?.endpoint ?? null }, build);
  };
  const backends = {
    git: slot('git'),
    dns: slot('dns'),
    ci: slot('ci'),
    deployer: slot('deployer'),
    registry: slot('registry'),
  } as Backends;
  const replicas = openReplicaCoordination(config);
  // Nothing to wait for (the store and the lock connection open on first use); callers await it all the same.
  return Promise.resolve({
    config,
    store,
    backends,
    logger,
    events: createAppEvents(openReplicaEvents(config, logger)),
    metrics,
    locks: createProjectLocks(replicas.locks),
    leadership: replicas.leadership,
    version: VERSION,
    resolver: options.resolver ?? lazyNameResolver(),
    operationKinds,
  });
}
