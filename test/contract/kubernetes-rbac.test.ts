/**
 * The Kubernetes deployer with exactly the rights the production manifests grant: the stand-in
 * authorizes every call against the Role in deployments/k8s/base/threesix-rbac.yaml, bound in the
 * projects namespace (which the manifests create), as the API server does for threesix's
 * ServiceAccount. The plain sandbox allows everything, like a cluster-admin kubeconfig.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesDeployer } from '../../src/adapters/kubernetes/kubernetes-deployer.js';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import type { PolicyRule } from '../../src/sandbox/kubernetes/kube-rbac.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { eventually } from '../support/eventually.js';
import { startCheckedKubernetes, type CheckedKubernetes } from '../support/kubernetes.js';
import { startCheckedRegistry, type CheckedRegistry } from '../support/registry-stand-in.js';
import { tempDir } from '../support/test-app.js';

interface Doc {
  kind: string;
  metadata: { name: string; namespace: string };
  rules?: PolicyRule[];
}

const manifests = parseAllDocuments(readFileSync('deployments/k8s/base/threesix-rbac.yaml', 'utf8')).map(
  (d) => d.toJSON() as Doc,
);
const role = manifests.find((d) => d.kind === 'Role' && d.metadata.name === 'threesix-deployer')!;

describe("Kubernetes deployer under the manifests' Role (stand-in with RBAC)", () => {
  let registry: CheckedRegistry;
  let cluster: CheckedKubernetes;
  let image: string;
  const deployer = () =>
    new KubernetesDeployer({
      kubeconfig: cluster.kubeconfig,
      namespace: role.metadata.namespace,
      ingressClass: 'traefik',
      tlsIssuer: 'le',
      tlsIssuerKind: 'Issuer',
      tlsSecret: undefined,
      resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
    });

  beforeAll(async () => {
    registry = await startCheckedRegistry();
    cluster = await startCheckedKubernetes({
      dataDir: tempDir(),
      registryUrl: registry.url,
      startDelayMs: 50,
      tickMs: 20,
      rbac: { namespace: role.metadata.namespace, rules: role.rules!, user: 'system:serviceaccount:threesix:threesix' },
    });
    // The manifests create the namespace (namespaces.yaml); threesix may not.
    cluster.store.create(
      RESOURCES.namespaces,
      '',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: role.metadata.namespace } },
      'kubectl',
    );
    image = `${registry.url.replace('http://', '')}/threesix/r@${await pushImage(registry.url, 'threesix/r', 'v1')}`;
  });
  afterAll(async () => {
    await cluster?.stop();
    await registry?.close();
  });
  afterEach(() => expect([...cluster.spec.takeViolations(), ...registry.spec.takeViolations()]).toEqual([]));

  it('the stand-in refuses what the Role does not grant, as the API server would', async () => {
    const kubeconfig = JSON.parse(readFileSync(cluster.kubeconfig, 'utf8')) as {
      users: Array<{ user: { token: string } }>;
    };
    const auth = { authorization: `Bearer ${kubeconfig.users[0]!.user.token}` };
    const forbidden = await fetch(`${cluster.url}/api/v1/namespaces`, { headers: auth });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect((await fetch(`${cluster.url}/api/v1/namespaces/default/secrets`, { headers: auth })).status).toBe(403);
    expect((await fetch(`${cluster.url}/api/v1/namespaces/projects/secrets`, { headers: auth })).status).toBe(200);
  });

  it('passes its readiness probe and every doctor RBAC row', async () => {
    await expect(deployer().probe()).resolves.toBeUndefined();
    const checks = await deployer().diagnose();
    expect(checks.filter((check) => !check.ok)).toEqual([]);
  });

  it('deploys, reports, scales, restarts, serves logs, sets hosts and removes a project', async () => {
    const d = deployer();
    await d.apply({
      project: 'rbac',
      image,
      port: 3000,
      replicas: 1,
      env: {},
      secrets: { API_KEY: 'k' },
      hosts: ['rbac.example.test'],
    });
    await eventually(async () => expect((await d.status('rbac')).readyReplicas).toBe(1));
    await d.scale('rbac', 2);
    await d.restart('rbac');
    await d.setHosts('rbac', ['rbac.example.test', 'www.rbac.example.test']);
    expect(typeof (await d.logs('rbac', { tail: 10 }))).toBe('string');
    expect((await d.listManaged()).map((w) => w.project)).toEqual(['rbac']);
    // The claim checks read every Ingress in the namespace and the objects named for a project.
    expect(await d.hostsInUse()).toContainEqual({ host: 'www.rbac.example.test', ingress: 'rbac', project: 'rbac' });
    expect(await d.foreignObjects('rbac')).toEqual([]);
    expect((await d.remove('rbac')).removed.length).toBeGreaterThan(0);
  });
});
