/**
 * The Kubernetes deployer's live log and usage readings against the stand-in, under exactly the
 * Role the production manifests grant: `followLogs` streams `pods/{pod}/log?follow=true` (lines
 * arrive while the pod writes them, and aborting closes the HTTP stream), and `usage` sums the
 * metrics API's pod metrics per project, values that move over time.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesDeployer } from '../../src/adapters/kubernetes/kubernetes-deployer.js';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import type { PolicyRule } from '../../src/sandbox/kubernetes/kube-rbac.js';
import { usageAt } from '../../src/sandbox/kubernetes/kube-metrics.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { eventually } from '../support/eventually.js';
import { startCheckedKubernetes, type CheckedKubernetes } from '../support/kubernetes.js';
import { startCheckedRegistry, type CheckedRegistry } from '../support/registry-stand-in.js';
import { tempDir } from '../support/test-app.js';

const role = parseAllDocuments(readFileSync('deployments/k8s/base/threesix-rbac.yaml', 'utf8'))
  .map((d) => d.toJSON() as { kind: string; metadata: { name: string; namespace: string }; rules?: PolicyRule[] })
  .find((d) => d.kind === 'Role' && d.metadata.name === 'threesix-deployer')!;

describe("Kubernetes deployer: followed logs and usage (stand-in, manifests' Role)", () => {
  let registry: CheckedRegistry;
  let cluster: CheckedKubernetes;
  let image: string;
  let deployer: KubernetesDeployer;
  const ns = role.metadata.namespace;

  beforeAll(async () => {
    registry = await startCheckedRegistry();
    cluster = await startCheckedKubernetes({
      dataDir: tempDir(),
      registryUrl: registry.url,
      startDelayMs: 50,
      tickMs: 20,
      rbac: { namespace: ns, rules: role.rules!, user: 'system:serviceaccount:threesix:threesix' },
    });
    cluster.store.create(
      RESOURCES.namespaces,
      '',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      'kubectl',
    );
    image = `${registry.url.replace('http://', '')}/threesix/f@${await pushImage(registry.url, 'threesix/f', 'v1')}`;
    deployer = new KubernetesDeployer({
      kubeconfig: cluster.kubeconfig,
      namespace: ns,
      ingressClass: 'traefik',
      tlsIssuer: 'le',
      tlsIssuerKind: 'Issuer',
      tlsSecret: undefined,
      resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
    });
    for (const project of ['alpha', 'beta']) {
      await deployer.apply({
        project,
        image,
        port: 3000,
        replicas: project === 'alpha' ? 2 : 1,
        env: {},
        secrets: { API_KEY: 'sekret-value-42' },
        hosts: [`${project}.example.test`],
      });
    }
    await eventually(async () => expect((await deployer.status('alpha')).readyReplicas).toBe(2), 10_000);
    await eventually(async () => expect((await deployer.status('beta')).readyReplicas).toBe(1), 10_000);
  }, 30_000);
  afterAll(async () => {
    await cluster?.stop();
    await registry?.close();
  });
  afterEach(() => expect([...cluster.spec.takeViolations(), ...registry.spec.takeViolations()]).toEqual([]));

  it('follows the log: the tail first, then lines while the pod writes them, secrets redacted, until aborted', async () => {
    const arrivals: Array<{ at: number; text: string }> = [];
    const abort = new AbortController();
    const started = Date.now();
    const following = deployer.followLogs('beta', {
      tail: 50,
      signal: abort.signal,
      onText: (text) => arrivals.push({ at: Date.now() - started, text }),
    });
    await eventually(
      () => expect(arrivals.filter((a) => a.text.includes('GET /?n=')).length).toBeGreaterThanOrEqual(3),
      5000,
    );
    abort.abort();
    await following;
    const text = arrivals.map((a) => a.text).join('');
    expect(text).toMatch(/^==> pod beta-[a-z0-9-]+ <==\nstarting /);
    expect(text).toContain('env API_KEY=[REDACTED]');
    expect(text).not.toContain('sekret-value-42');
    // Lines came in over time, not in one answer at the end.
    const requestLines = arrivals.filter((a) => a.text.includes('GET /?n='));
    expect(requestLines.at(-1)!.at - requestLines[0]!.at).toBeGreaterThanOrEqual(300);
    for (const a of arrivals) expect(a.text.endsWith('\n')).toBe(true);
    // Aborted: nothing more arrives.
    const count = arrivals.length;
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(arrivals.length).toBe(count);
  });

  it('ends the follow when the container stops (the pod is deleted)', async () => {
    const abort = new AbortController();
    const texts: string[] = [];
    const following = deployer.followLogs('alpha', {
      tail: 5,
      signal: abort.signal,
      onText: (text) => texts.push(text),
    });
    await eventually(() => expect(texts.join('')).toContain('GET /?n=1 '), 5000);
    const podName = /==> pod (\S+) <==/.exec(texts.join(''))![1]!;
    cluster.store.delete(RESOURCES.pods, ns, podName);
    await following; // resolves without the abort
    expect(abort.signal.aborted).toBe(false);
  }, 10_000);

  it('sums the metrics API per project (pods by our label), with values that change over time', async () => {
    await eventually(async () => expect((await deployer.status('alpha')).readyReplicas).toBe(2), 10_000);
    const first = await deployer.usage();
    expect(first.map((u) => [u.project, u.pods])).toEqual([
      ['alpha', 2],
      ['beta', 1],
    ]);
    for (const u of first) {
      expect(u.cpuMillicores).toBeGreaterThan(0);
      expect(u.memoryBytes).toBeGreaterThan(8 * 1024 ** 2);
      expect(u.restarts).toBe(0);
    }
    // The stand-in's figures for beta's one pod, read at about the same time.
    const betaPod = cluster.store.list(RESOURCES.pods, ns, { 'threesix.ai/project': 'beta' })[0]!;
    expect(first[1]!.cpuMillicores).toBeCloseTo(usageAt(betaPod.metadata.name, Date.now()).cpuNanocores / 1e6, -1);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const later = await deployer.usage();
    expect(later.map((u) => u.cpuMillicores)).not.toEqual(first.map((u) => u.cpuMillicores));
  });

  it('serves PodMetrics only for running pods, filtered by label selector, as metrics-server does', async () => {
    const kubeconfig = JSON.parse(readFileSync(cluster.kubeconfig, 'utf8')) as {
      users: Array<{ user: { token: string } }>;
    };
    const auth = { authorization: `Bearer ${kubeconfig.users[0]!.user.token}` };
    const list = (await (
      await fetch(
        `${cluster.url}/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods?labelSelector=threesix.ai/project=beta`,
        { headers: auth },
      )
    ).json()) as {
      kind: string;
      items: Array<{
        metadata: { name: string };
        window: string;
        containers: Array<{ name: string; usage: { cpu: string; memory: string } }>;
      }>;
    };
    expect(list.kind).toBe('PodMetricsList');
    expect(list.items).toHaveLength(1);
    expect(list.items[0]!.containers[0]!.usage.cpu).toMatch(/^\d+n$/);
    expect(list.items[0]!.containers[0]!.usage.memory).toMatch(/^\d+Ki$/);
    const missing = await fetch(`${cluster.url}/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/nope`, {
      headers: auth,
    });
    expect(missing.status).toBe(404);
    // Outside the Role's namespace the metrics API is forbidden, like everything else.
    expect(
      (await fetch(`${cluster.url}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods`, { headers: auth })).status,
    ).toBe(403);
  });
});
