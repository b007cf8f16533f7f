import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { KubernetesDeployer } from '../../src/adapters/kubernetes/kubernetes-deployer.js';
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import { MemoryImageRegistry } from '../../src/adapters/memory/memory-image-registry.js';
import { startKubernetesStandIn, type RunningKubernetes } from '../../src/sandbox/kubernetes/kubernetes-stand-in.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { createRegistryApp } from '../../src/sandbox/registry/registry-app.js';
import { serveStandIn, type ServedStandIn } from '../../src/sandbox/serve-stand-in.js';
import { KubeSpecValidator } from '../support/kube-spec.js';
import { SPECS_PRESENT } from '../support/specs.js';
import { tempDir } from '../support/test-app.js';
import { describeDeployerContract } from './deployer.contract.js';

const MISSING = '@sha256:' + '0'.repeat(64);
const settings = (namespace: string) => ({
  namespace, ingressClass: 'traefik', tlsIssuer: 'letsencrypt-threesix', tlsIssuerKind: 'Issuer' as const, tlsSecret: undefined,
  resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
});

describeDeployerContract('memory', async () => {
  const registry = new MemoryImageRegistry();
  return {
    deployer: new MemoryDeployer({ registry, rolloutPolls: 1 }),
    image: async tag => `${registry.host}/threesix/app@${registry.push('threesix/app', tag)}`,
    missingImage: `${registry.host}/threesix/app${MISSING}`,
    settleMs: 1000,
    logsEchoEnv: true,
  };
});

describe.skipIf(!SPECS_PRESENT)('Kubernetes adapter + stand-in (spec-validated)', () => {
  let registry: ServedStandIn;
  let cluster: RunningKubernetes;
  const validator = new KubeSpecValidator();
  beforeAll(async () => {
    registry = await serveStandIn(createRegistryApp());
    cluster = await startKubernetesStandIn({ dataDir: tempDir(), registryUrl: registry.url, observer: validator.check, startDelayMs: 100, tickMs: 25 });
  });
  afterAll(async () => {
    // Proves the validation ran: every Deployment, Service, Ingress and Secret apply was checked.
    expect(validator.appliedObjects).toBeGreaterThan(10);
    await cluster?.stop();
    await registry?.close();
  });
  afterEach(() => {
    expect(validator.violations).toEqual([]);
  });
  const host = () => registry.url.replace('http://', '');
  describeDeployerContract('Kubernetes adapter + stand-in', async () => ({
    deployer: new KubernetesDeployer({ kubeconfig: cluster.kubeconfig, ...settings('projects') }),
    image: async tag => `${host()}/threesix/app@${await pushImage(registry.url, 'threesix/app', tag)}`,
    missingImage: `${host()}/threesix/app${MISSING}`,
    settleMs: 5000,
    logsEchoEnv: true,
  }));
});

const realKubeconfig = process.env.THREESIX_TEST_KUBECONFIG;
const realImage = process.env.THREESIX_TEST_IMAGE;
if (!realKubeconfig) process.stderr.write('\n[threesix tests] NOTE: THREESIX_TEST_KUBECONFIG is not set; the real-cluster Deployer contract run is SKIPPED.\n\n');
describe.skipIf(!realKubeconfig || !realImage)('Kubernetes adapter + real cluster (THREESIX_TEST_KUBECONFIG, THREESIX_TEST_IMAGE)', () => {
  describeDeployerContract('Kubernetes adapter + real cluster', async () => ({
    deployer: new KubernetesDeployer({ kubeconfig: realKubeconfig, ...settings(process.env.THREESIX_TEST_NAMESPACE ?? 'threesix-contract') }),
    image: async () => realImage!,
    missingImage: `${realImage!.split(/[@:]/)[0]}${MISSING}`,
    settleMs: 120_000,
    logsEchoEnv: false,
  }));
});
