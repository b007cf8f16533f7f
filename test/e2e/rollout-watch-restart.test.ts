/**
 * The rollout watch as the built server runs it: `serve` deploys a release that crash-loops
 * without waiting and is killed (SIGKILL) before anyone settles it; the next `serve` on the same
 * data directory rolls it back with no tool call at all, seen on the cluster stand-in and in the
 * database. The stand-ins live in the test process, so they outlive both servers.
 */
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/adapters/log/json-logger.js';
import { openSqliteStateStore } from '../../src/adapters/sqlite/sqlite-state-store.js';
import { loadConfig } from '../../src/config.js';
import { composeApp } from '../../src/main/compose.js';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import { startKubernetesStandIn, type RunningKubernetes } from '../../src/sandbox/kubernetes/kubernetes-stand-in.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { createRegistryApp } from '../../src/sandbox/registry/registry-app.js';
import { serveStandIn, type ServedStandIn } from '../../src/sandbox/serve-stand-in.js';
import { startServer, type CrashRig, type ServerProcess } from '../support/crash-harness.js'; // only the rig's env is used
import { eventually } from '../support/eventually.js';
import { connectHttp, connectStdio } from '../support/mcp-clients.js';
import { seedProject } from '../support/seed-project.js';
import { createSpecCheck } from '../support/spec-check.js';
import { tempDir } from '../support/test-app.js';

type Result = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};

describe('the rollout watch after a crash (built server, real processes)', () => {
  const dataDir = tempDir('threesix-watch-');
  const databaseFile = join(dataDir, 'threesix.db');
  let registry: ServedStandIn;
  let cluster: RunningKubernetes;
  let env: Record<string, string>;
  const servers: ServerProcess[] = [];
  let v1: string;

  const releases = () => {
    const db = new BetterSqlite3(databaseFile, { readonly: true });
    try {
      return db.prepare('SELECT id, status, reason FROM releases WHERE project = ? ORDER BY id').all('shop') as Array<{
        id: number;
        status: string;
        reason: string | null;
      }>;
    } finally {
      db.close();
    }
  };
  const runningImage = () =>
    cluster.store.get(RESOURCES.deployments, 'projects', 'shop').spec.template.spec.containers[0]!.image;

  beforeAll(async () => {
    // Spec-checked: the setup file fails this file on any violation (spec-check-setup.ts).
    registry = await serveStandIn(createRegistryApp(), { observer: createSpecCheck('registry').observe });
    cluster = await startKubernetesStandIn({
      dataDir: tempDir(),
      registryUrl: registry.url,
      startDelayMs: 50,
      tickMs: 20,
      observer: createSpecCheck('kubernetes').observe,
    });
    env = {
      THREESIX_DATA_DIR: dataDir,
      DEFAULT_DOMAIN: 'example.test',
      KUBECONFIG: cluster.kubeconfig,
      REGISTRY_URL: registry.url,
      THREESIX_DEPLOY_WAIT_S: '2',
    };
    // The project as create_project leaves it (this test needs no git host, DNS or CI).
    const app = await composeApp(loadConfig(env), createJsonLogger({ level: 'error', write: () => undefined }), {
      store: await openSqliteStateStore(databaseFile),
    });
    await seedProject(app, 'shop');
    await app.store.close();
  });
  afterAll(async () => {
    for (const server of servers) await server.kill();
    await cluster?.stop();
    await registry?.close();
  });

  it('rolls back, with no tool call, the failed release a killed server left in_progress', async () => {
    const host = registry.url.replace('http://', '');
    v1 = await pushImage(registry.url, 'threesix/shop', 'v1', 'one');
    await pushImage(registry.url, 'threesix/shop', 'v2', 'two');
    const first = await startServer({ env } as CrashRig);
    servers.push(first);
    const client = await connectHttp(first.url);
    const deploy = async (args: Record<string, unknown>) => {
      const r = (await client.callTool({ name: 'deploy', arguments: { project: 'shop', ...args } })) as Result;
      expect(r.isError, r.content[0]?.text).toBeFalsy();
      return r.structuredContent!;
    };
    expect((await deploy({ image: `${host}/threesix/shop:v1` })).status).toBe('succeeded');
    cluster.setCrashLoop('shop', true);
    expect((await deploy({ image: `${host}/threesix/shop:v2`, wait: false })).status).toBe('in_progress');
    await first.kill(); // before its own watch could settle release #2
    await client.close().catch(() => undefined);
    expect(releases().map((r) => r.status)).toEqual(['succeeded', 'in_progress']);

    servers.push(await startServer({ env } as CrashRig));
    await eventually(
      () => expect(releases().map((r) => r.status)).toEqual(['succeeded', 'rolled_back', 'succeeded']),
      20_000,
      200,
    );
    expect(releases()[2]!.reason).toBe('automatic rollback to release #1 after release #2 failed');
    expect(runningImage()).toBe(`${host}/threesix/shop@${v1}`);
  }, 60_000);

  it('runs in a stdio session too (no deploy queue there): a release it left unwaited is rolled back while the session idles', async () => {
    for (const server of servers) await server.kill(); // nobody else on this database
    const host = registry.url.replace('http://', '');
    await pushImage(registry.url, 'threesix/shop', 'v3', 'three');
    cluster.setCrashLoop('shop', true);
    const session = await connectStdio(env);
    try {
      const r = (await session.client.callTool({
        name: 'deploy',
        arguments: { project: 'shop', image: `${host}/threesix/shop:v3`, wait: false },
      })) as Result;
      expect(r.structuredContent?.status, r.content[0]?.text).toBe('in_progress');
      const before = releases().length;
      await eventually(
        () =>
          expect(
            releases()
              .slice(before - 1)
              .map((x) => x.status),
          ).toEqual(['rolled_back', 'succeeded']),
        20_000,
        200,
      );
      expect(runningImage()).toBe(`${host}/threesix/shop@${v1}`);
      expect(releases().at(-1)!.reason).toBe(`automatic rollback to release #3 after release #${before} failed`);
    } finally {
      await session.close();
    }
  }, 60_000);
});
