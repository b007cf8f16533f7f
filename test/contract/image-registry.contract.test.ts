import { afterAll, beforeAll, describe, expect } from 'vitest';
import { MemoryImageRegistry } from '../../src/adapters/memory/memory-image-registry.js';
import { OciImageRegistry } from '../../src/adapters/registry/oci-image-registry.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { DOCKER_REGISTRY_PRESENT, startRealRegistry } from '../support/real-registry.js';
import { startCheckedRegistry, type CheckedRegistry } from '../support/registry-stand-in.js';
import { describeImageRegistryContract } from './image-registry.contract.js';

describeImageRegistryContract('memory', () => {
  const registry = new MemoryImageRegistry();
  return { registry, push: (repo, tag, content) => registry.push(repo, tag, content) };
});

describe('OCI adapter + registry stand-in', () => {
  let served: CheckedRegistry;
  beforeAll(async () => {
    served = await startCheckedRegistry();
  });
  afterAll(async () => {
    await served.close();
    // Every exchange (the adapter's reads and pushImage's pushes) held to the OCI distribution spec.
    expect(served.spec.observed()).toBeGreaterThan(0);
    expect(served.spec.violations()).toEqual([]);
  });
  describeImageRegistryContract('OCI adapter + stand-in', () => ({
    registry: new OciImageRegistry({ url: served.url }),
    push: (repo, tag, content) => pushImage(served.url, repo, tag, content),
  }));
});

describe.skipIf(!DOCKER_REGISTRY_PRESENT)('OCI adapter + real docker-registry', () => {
  let real: { url: string; stop(): Promise<void> };
  beforeAll(async () => {
    real = await startRealRegistry();
  }, 15_000);
  afterAll(() => real?.stop());
  describeImageRegistryContract('OCI adapter + real docker-registry', () => ({
    registry: new OciImageRegistry({ url: real.url }),
    push: (repo, tag, content) => pushImage(real.url, repo, tag, content),
  }));
});
