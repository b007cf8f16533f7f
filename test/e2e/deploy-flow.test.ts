/**
 * The deploy toolset end to end: a real MCP SDK Client, the real Kubernetes and OCI adapters, and
 * the Kubernetes and registry stand-ins (every Kubernetes exchange validated against the spec).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { eventually } from '../support/eventually.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { startCheckedKubernetes, type CheckedKubernetes } from '../support/kubernetes.js';
import { startCheckedRegistry, type CheckedRegistry } from '../support/registry-stand-in.js';
import { seedProject } from '../support/seed-project.js';
import { createTestApp, tempDir } from '../support/test-app.js';

type Result = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};
/** What deploy and rollback answer, as far as these tests read it. */
type Deployed = {
  status: string;
  release: { id: number };
  failure?: { reason: string };
  rolledBackTo?: { releaseId: number };
};

describe('deploy toolset through MCP against the Kubernetes and registry stand-ins', () => {
  let registry: CheckedRegistry;
  let cluster: CheckedKubernetes;
  let client: Client;
  let host: string;
  const violations = () => [...cluster.spec.takeViolations(), ...registry.spec.takeViolations()];
  const call = async (name: string, args: Record<string, unknown>, onprogress?: (p: { progress: number }) => void) =>
    (await client.callTool(
      { name, arguments: args },
      CallToolResultSchema,
      onprogress ? { onprogress } : undefined,
    )) as Result;
  /** The structured answer of a call that must succeed, typed as the shape the test reads. */
  const ok = <T = Record<string, unknown>>(r: Result): T => {
    expect(r.isError, r.content[0]?.text).toBeFalsy();
    return r.structuredContent as T;
  };
  const webDeployment = () => cluster.store.get(RESOURCES.deployments, 'projects', 'web');
  const webImage = () => webDeployment().spec.template.spec.containers[0]!.image;

  beforeAll(async () => {
    registry = await startCheckedRegistry();
    host = registry.url.replace('http://', '');
    cluster = await startCheckedKubernetes({
      dataDir: tempDir(),
      registryUrl: registry.url,
      startDelayMs: 150,
      tickMs: 30,
    });
    const app = await createTestApp({
      env: {
        KUBECONFIG: cluster.kubeconfig,
        REGISTRY_URL: registry.url,
        THREESIX_DEPLOY_WAIT_S: '10',
        THREESIX_MAX_REPLICAS: '5',
      },
    });
    // deploy never creates a project: the row is there as create_project leaves it.
    await seedProject(app, 'web');
    await seedProject(app, 'bad');
    client = await connectInMemory(app);
  });
  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
    await registry?.close();
  });

  it('deploys by digest, refuses a digest the registry lacks, rolls back a crash-looping release, and scales, restarts, logs, rolls back and undeploys', async () => {
    const d1 = await pushImage(registry.url, 'threesix/web', 'v1', 'one');
    const first = ok<Deployed>(
      await call('deploy', {
        project: 'web',
        image: `${host}/threesix/web:v1`,
        secrets: { API_TOKEN: 'tok-e2e-secret' },
      }),
    );
    expect(first).toMatchObject({
      status: 'succeeded',
      pinned: `${host}/threesix/web@${d1}`,
      url: 'https://web.example.test',
    });
    expect(webImage()).toBe(`${host}/threesix/web@${d1}`);
    const ingress = cluster.store.get(RESOURCES.ingresses, 'projects', 'web');
    expect(JSON.stringify((ingress.spec as { rules: unknown }).rules)).toContain('web.example.test');

    const retried = ok<Deployed>(await call('deploy', { project: 'web', image: `${host}/threesix/web:v1` }));
    expect(retried.release.id).toBe(first.release.id);

    // A digest the registry does not hold is refused before anything is recorded or applied.
    const generation = webDeployment().metadata.generation;
    expect(
      (await call('deploy', { project: 'web', image: `${host}/threesix/web@sha256:${'0'.repeat(64)}` })).content[0]!
        .text,
    ).toMatch(/^NOT_FOUND/);
    expect(webDeployment().metadata.generation).toBe(generation);

    // A release that fails on the cluster is rolled back to the last healthy one.
    await pushImage(registry.url, 'threesix/web', 'v2', 'two');
    cluster.setCrashLoop('web', true);
    const started = Date.now();
    const missing = ok<Deployed>(await call('deploy', { project: 'web', image: `${host}/threesix/web:v2` }));
    cluster.setCrashLoop('web', false);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(missing.status).toBe('rolled_back');
    expect(missing.failure?.reason).toBe('CrashLoopBackOff');
    expect(missing.rolledBackTo).toMatchObject({ fromReleaseId: first.release.id, status: 'succeeded' });
    expect(webImage()).toContain(d1);

    ok(await call('scale', { project: 'web', replicas: 2 }));
    await eventually(async () => {
      const s = ok(await call('deploy_status', { project: 'web' }));
      expect(s.workload).toMatchObject({ desiredReplicas: 2, readyReplicas: 2 });
    }, 5000);
    ok(await call('restart', { project: 'web' }));

    const logs = ok<{ text: string }>(await call('logs', { project: 'web', tail: 50 }));
    expect(logs.text).toContain('listening on :8080');
    expect(logs.text).toContain('API_TOKEN=[REDACTED]');
    expect(JSON.stringify(logs)).not.toContain('tok-e2e-secret');

    const d3 = await pushImage(registry.url, 'threesix/web', 'v3', 'three');
    const progress: number[] = [];
    expect(
      ok<Deployed>(
        await call('deploy', { project: 'web', image: `${host}/threesix/web:v3`, replicas: 1 }, (p) =>
          progress.push(p.progress),
        ),
      ).status,
    ).toBe('succeeded');
    expect(progress.length).toBeGreaterThan(0);
    const back = ok<Deployed>(await call('rollback', { project: 'web' }));
    // The newest healthy release that is not v3 is the automatic rollback's copy of v1.
    expect(back).toMatchObject({
      status: 'succeeded',
      fromReleaseId: missing.rolledBackTo?.releaseId,
      pinned: `${host}/threesix/web@${d1}`,
    });
    // It says what it put back: the new release, the one it copies, and the image.
    expect(back.rolledBackTo).toMatchObject({
      releaseId: back.release.id,
      fromReleaseId: missing.rolledBackTo?.releaseId,
      image: expect.stringContaining('threesix/web') as unknown,
      status: 'succeeded',
    });
    expect(webImage()).not.toContain(d3);
    const { releases } = ok<{ releases: Array<{ status: string }> }>(await call('list_releases', { project: 'web' }));
    expect(releases.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'rolled_back', 'succeeded']);

    expect((await call('undeploy', { project: 'web', confirm: 'wrong' })).content[0]!.text).toMatch(/^INVALID_INPUT/);
    const gone = ok(await call('undeploy', { project: 'web', confirm: 'web' }));
    expect(gone.removed).toEqual(
      expect.arrayContaining(['Deployment/web', 'Service/web', 'Ingress/web', 'Secret/web-env']),
    );
    await eventually(() => {
      for (const resource of Object.values(RESOURCES)) {
        const ours = cluster.store.list(resource, null, {
          'app.kubernetes.io/managed-by': 'threesix',
          'threesix.ai/project': 'web',
        });
        expect(ours.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
      }
    }, 3000);
    expect(violations()).toEqual([]);
  }, 60_000);

  it('refuses bad input before anything reaches the cluster', async () => {
    const before = cluster.store.list(RESOURCES.deployments, null).length;
    const cases: Array<Record<string, unknown>> = [
      { project: 'bad', image: 'docker.io/library/nginx:latest' },
      { project: 'bad', image: 'NOT AN IMAGE' },
      { project: 'bad', image: `${host}/threesix/web:v1`, replicas: 6 },
      { project: 'bad', image: `${host}/threesix/web:v1`, port: 0 },
      { project: 'bad', image: `${host}/threesix/web:v1`, env: { 'lower-case': 'x' } },
    ];
    for (const args of cases) expect((await call('deploy', args)).content[0]!.text).toMatch(/^INVALID_INPUT/);
    expect((await call('logs', { project: 'web', tail: 2001 })).content[0]!.text).toMatch(/^INVALID_INPUT/);
    expect(cluster.store.list(RESOURCES.deployments, null)).toHaveLength(before);
    expect(violations()).toEqual([]);
  });
});
