/**
 * Every tool annotated readOnlyHint: true (discovered from tools/list, so a new one is covered
 * without editing this file) writes nothing (issue "Integrity", item 7): called through an MCP
 * client, it leaves every table of the database and the state of every backend stand-in (Gitea,
 * Cloudflare, Woodpecker, the OCI registry, Kubernetes) as they were. The scene is the one where a
 * read used to write: a release deploy stopped waiting for has failed on the cluster (deploy_status
 * settled and rolled it back itself). No background work runs in this app, so any change is a tool's.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startCloudflareStandIn,
  type RunningCloudflareStandIn,
} from '../../src/sandbox/cloudflare/cloudflare-stand-in.js';
import { startGiteaStandIn, type GiteaStandIn } from '../../src/sandbox/gitea/index.js';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import { startKubernetesStandIn, type RunningKubernetes } from '../../src/sandbox/kubernetes/kubernetes-stand-in.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { createRegistryApp, type RegistryState } from '../../src/sandbox/registry/registry-app.js';
import { serveStandIn, type ServedStandIn } from '../../src/sandbox/serve-stand-in.js';
import { startWoodpeckerStandIn, type WoodpeckerStandIn } from '../../src/sandbox/woodpecker/index.js';
import { eventually } from '../support/eventually.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { createSpecCheck } from '../support/spec-check.js';
import { createTestApp, tempDir } from '../support/test-app.js';

type Result = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};

/** Maps and Sets as sorted plain values, so two snapshots compare with toEqual. */
function plain(value: unknown): unknown {
  if (value instanceof Map)
    return [...value.entries()]
      .map(([k, v]) => [plain(k), plain(v)])
      .sort((a, b) => JSON.stringify(a[0]).localeCompare(JSON.stringify(b[0])));
  if (value instanceof Set) return [...value].map(plain).sort();
  if (Buffer.isBuffer(value)) return createHash('sha256').update(value).digest('hex');
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Every file under `dir` (Gitea's state.json and its bare repositories), by content hash. */
function filesOf(dir: string, out: Record<string, string> = {}): Record<string, string> {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) filesOf(path, out);
    else out[path] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

/** Every row of every table, read through a second connection as another process would. */
function databaseRows(file: string): Record<string, unknown[]> {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
      name: string;
    }>;
    return Object.fromEntries(
      tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]),
    );
  } finally {
    db.close();
  }
}

