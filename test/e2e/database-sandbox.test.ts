/**
 * Databases through a real MCP client against `serve --sandbox`: create_database makes the
 * project's CloudNativePG Cluster in the Kubernetes stand-in, which backs it with a real PostgreSQL
 * (when installed); the app's next release reads DATABASE_URL from the operator's Secret through
 * secretKeyRef, no tool output ever holds the connection or password, psql connects to that URL and
 * queries, delete_project removes the database and says so, and a Cluster someone else made is
 * never touched.
 */
import { execFileSync } from 'node:child_process';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  setHeaderOptions,
  type V1EnvVar,
} from '@kubernetes/client-node';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, type Booted } from '../../src/main/boot.js';
import { runServe, type RunningHttp } from '../../src/main/run-serve.js';
import { freePort } from '../../src/main/webhook-listener.js';
import { findPostgres } from '../../src/sandbox/kubernetes/sandbox-postgres.js';
import { eventually } from '../support/eventually.js';
import { exchangeLogEnv } from '../support/exchange-log.js';
import { connectHttp } from '../support/mcp-clients.js';
import { tempDir } from '../support/test-app.js';

/** What these tools answer, as far as this test reads it. */
type Releases = { releases: Array<{ id: number; digest: string }> };
type DatabaseCreated = { release: { id: number } };
const CNPG = { group: 'postgresql.cnpg.io', version: 'v1', plural: 'clusters' };
const havePostgres = findPostgres() !== undefined;

