/**
 * Settings that last, through a real MCP client against `serve --sandbox` and real git pushes:
 * set_env with a secret rolls out a release whose Deployment and Secret (read from the Kubernetes
 * stand-in over its API) carry it, list_env hides the value, and a push keeps it; configure's
 * health path and memory limit reach the Deployment and survive a push and a rollback;
 * deploy_status says which commit each pod runs.
 */
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Container } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { pushFile } from '../support/git-push.js';
import { startSandboxServer, type SandboxServer } from '../support/sandbox-server.js';

const SECRET = 'sk-live-4417-never-shown';

/** What these tools answer, as far as this test reads it. */
type ProjectView = { deployment: { status: string } };
type Status = { workload: { pods: Array<{ current: boolean; ready: boolean; commit: string }> } };
type Released = { status: string; releaseId: number; release: { commitSha: string } };

describe('project settings over MCP in the sandbox', () => {
  let server: SandboxServer;
  let apps: AppsV1Api;
  let core: CoreV1Api;
  const booted = () => server.booted;
  /** A tool's structured answer and its text, typed as the shape the caller reads; a tool error throws. */
  const call = async <T = Record<string, unknown>>(name: string, args: Record<string, unknown>) =>
    (await server.call(name, args)) as T & { text: string };
  const namespace = () => booted().config.DEPLOY_NAMESPACE;
  const container = async (project: string): Promise<V1Container> =>
    (await apps.readNamespacedDeployment({ name: project, namespace: namespace() })).spec!.template.spec!
      .containers[0]!;
  const secretValue = async (project: string, key: string) =>
    Buffer.from(
      (await core.readNamespacedSecret({ name: `${project}-env`, namespace: namespace() })).data![key]!,
      'base64',
    ).toString();
  const deployedSha = (project: string, sha: string) =>
    eventually(
      async () => {
        expect((await call<ProjectView>('get_project', { project: project })).deployment).toMatchObject({
          status: 'running',
          sha,
        });
      },
      30_000,
      200,
    );

  beforeAll(async () => {
    server = await startSandboxServer();
    const kc = new KubeConfig();
    kc.loadFromFile(booted().config.KUBECONFIG!);
    apps = kc.makeApiClient(AppsV1Api);
    core = kc.makeApiClient(CoreV1Api);
  }, 30_000);
  afterAll(async () => server?.close());

  it('set_env with a secret: a new release carries it, list_env hides it, the next push keeps it', async () => {
    const created = await call<{ cloneHttp: string }>('create_project', { name: 'envy', description: 'settings' });
    await eventually(
      async () =>
        expect((await call<ProjectView>('get_project', { project: 'envy' })).deployment.status).toBe('running'),
      30_000,
      200,
    );
    const before = (await call<{ releases: Array<{ id: number }> }>('list_releases', { project: 'envy' })).releases[0]!;

    const set = await call<Released>('set_env', {
      project: 'envy',
      set: { MODE: 'prod' },
      secrets: { API_KEY: SECRET },
    });
    expect(set).toMatchObject({ status: 'succeeded', reused: false });
    expect(set.releaseId).toBeGreaterThan(before.id);
    expect((await container('envy')).env).toEqual(expect.arrayContaining([{ name: 'MODE', value: 'prod' }]));
    expect(await secretValue('envy', 'API_KEY')).toBe(SECRET);

    const listed = await call('list_env', { project: 'envy' });
    expect(listed).toMatchObject({ env: { MODE: 'prod' }, secrets: ['API_KEY'] });
    expect(JSON.stringify(listed)).not.toContain(SECRET);

    const sha = await pushFile(created.cloneHttp, booted().config.GITEA_TOKEN!, {
      path: 'index.html',
      content: '<h1>settings kept</h1>\n',
      message: 'a push after set_env',
    });
    await deployedSha('envy', sha);
    expect((await container('envy')).env).toEqual(expect.arrayContaining([{ name: 'MODE', value: 'prod' }]));
    expect(await secretValue('envy', 'API_KEY')).toBe(SECRET);
    const status = await call<Status>('deploy_status', { project: 'envy' });
    expect(status.workload.pods.filter((p) => p.current).map((p) => p.commit)).toEqual([sha]);
    expect(status.text).not.toContain(SECRET);
  }, 120_000);

  it('configure: the health path and 512Mi reach the Deployment and survive a push and a rollback', async () => {
    const created = await call<{ cloneHttp: string }>('create_project', { name: 'tuned', description: 'settings' });
    await eventually(
      async () =>
        expect((await call<ProjectView>('get_project', { project: 'tuned' })).deployment.status).toBe('running'),
      30_000,
      200,
    );
    const configured = await call<Released>('configure', {
      project: 'tuned',
      healthCheckPath: '/healthz',
      memory: '512Mi',
    });
    expect(configured.status).toBe('succeeded');
    const expectSettings = async () => {
      const c = await container('tuned');
      expect(c.readinessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
      expect(c.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe?.tcpSocket).toBeUndefined();
      expect(c.resources?.limits?.memory).toBe('512Mi');
    };
    await expectSettings();

    const sha = await pushFile(created.cloneHttp, booted().config.GITEA_TOKEN!, {
      path: 'index.html',
      content: '<h1>tuned</h1>\n',
      message: 'a push after configure',
    });
    await deployedSha('tuned', sha);
    await expectSettings();

    const back = await call<Released>('rollback', { project: 'tuned' });
    expect(back.status).toBe('succeeded');
    await expectSettings();
    const status = await call<Status>('deploy_status', { project: 'tuned' });
    const current = status.workload.pods.filter((p) => p.current && p.ready).map((p) => p.commit);
    expect(current).toHaveLength(1);
    expect(current[0]).not.toBe(sha);
    expect(current[0]).toBe(back.release.commitSha);
  }, 120_000);
});
