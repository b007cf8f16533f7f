/**
 * @module services/shared/app-context
 * Everything a use case may depend on, built once by the entry point and passed down explicitly.
 */
import type { Config } from '../../config.js';
import type { CiServer } from '../../ports/ci-server.port.js';
import type { Deployer } from '../../ports/deployer.port.js';
import type { DnsProvider } from '../../ports/dns-provider.port.js';
import type { GitHost } from '../../ports/git-host.port.js';
import type { ImageRegistry } from '../../ports/image-registry.port.js';
import type { Leadership } from '../../ports/leadership.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { NameResolver } from '../../ports/name-resolver.port.js';
import type { StateStore } from '../../ports/state-store.port.js';
import type { AppEvents } from './app-events.js';
import type { BackendProbe } from '../../ports/backend-probe.port.js';
import type { BackendSlot } from './backends.js';
import type { Metrics } from './metrics.js';
import type { ProjectLocks } from './project-locks.js';
import type { AnyOperationDefinition } from '../operations/operation-definition.js';

export interface Backends {
  git: BackendSlot<GitHost>;
  dns: BackendSlot<DnsProvider>;
  ci: BackendSlot<CiServer>;
  deployer: BackendSlot<Deployer>;
  registry: BackendSlot<ImageRegistry>;
}

/** Every backend slot with its name (Object.entries on an interface would type them `any`). */
export function backendEntries(backends: Backends): Array<[keyof Backends, BackendSlot<BackendProbe>]> {
  return Object.entries(backends) as Array<[keyof Backends, BackendSlot<BackendProbe>]>;
}

export interface AppContext {
  config: Readonly<Config>;
  store: StateStore;
  backends: Backends;
  logger: Logger;
  events: AppEvents;
  metrics: Metrics;
  /** Serialises mutating deploy operations per project within this process. */
  locks: ProjectLocks;
  /**
   * Which replica does the once-only background work (the rollout sweep, the takeover sweep,
   * scheduled reconcile), and this replica's name on its operation leases. Always the leader on SQLite.
   */
  leadership: Leadership;
  version: string;
  /** Public DNS lookups (custom domains); absent in contexts that never resolve names. */
  resolver?: NameResolver;
  /**
   * Every kind of durable operation, by kind, so a journaled one can be resumed by kind alone (at
   * start-up and through retry_operation). Wired in src/main: the generic engine names no kind.
   */
  operationKinds: ReadonlyMap<string, AnyOperationDefinition>;
}
