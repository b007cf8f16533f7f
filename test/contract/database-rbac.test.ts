/**
 * The database half of the Kubernetes deployer with exactly the rights the production manifests
 * grant (the stand-in authorizes every call against the Role in
 * deployments/k8s/base/threesix-rbac.yaml), and the app deploys of a Role without them.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { KubernetesDeployer } from '../../src/adapters/kubernetes/kubernetes-deployer.js';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import type { PolicyRule } from '../../src/sandbox/kubernetes/kube-rbac.js';
import { eventually } from '../support/eventually.js';
import { startCheckedKubernetes, type CheckedKubernetes } from '../support/kubernetes.js';
import { tempDir } from '../support/test-app.js';

const role = parseAllDocuments(readFileSync('deployments/k8s/base/threesix-rbac.yaml', 'utf8'))
  .map((d) => d.toJSON() as { kind: string; metadata: { name: string; namespace: string }; rules?: PolicyRule[] })
  .find((d) => d.kind === 'Role' && d.metadata.name === 'threesix-deployer')!;
const IMAGE = 'registry.test/threesix/app@sha256:' + 'b'.repeat(64);

describe("database Clusters under the manifests' Role (stand-in with RBAC)", () => {
  let cluster: CheckedKubernetes | undefined;
  afterEach(async () => {
    if (cluster) expect(cluster.spec.takeViolations()).toEqual([]);
    await cluster?.stop();
    cluster = undefined;
  });
  const start = async (rules: PolicyRule[]) => {
    cluster = await startCheckedKubernetes({
      dataDir: tempDir(),
      tickMs: 20,
      postgres: null,
      rbac: { namespace: role.metadata.namespace, rules, user: 'system:serviceaccount:threesix:threesix' },
    });
    cluster.store.create(
      RESOURCES.namespaces,
      '',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: role.metadata.namespace } },
      'kubectl',
    );
    return new KubernetesDeployer({
      kubeconfig: cluster.kubeconfig,
      namespace: role.metadata.namespace,
      ingressClass: 'traefik',
      tlsIssuer: 'le',
      tlsIssuerKind: 'Issuer',
      tlsSecret: undefined,
      resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
    });
  };

  it('creates, reads, lists and deletes a project database, and wires the app to it', async () => {
    const d = await start(role.rules!);
    await d.applyDatabase({
      project: 'rbac',
      size: '1Gi',
      version: null,
      instances: 1,
      backup: {
        destinationPath: 's3://b/p',
        endpointUrl: null,
        credentialsSecret: 'bk',
        schedule: '0 0 3 * * *',
        retention: '7d',
      },
    });
    await eventually(async () => expect((await d.databaseStatus('rbac')).ready).toBe(true));
    await d.apply({ project: 'rbac', image: IMAGE, port: 3000, replicas: 1, env: {}, hosts: ['rbac.example.test'] });
    const env =
      cluster!.store.get(RESOURCES.deployments, 'projects', 'rbac').spec.template.spec.containers[0]!.env ?? [];
    expect(env.map((e) => e.name)).toContain('DATABASE_URL');
    expect(await d.listDatabases()).toEqual([{ name: 'rbac-db', project: 'rbac' }]);
    expect((await d.removeDatabase('rbac')).removed).toEqual(['ScheduledBackup/rbac-db', 'Cluster/rbac-db']);
  });

  it('still deploys apps under a Role without Cluster rights (no CloudNativePG), and create_database says what is missing', async () => {
    const d = await start(role.rules!.filter((rule) => !rule.apiGroups?.includes('postgresql.cnpg.io')));
    await d.apply({ project: 'plain', image: IMAGE, port: 3000, replicas: 1, env: {}, hosts: ['plain.example.test'] });
    expect(
      cluster!.store.get(RESOURCES.deployments, 'projects', 'plain').spec.template.spec.containers[0]!.env,
    ).toEqual([]);
    await expect(
      d.applyDatabase({ project: 'plain', size: '1Gi', version: null, instances: 1, backup: null }),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});
