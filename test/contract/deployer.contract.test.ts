import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { KubernetesDeployer } from '../../src/adapters/kubernetes/kubernetes-deployer.js';
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import { MemoryImageRegistry } from '../../src/adapters/memory/memory-image-registry.js';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { startCheckedKubernetes, type CheckedKubernetes } from '../support/kubernetes.js';
import { startCheckedRegistry, type CheckedRegistry } from '../support/registry-stand-in.js';
import { tempDir } from '../support/test-app.js';
import { describeDeployerContract } from './deployer.contract.js';

const MISSING = '@sha256:' + '0'.repeat(64);
const settings = (namespace: string) => ({
  namespace,
  ingressClass: 'traefik',
  tlsIssuer: 'letsencrypt-threesix',
  tlsIssuerKind: 'Issuer' as const,
  tlsSecret: undefined,
  resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
});

describeDeployerContract('memory', () => {
  const registry = new MemoryImageRegistry();
  const deployer = new MemoryDeployer({ registry, rolloutPolls: 1 });
  return {
    deployer,
    image: (tag) => `${registry.host}/threesix/app@${registry.push('threesix/app', tag)}`,
    missingImage: `${registry.host}/threesix/app${MISSING}`,
    settleMs: 1000,
    logsEchoEnv: true,
    makeForeign: (kind, name, hosts) => deployer.addForeign(kind, name, hosts),
  };
});

/** An object as someone else's tooling would make it: no threesix labels. */
function foreignObject(kind: 'Deployment' | 'Ingress', name: string, hosts: string[] = []) {
  const labels = { app: name };
  if (kind === 'Ingress') {
    const backend = { service: { name, port: { number: 80 } } };
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind,
      metadata: { name, labels },
      spec: { rules: hosts.map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } })) },
    };
  }
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, labels },
    spec: {
      replicas: 0,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
    },
  };
}

describe('Kubernetes adapter + stand-in (spec-validated)', () => {
  let registry: CheckedRegistry;
  let cluster: CheckedKubernetes;
  beforeAll(async () => {
    registry = await startCheckedRegistry();
    cluster = await startCheckedKubernetes({
      dataDir: tempDir(),
      registryUrl: registry.url,
      startDelayMs: 100,
      tickMs: 25,
    });
  });
  afterAll(async () => {
    // Proves the validation ran: every Deployment, Service, Ingress and Secret apply was checked.
    if (cluster?.spec.enabled) expect(cluster.spec.appliedObjects()).toBeGreaterThan(10);
    await cluster?.stop();
    await registry?.close();
  });
  afterEach(() => {
    expect([...cluster.spec.takeViolations(), ...registry.spec.takeViolations()]).toEqual([]);
  });
  const host = () => registry.url.replace('http://', '');
  describeDeployerContract('Kubernetes adapter + stand-in', () => ({
    deployer: new KubernetesDeployer({ kubeconfig: cluster.kubeconfig, ...settings('projects') }),
    image: async (tag) => `${host()}/threesix/app@${await pushImage(registry.url, 'threesix/app', tag)}`,
    missingImage: `${host()}/threesix/app${MISSING}`,
    settleMs: 5000,
    logsEchoEnv: true,
    makeForeign: (kind, name, hosts) => {
      cluster.store.create(
        kind === 'Ingress' ? RESOURCES.ingresses : RESOURCES.deployments,
        'projects',
        foreignObject(kind, name, hosts),
      );
    },
  }));
});

const realKubeconfig = process.env.THREESIX_TEST_KUBECONFIG;
const realImage = process.env.THREESIX_TEST_IMAGE;
if (!realKubeconfig)
  process.stderr.write(
    '\n[threesix tests] NOTE: THREESIX_TEST_KUBECONFIG is not set; the real-cluster Deployer contract run is SKIPPED.\n\n',
  );
describe.skipIf(!realKubeconfig || !realImage)(
  'Kubernetes adapter + real cluster (THREESIX_TEST_KUBECONFIG, THREESIX_TEST_IMAGE)',
  () => {
    describeDeployerContract('Kubernetes adapter + real cluster', () => ({
      deployer: new KubernetesDeployer({
        kubeconfig: realKubeconfig,
        ...settings(process.env.THREESIX_TEST_NAMESPACE ?? 'threesix-contract'),
      }),
      image: () => realImage!,
      missingImage: `${realImage!.split(/[@:]/)[0]}${MISSING}`,
      settleMs: 120_000,
      logsEchoEnv: false,
    }));
  },
);