describe('read-only tools write nothing', () => {
  const databaseFile = join(tempDir(), 'threesix.db');
  const registryState: RegistryState = { blobs: new Map(), manifests: new Map(), tags: new Map() };
  let gitea: GiteaStandIn;
  let dns: RunningCloudflareStandIn;
  let ci: WoodpeckerStandIn;
  let registry: ServedStandIn;
  let cluster: RunningKubernetes;
  let client: Client;
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as Result;
  const ok = async (name: string, args: Record<string, unknown>) => {
    const result = await call(name, args);
    expect(result.isError, `${name}: ${result.content[0]?.text}`).toBeFalsy();
    return result.structuredContent!;
  };

  /** Everything a tool could change, as comparable values. Controller-written status and events are left out. */
  const snapshot = () => ({
    database: databaseRows(databaseFile),
    gitea: filesOf(gitea.dataDir),
    dns: plain(dns.zone.all()),
    ci: plain(ci.state),
    registry: plain(registryState),
    cluster: Object.values(RESOURCES)
      .filter((resource) => resource.plural !== 'events')
      .flatMap((resource) => cluster.store.list(resource, null))
      .map(({ status: _status, metadata, ...object }) => {
        // The store stamps a new version and field-manager entry on every write; neither is state a tool changed.
        const { resourceVersion: _rv, managedFields: _mf, ...kept }: Record<string, unknown> = { ...metadata };
        return plain({ ...object, metadata: kept });
      }),
  });

  beforeAll(async () => {
    // Every stand-in spec-checked: the setup file fails this file on any violation (spec-check-setup.ts).
    gitea = await startGiteaStandIn({ dataDir: tempDir(), observer: createSpecCheck('gitea').observe });
    dns = await startCloudflareStandIn({
      zoneName: 'example.test',
      seedPlatform: true,
      observer: createSpecCheck('cloudflare').observe,
    });
    ci = await startWoodpeckerStandIn({
      giteaUrl: gitea.url,
      giteaToken: gitea.token,
      observer: createSpecCheck('woodpecker').observe,
    });
    registry = await serveStandIn(createRegistryApp({ state: registryState, compat: ['docker2s2'] }), {
      observer: createSpecCheck('registry').observe,
    });
    cluster = await startKubernetesStandIn({
      dataDir: tempDir(),
      registryUrl: registry.url,
      startDelayMs: 50,
      tickMs: 20,
      observer: createSpecCheck('kubernetes').observe,
    });
    const app = await createTestApp({
      databaseFile,
      env: {
        GITEA_URL: gitea.url,
        GITEA_TOKEN: gitea.token,
        GITEA_DEFAULT_ORG: gitea.org,
        CLOUDFLARE_API_TOKEN: dns.token,
        CLOUDFLARE_ZONE_ID: dns.zone.id,
        CLOUDFLARE_API_URL: dns.apiUrl,
        DNS_PROVIDER: 'cloudflare',
        WOODPECKER_URL: ci.url,
        WOODPECKER_TOKEN: ci.token,
        THREESIX_PUBLIC_URL: 'http://127.0.0.1:9',
        REGISTRY_URL: registry.url,
        KUBECONFIG: cluster.kubeconfig,
        THREESIX_DEPLOY_WAIT_S: '10',
      },
    });
    client = await connectInMemory(app);
  }, 30_000);
  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
    await registry?.close();
    await ci?.stop();
    await dns?.close();
    await gitea?.stop();
  });

  it('leaves the database and every backend as they were, even with a failed release nobody settled', async () => {
    await ok('create_project', { name: 'shop' });
    const host = registry.url.replace('http://', '');
    await pushImage(registry.url, 'threesix/shop', 'v1', 'one');
    expect((await ok('deploy', { project: 'shop', image: `${host}/threesix/shop:v1` })).status).toBe('succeeded');
    // Release #2 crashes on start; deploy does not wait for it, so nobody has settled it.
    await pushImage(registry.url, 'threesix/shop', 'v2', 'two');
    cluster.setCrashLoop('shop', true);
    expect((await ok('deploy', { project: 'shop', image: `${host}/threesix/shop:v2`, wait: false })).status).toBe(
      'in_progress',
    );
    await eventually(
      () => {
        const pods = cluster.store.list(RESOURCES.pods, null).filter((p) => JSON.stringify(p.spec).includes('sha256'));
        expect(JSON.stringify(pods.map((p) => p.status))).toContain('CrashLoopBackOff');
      },
      10_000,
      50,
    );
    await Promise.all([gitea.settle(), ci.settle()]); // pipelines the starter commit set off

    const { tools } = await client.listTools();
    const readOnly = tools.filter((t) => t.annotations?.readOnlyHint === true);
    expect(readOnly.map((t) => t.name)).toEqual(
      expect.arrayContaining(['deploy_status', 'get_project', 'list_projects', 'logs', 'list_releases']),
    );
    const before = snapshot();
    for (const tool of readOnly) {
      const required = tool.inputSchema.required ?? [];
      const unknown = required.filter((name) => name !== 'project' && name !== 'name');
      expect(unknown, `${tool.name} needs an argument this test does not know how to give`).toEqual([]);
      const args = Object.fromEntries(
        Object.keys(tool.inputSchema.properties ?? {})
          .filter((name) => name === 'project' || name === 'name')
          .map((name) => [name, 'shop']),
      );
      await ok(tool.name, args);
      expect(snapshot(), `${tool.name} changed something`).toEqual(before);
    }
    expect((await ok('deploy_status', { project: 'shop' })).release).toMatchObject({ id: 2, status: 'in_progress' });
  }, 60_000);
});