describe('project databases over MCP in the sandbox', () => {
  let booted: Booted;
  let http: RunningHttp;
  let client: Client;
  let apps: AppsV1Api;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;
  const outputs: string[] = [];
  const namespace = () => booted.config.DEPLOY_NAMESPACE;
  /** A tool's structured answer, typed as the shape the caller reads; a tool error throws. */
  const call = async <T = Record<string, unknown>>(name: string, args: Record<string, unknown>): Promise<T> => {
    const result = await client.callTool({ name, arguments: args });
    outputs.push(JSON.stringify(result));
    if (result.isError) throw new Error((result.content as Array<{ text: string }>)[0]!.text);
    return result.structuredContent as T;
  };
  const appEnv = async (project: string): Promise<V1EnvVar[]> =>
    (await apps.readNamespacedDeployment({ name: project, namespace: namespace() })).spec!.template.spec!.containers[0]!
      .env ?? [];
  const secretValue = async (name: string, key: string) =>
    Buffer.from((await core.readNamespacedSecret({ name, namespace: namespace() })).data![key]!, 'base64').toString();

  beforeAll(async () => {
    const port = await freePort('127.0.0.1');
    booted = await boot({
      sandbox: true,
      env: {
        ...exchangeLogEnv(),
        THREESIX_DATA_DIR: tempDir(),
        DEFAULT_DOMAIN: 'example.test',
        THREESIX_LOG_LEVEL: 'error',
        THREESIX_PUBLIC_URL: `http://127.0.0.1:${port}`,
        THREESIX_DEPLOY_WAIT_S: '30',
      },
    });
    http = await runServe(booted, { host: '127.0.0.1', port });
    client = await connectHttp(new URL(`${http.url}/mcp`));
    const kc = new KubeConfig();
    kc.loadFromFile(booted.config.KUBECONFIG!);
    apps = kc.makeApiClient(AppsV1Api);
    core = kc.makeApiClient(CoreV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
  }, 30_000);
  afterAll(async () => {
    await client?.close();
    await http?.close();
    await booted?.shutdown();
  });

  it('create_database wires the next release to the Secret, psql connects to its URL, delete_project removes it and says so', async () => {
    await call('create_project', { name: 'notes', description: 'a database app' });
    await eventually(
      async () =>
        expect(
          (await call<{ deployment: { status: string } }>('get_project', { project: 'notes' })).deployment.status,
        ).toBe('running'),
      30_000,
      200,
    );
    const before = (await call<Releases>('list_releases', { project: 'notes' })).releases[0]!;
    expect((await appEnv('notes')).map((e) => e.name)).not.toContain('DATABASE_URL');

    const created = await call<DatabaseCreated>('create_database', { project: 'notes', size: '2Gi' });
    expect(created).toMatchObject({
      status: 'ready',
      database: {
        cluster: 'notes-db',
        status: 'ready',
        size: '2Gi',
        instances: 1,
        readyInstances: 1,
        secret: 'notes-db-app',
      },
      release: { status: 'succeeded' },
    });
    expect(created.release.id).toBeGreaterThan(before.id);
    expect((await call<Releases>('list_releases', { project: 'notes' })).releases[0]).toMatchObject({
      id: created.release.id,
      reason: 'database attached',
      digest: before.digest,
    });
    expect(await appEnv('notes')).toEqual(
      expect.arrayContaining([
        { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'notes-db-app', key: 'uri' } } },
        { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'notes-db-app', key: 'password' } } },
      ]),
    );
    const status = await call('deploy_status', { project: 'notes' });
    expect(status.database).toMatchObject({ cluster: 'notes-db', status: 'ready', phase: 'Cluster in healthy state' });
    expect(
      (await call<{ live: { database: unknown } }>('get_project', { project: 'notes' })).live.database,
    ).toMatchObject({
      status: 'ok',
      data: { exists: true, cluster: 'notes-db' },
    });

    // What the pod would get: the operator's Secret, read here as the kubelet would.
    const url = await secretValue('notes-db-app', 'uri');
    const password = await secretValue('notes-db-app', 'password');
    for (const output of outputs) {
      expect(output).not.toContain(password);
      expect(output).not.toContain(url);
    }
    if (havePostgres) {
      // psql (installed with the server) is the client: no driver added to the project for one test.
      const psql = (sql: string) =>
        execFileSync('psql', [url, '-qAtc', sql], { encoding: 'utf8', timeout: 15_000 }).trim();
      psql('CREATE TABLE notes (body text); INSERT INTO notes VALUES ($$kept$$)');
      expect(psql('SELECT body FROM notes')).toBe('kept');
    }

    // A Cluster someone else made in the namespace.
    const theirs = {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'analytics', labels: { team: 'data' } },
      spec: { instances: 1, storage: { size: '1Gi' } },
    };
    await custom.patchNamespacedCustomObject(
      { ...CNPG, namespace: namespace(), name: 'analytics', body: theirs, fieldManager: 'kubectl' },
      setHeaderOptions('Content-Type', 'application/apply-patch+yaml'),
    );
    const { drift } = await call<{ drift: Array<{ backend: string }> }>('reconcile', {});
    expect(drift.filter((d) => d.backend === 'database')).toEqual([]);

    const deleted = await call('delete_project', { project: 'notes', confirm: 'notes' });
    expect(deleted.removed).toContain('Cluster/notes-db');
    await expect(
      custom.getNamespacedCustomObject({ ...CNPG, namespace: namespace(), name: 'notes-db' }),
    ).rejects.toMatchObject({ code: 404 });
    await eventually(
      async () =>
        expect(
          await core.readNamespacedSecret({ name: 'notes-db-app', namespace: namespace() }).then(
            () => 'there',
            () => 'gone',
          ),
        ).toBe('gone'),
      5000,
    );
    if (havePostgres)
      await eventually(
        () =>
          expect(() => execFileSync('psql', [url, '-qAtc', 'select 1'], { stdio: 'pipe', timeout: 5000 })).toThrow(),
        10_000,
      );
    expect(
      await custom.getNamespacedCustomObject({ ...CNPG, namespace: namespace(), name: 'analytics' }),
    ).toMatchObject({ metadata: { name: 'analytics', labels: { team: 'data' } } });
  }, 120_000);
});
