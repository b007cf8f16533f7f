/**
 * A test app whose deployer and registry are the memory adapters (linked, so an image the registry
 * lacks fails to pull), with the project "shop" seeded as create_project leaves it.
 */
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import { MemoryImageRegistry } from '../../src/adapters/memory/memory-image-registry.js';
import { seedProject } from './seed-project.js';
import { createTestApp } from './test-app.js';

export async function memoryDeployApp(options: { rolloutPolls?: number; env?: Record<string, string> } = {}) {
  const registry = new MemoryImageRegistry();
  const deployer = new MemoryDeployer({ registry, rolloutPolls: options.rolloutPolls ?? 0 });
  const app = await createTestApp({
    env: { REGISTRY_URL: `http://${registry.host}`, THREESIX_DEPLOY_WAIT_S: '2', ...options.env },
    factories: {
      deployer: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(deployer) }),
      registry: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(registry) }),
    },
  });
  await seedProject(app, 'shop');
  const image = (tag: string) => `${registry.host}/threesix/shop:${tag}`;
  return { app, registry, deployer, image };
}
