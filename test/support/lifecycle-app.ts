/**
 * An AppContext on SQLite wired to the stateful memory adapters, each behind a fault switch, for
 * lifecycle tests (create, delete, retry, reconcile) that need every backend at once.
 */
import { MemoryCiServer } from '../../src/adapters/memory/memory-ci-server.js';
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import { createMemoryDnsProvider, type MemoryDnsProvider } from '../../src/adapters/memory/memory-dns-provider.js';
import { MemoryGitHost } from '../../src/adapters/memory/memory-git-host.js';
import { MemoryImageRegistry } from '../../src/adapters/memory/memory-image-registry.js';
import type { AdapterFactories } from '../../src/main/adapter-factories.js';
import type { AppContext } from '../../src/services/shared/app-context.js';
import { withFaults, type FaultSwitch } from './fault-switch.js';
import { newSshPublicKey } from './ssh-key.js';
import { createTestApp } from './test-app.js';

export interface LifecycleApp {
  app: AppContext;
  git: MemoryGitHost;
  dns: MemoryDnsProvider;
  ci: MemoryCiServer;
  deployer: MemoryDeployer;
  registry: MemoryImageRegistry;
  faults: { git: FaultSwitch; dns: FaultSwitch; ci: FaultSwitch; deployer: FaultSwitch };
}

export const SSH_KEY = newSshPublicKey('ops@example');

/**
 * `backendsOf`: reuse that app's backends (behind fresh fault switches), as a restarted process
 * finds the platform its predecessor left; give the same `databaseFile` for its database too.
 */
export async function createLifecycleApp(
  env: Record<string, string> = {},
  databaseFile?: string,
  backendsOf?: LifecycleApp,
): Promise<LifecycleApp> {
  const git = backendsOf?.git ?? new MemoryGitHost({ users: ['alice', 'bob'] });
  const dns = backendsOf?.dns ?? createMemoryDnsProvider('example.test');
  const ci = backendsOf?.ci ?? new MemoryCiServer();
  const registry = backendsOf?.registry ?? new MemoryImageRegistry();
  const deployer = backendsOf?.deployer ?? new MemoryDeployer({ registry });
  const wrapped = {
    git: withFaults(git, 'gitea'),
    dns: withFaults(dns, 'dns'),
    ci: withFaults(ci, 'woodpecker'),
    deployer: withFaults(deployer, 'kubernetes'),
  };
  const factory =
    <T>(provider: string, port: T) =>
    () => ({ provider, endpoint: null, build: () => Promise.resolve(port) });
  const factories: Partial<AdapterFactories> = {
    git: factory('memory', wrapped.git.port),
    dns: factory('memory', wrapped.dns.port),
    ci: factory('memory', wrapped.ci.port),
    deployer: factory('memory', wrapped.deployer.port),
    registry: factory('memory', registry),
  };
  const app = await createTestApp({
    env: {
      THREESIX_COLLABORATORS: 'alice:admin,bob',
      THREESIX_DEPLOY_KEY: SSH_KEY,
      THREESIX_PUBLIC_URL: 'https://mcp.example.test',
      REGISTRY_URL: 'registry.example.test:5000',
      ...env,
    },
    factories,
    databaseFile,
  });
  return {
    app,
    git,
    dns,
    ci,
    deployer,
    registry,
    faults: {
      git: wrapped.git.faults,
      dns: wrapped.dns.faults,
      ci: wrapped.ci.faults,
      deployer: wrapped.deployer.faults,
    },
  };
}
