/**
 * Kubernetes-specific behaviour beyond the port contract: ownership checks, server-side-apply
 * conflicts, TLS choices, RBAC diagnosis, crash loops and Status errors, all against the stand-in
 * with every exchange validated against the Kubernetes OpenAPI documents.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  KubernetesDeployer,
  type KubernetesDeployerOptions,
} from '../../src/adapters/kubernetes/kubernetes-deployer.js';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { eventually } from '../support/eventually.js';
import { fieldAt, startCheckedKubernetes, type CheckedKubernetes } from '../support/kubernetes.js';
import { startCheckedRegistry, type CheckedRegistry } from '../support/registry-stand-in.js';
import { tempDir } from '../support/test-app.js';

describe('Kubernetes deployer specifics (stand-in)', () => {
  let registry: CheckedRegistry;
  let cluster: CheckedKubernetes;
  let image: string;
  const make = (extra: Partial<KubernetesDeployerOptions> = {}) =>
    new KubernetesDeployer({
      kubeconfig: cluster.kubeconfig,
      namespace: 'projects',
      ingressClass: 'traefik',
      tlsIssuer: 'le',
      tlsIssuerKind: 'Issuer',
      tlsSecret: undefined,
      resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
      ...extra,
    });
  const spec = (project: string) => ({
    project,
    image,
    port: 3000,
    replicas: 1,
    env: {},
    secrets: {},
    hosts: [`${project}.example.test`],
  });

  beforeAll(async () => {
    registry = await startCheckedRegistry();
    cluster = await startCheckedKubernetes({
      dataDir: tempDir(),
      registryUrl: registry.url,
      startDelayMs: 50,
      tickMs: 20,
    });
    image = `${registry.url.replace('http://', '')}/threesix/k@${await pushImage(registry.url, 'threesix/k', 'v1')}`;
  });
  afterAll(async () => {
    await cluster?.stop();
    await registry?.close();
  });
  afterEach(() => expect([...cluster.spec.takeViolations(), ...registry.spec.takeViolations()]).toEqual([]));

  it('lists nothing, without failing, while the namespace does not exist yet', async () => {
    expect(await make({ namespace: 'not-yet' }).listManaged()).toEqual([]);
  });

  it('creates the namespace, limits resources, points the Service at the port and asks cert-manager for TLS', async () => {
    await make().apply(spec('shape'));
    expect(cluster.store.get(RESOURCES.namespaces, '', 'projects').metadata.name).toBe('projects');
    const container = cluster.store.get(RESOURCES.deployments, 'projects', 'shape').spec.template.spec.containers[0];
    expect(fieldAt(container, 'resources')).toEqual({
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    expect(container?.ports?.[0]?.containerPort).toBe(3000);
    expect(fieldAt(cluster.store.get(RESOURCES.services, 'projects', 'shape'), 'spec', 'ports', 0)).toMatchObject({
      port: 80,
      targetPort: 'http',
    });
    const ingress = cluster.store.get(RESOURCES.ingresses, 'projects', 'shape');
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/issuer': 'le' });
    expect(ingress.spec).toMatchObject({
      ingressClassName: 'traefik',
      tls: [{ hosts: ['shape.example.test'], secretName: 'shape-tls' }],
    });
    await make({ tlsIssuerKind: 'ClusterIssuer' }).setHosts('shape', ['shape.example.test']);
    expect(cluster.store.get(RESOURCES.ingresses, 'projects', 'shape').metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'le',
    });
    await make({ tlsSecret: 'wildcard-tls' }).setHosts('shape', ['shape.example.test']);
    const wildcard = cluster.store.get(RESOURCES.ingresses, 'projects', 'shape');
    expect(wildcard.metadata.annotations ?? {}).toEqual({});
    expect(fieldAt(wildcard, 'spec', 'tls', 0, 'secretName')).toBe('wildcard-tls');
    await make().remove('shape');
  });

  it('refuses to touch an object of the same name that is not ours, and never deletes it', async () => {
    await make().apply(spec('probe-ns'));
    cluster.store.create(
      RESOURCES.services,
      'projects',
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'taken' }, spec: { ports: [{ port: 1 }] } },
      'kubectl',
    );
    cluster.store.create(
      RESOURCES.secrets,
      'projects',
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'taken-env' }, data: {} },
      'kubectl',
    );
    await expect(make().apply(spec('taken'))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(cluster.store.find(RESOURCES.deployments, 'projects', 'taken')).toBeUndefined();
    expect(fieldAt(cluster.store.get(RESOURCES.services, 'projects', 'taken'), 'spec', 'ports', 0, 'port')).toBe(1);
    await expect(make().scale('taken', 2)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await make().remove('taken')).removed).toEqual([]);
    expect(cluster.store.find(RESOURCES.secrets, 'projects', 'taken-env')).toBeDefined();
    await make().remove('probe-ns');
  });

  it('does not take over an Ingress of the same name that is not ours when setting hosts', async () => {
    await make().apply(spec('hosty'));
    cluster.store.delete(RESOURCES.ingresses, 'projects', 'hosty');
    const foreign = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'hosty' },
      spec: { rules: [{ host: 'theirs.example.test' }] },
    };
    cluster.store.create(RESOURCES.ingresses, 'projects', foreign, 'kubectl');
    await expect(make().setHosts('hosty', ['hosty.example.test', 'shop.example.org'])).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(fieldAt(cluster.store.get(RESOURCES.ingresses, 'projects', 'hosty'), 'spec', 'rules')).toEqual([
      { host: 'theirs.example.test' },
    ]);
    await make().remove('hosty');
    expect(cluster.store.find(RESOURCES.ingresses, 'projects', 'hosty')).toBeDefined();
    cluster.store.delete(RESOURCES.ingresses, 'projects', 'hosty');
  });

  it('re-applies, scales and restarts a project whose name ends in -env, next to the project whose env Secret has that name', async () => {
    await make().apply({ ...spec('web'), secrets: { TOKEN: 'web-token-value' } });
    await make().apply(spec('web-env'));
    // Ownership used to be checked against the name minus "-env", so a second apply was refused.
    await make().apply({ ...spec('web-env'), replicas: 2 });
    await make().scale('web-env', 1);
    await make().restart('web-env');
    expect(cluster.store.get(RESOURCES.deployments, 'projects', 'web-env').spec.replicas).toBe(1);
    expect((await make().remove('web-env')).removed).not.toContain('Secret/web-env');
    expect(cluster.store.find(RESOURCES.secrets, 'projects', 'web-env')).toBeDefined();
    await make().remove('web');
  });

  it('keeps secret values out of the Deployment: its roll-the-pods hash is keyed, so a guess cannot be confirmed', async () => {
    const secrets = { PIN: '4711' };
    await make().apply({ ...spec('keyed'), secrets });
    const deployment = () => cluster.store.get(RESOURCES.deployments, 'projects', 'keyed');
    const hash = deployment().spec.template.metadata?.annotations?.['threesix.ai/secret-hash'];
    const guessed = createHash('sha256')
      .update(JSON.stringify([['PIN', '4711']]))
      .digest('hex')
      .slice(0, 16);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(hash).not.toBe(guessed);
    const text = JSON.stringify(deployment());
    expect(text).not.toContain('4711');
    expect(text).not.toContain(Buffer.from('4711').toString('base64'));
    await make().apply({ ...spec('keyed'), secrets }); // same values: same hash, no pod roll
    expect(deployment().spec.template.metadata?.annotations?.['threesix.ai/secret-hash']).toBe(hash);
    await make().apply({ ...spec('keyed'), secrets: { PIN: '4712' } });
    expect(deployment().spec.template.metadata?.annotations?.['threesix.ai/secret-hash']).not.toBe(hash);
    await make().remove('keyed');
  });

  it('removes the cert-manager TLS secret of the project and nothing else', async () => {
    await make().apply(spec('tls'));
    cluster.store.create(
      RESOURCES.secrets,
      'projects',
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'tls-tls', annotations: { 'cert-manager.io/certificate-name': 'tls-tls' } },
        type: 'kubernetes.io/tls',
        data: {},
      },
      'cert-manager',
    );
    const { removed } = await make().remove('tls');
    expect(removed).toContain('Secret/tls-tls');
    expect(cluster.store.find(RESOURCES.secrets, 'projects', 'tls-tls')).toBeUndefined();
  });

  it('answers a server-side-apply field conflict with 409 FieldManagerConflict unless forced', async () => {
    const token = (
      JSON.parse(readFileSync(cluster.kubeconfig, 'utf8')) as { users: Array<{ user: { token: string } }> }
    ).users[0]!.user.token;
    const url = `${cluster.url}/api/v1/namespaces/projects/services/ssa`;
    const body = (port: number) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'ssa', namespace: 'projects' },
        spec: { ports: [{ port }] },
      });
    const apply = (manager: string, port: number, force = false) =>
      fetch(`${url}?fieldManager=${manager}${force ? '&force=true' : ''}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/apply-patch+yaml' },
        body: body(port),
      });
    expect((await apply('alice', 80)).status).toBe(201);
    const conflict = await apply('bob', 81);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', field: '.spec.ports' }] },
    });
    expect((await apply('bob', 81, true)).status).toBe(200);
    expect(fieldAt(cluster.store.get(RESOURCES.services, 'projects', 'ssa'), 'spec', 'ports', 0, 'port')).toBe(81);
    const missing = await fetch(`${cluster.url}/apis/apps/v1/namespaces/projects/deployments/nope`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(await missing.json()).toMatchObject({
      kind: 'Status',
      code: 404,
      reason: 'NotFound',
      message: 'deployments.apps "nope" not found',
    });
  });

  it("shows a crash loop with restarts and the crashed container's logs", async () => {
    cluster.setCrashLoop('crashy', true);
    await make().apply(spec('crashy'));
    const status = await eventually(async () => {
      const s = await make().status('crashy');
      expect(s.pods[0]).toMatchObject({ reason: 'CrashLoopBackOff' });
      expect(s.pods[0]!.restarts).toBeGreaterThan(0);
      // The kubelet records BackOff on the second failed start, not the first: wait for it too.
      expect(s.events.some((e) => e.reason === 'BackOff')).toBe(true);
      return s;
    }, 5000);
    expect(status.pods[0]).toMatchObject({ reason: 'CrashLoopBackOff' });
    expect(await make().logs('crashy', { tail: 5, previous: true })).toContain('panic');
    cluster.setCrashLoop('crashy', false);
    await make().remove('crashy');
  });

  it('returns the newest log lines when the tail is larger than 64 KiB, secrets redacted', async () => {
    const big = 'x'.repeat(30 * 1024);
    await make().apply({
      ...spec('chatty'),
      env: { A: big, B: big, C: big },
      secrets: { TOKEN: 'chatty-token-value' },
    });
    const text = await eventually(async () => {
      const t = await make().logs('chatty', { tail: 2000 });
      expect(t).toContain('listening');
      return t;
    }, 3000);
    // The API's limitBytes cuts from the start of the tail; at 64 KiB it used to drop these last lines.
    expect(text.trimEnd().endsWith('GET / 200 1.2ms')).toBe(true);
    expect(text).toContain('TOKEN=[REDACTED]');
    expect(text).not.toContain('chatty-token-value');
    await make().remove('chatty');
  });

  it('diagnoses RBAC with SelfSubjectAccessReview and maps 401 to PERMISSION_DENIED', async () => {
    cluster.deny('delete secrets');
    cluster.deny('list replicasets');
    const rows = await make().diagnose();
    expect(rows.find((r) => r.check === 'rbac secrets')).toMatchObject({ ok: false, detail: 'denied: delete' });
    // Without it every status read fails: the rollout's pods are found through the newest ReplicaSet.
    expect(rows.find((r) => r.check === 'rbac replicasets')).toMatchObject({ ok: false, detail: 'denied: list' });
    expect(rows.find((r) => r.check === 'rbac deployments')?.ok).toBe(true);
    const bad = `${tempDir()}/kubeconfig`;
    writeFileSync(bad, readFileSync(cluster.kubeconfig, 'utf8').replace(/"token":"[^"]+"/, '"token":"wrong"'));
    await expect(make({ kubeconfig: bad }).status('x')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});
