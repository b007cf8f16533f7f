/**
 * Claims on names, hosts and images through a real MCP client, with the real Cloudflare, Kubernetes
 * and OCI adapters against their stand-ins (and a memory git host, which create_project needs but
 * nothing here is about): every refused call answers with its code and changes nothing, compared
 * on the DNS zone, every object in the cluster and the database before and after.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryGitHost } from '../../src/adapters/memory/memory-git-host.js';
import { ownerMark } from '../../src/domain/dns-ownership.js';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import { startKubernetesStandIn, type RunningKubernetes } from '../../src/sandbox/kubernetes/kubernetes-stand-in.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { createRegistryApp } from '../../src/sandbox/registry/registry-app.js';
import { serveStandIn, type ServedStandIn } from '../../src/sandbox/serve-stand-in.js';
import type { AppContext } from '../../src/services/shared/app-context.js';
import { startCheckedCloudflare, type CheckedCloudflare } from '../support/cloudflare.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { createSpecCheck } from '../support/spec-check.js';
import { createTestApp, tempDir } from '../support/test-app.js';

type Result = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};
const ZONE = 'example.test';
const OWNER = 'threesix';

describe('claims on names, hosts and images over MCP (Cloudflare, Kubernetes and registry stand-ins)', () => {
  let cf: CheckedCloudflare;
  let cluster: RunningKubernetes;
  let registry: ServedStandIn;
  let app: AppContext;
  let client: Client;
  let host: string;
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as Result;
  const ok = async (name: string, args: Record<string, unknown>) => {
    const r = await call(name, args);
    expect(r.isError, r.content[0]?.text).toBeFalsy();
    return r.structuredContent!;
  };
  /** The refusal's text, after checking its code. */
  const refused = async (name: string, args: Record<string, unknown>, code: string) => {
    const r = await call(name, args);
    expect(r.isError, JSON.stringify(r.structuredContent)).toBe(true);
    expect(r.content[0]!.text).toMatch(new RegExp(`^${code}:`));
    return r.content[0]!.text!;
  };
  /** Everything a refused call could have changed: the zone, every cluster object, the database. */
  const everything = async () => {
    const records = cf.zone
      .all()
      .map((r) => ({ name: r.name, type: r.type, content: r.content, comment: r.comment }))
      .sort((a, b) => `${a.name}${a.type}`.localeCompare(`${b.name}${b.type}`));
    // Events are the cluster's own running commentary (the controller keeps adding them for the foreign
    // crash-looping pod), not something a call makes; comparing them made the result depend on timing.
    const objects = Object.values(RESOURCES)
      .filter((resource) => resource.plural !== 'events')
      .flatMap((resource) =>
        cluster.store.list(resource, null).map((o) => ({
          kind: o.kind,
          name: o.metadata.name,
          spec: o.spec ?? o.data ?? null,
          labels: o.metadata.labels ?? {},
        })),
      );
    const projects = await app.store.projects.all();
    const releases = await Promise.all(projects.map((p) => app.store.releases.list(p.name, 100)));
    const ghosts = await Promise.all(
      ['ghost', 'legacy', 'gamma', 'hooks', 'delta'].map((n) => app.store.releases.list(n, 100)),
    );
    return JSON.stringify({ records, objects, projects, releases, ghosts });
  };
  const foreignIngress = (name: string, hosts: string[]) =>
    cluster.store.create(RESOURCES.ingresses, 'projects', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace: 'projects', labels: { app: name } },
      spec: {
        rules: hosts.map((h) => ({
          host: h,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] },
        })),
      },
    });

  beforeAll(async () => {
    cf = await startCheckedCloudflare({ zoneName: ZONE });
    // Spec-checked: the setup file fails this file on any violation (spec-check-setup.ts).
    registry = await serveStandIn(createRegistryApp(), { observer: createSpecCheck('registry').observe });
    host = registry.url.replace('http://', '');
    cluster = await startKubernetesStandIn({
      dataDir: tempDir(),
      registryUrl: registry.url,
      startDelayMs: 50,
      tickMs: 20,
      observer: createSpecCheck('kubernetes').observe,
    });
    const git = new MemoryGitHost();
    app = await createTestApp({
      env: {
        DEFAULT_DOMAIN: ZONE,
        THREESIX_OWNER_ID: OWNER,
        CLOUDFLARE_API_TOKEN: cf.token,
        CLOUDFLARE_ZONE_ID: cf.zone.id,
        CLOUDFLARE_API_URL: cf.apiUrl,
        KUBECONFIG: cluster.kubeconfig,
        REGISTRY_URL: registry.url,
        THREESIX_PUBLIC_URL: `https://hooks.${ZONE}`,
        THREESIX_DEPLOY_WAIT_S: '10',
      },
      factories: { git: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(git) }) },
    });
    client = await connectInMemory(app);
    await ok('create_project', { name: 'alpha' });
    await ok('create_project', { name: 'beta' });
    await pushImage(registry.url, 'threesix/alpha', 'v1', 'alpha one');
    await pushImage(registry.url, 'threesix/beta', 'v1', 'beta one');
    expect(await ok('deploy', { project: 'alpha', image: `${host}/threesix/alpha:v1` })).toMatchObject({
      status: 'succeeded',
    });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
    await registry?.close();
    await cf?.close();
  });

  it('add_domain checks every claim before its first write (issue item 1)', async () => {
    cf.zone.create({ type: 'A', name: `hj1.${ZONE}`, content: '198.51.100.7', ttl: 1 });
    foreignIngress('old-shop', ['shop.customer.org']);
    await ok('add_domain', { project: 'beta', domain: 'www.beta-owner.org' });
    const before = await everything();
    expect(await refused('add_domain', { project: 'alpha', domain: `hj1.${ZONE}` }, 'CONFLICT')).toContain(
      '198.51.100.7',
    );
    // The case on its own: the CONFLICT came after the row and the Ingress were written.
    expect(await everything()).toBe(before);
    expect(await refused('add_domain', { project: 'alpha', domain: 'shop.customer.org' }, 'CONFLICT')).toContain(
      'old-shop',
    );
    expect(await refused('add_domain', { project: 'alpha', domain: 'www.beta-owner.org' }, 'CONFLICT')).toContain(
      'beta',
    );
    expect(await refused('add_domain', { project: 'alpha', domain: `beta.${ZONE}` }, 'CONFLICT')).toContain('beta');
    expect(await everything()).toBe(before);
    // Nothing was left half-done, so alpha's own state is still clean for reconcile.
    expect((await ok('reconcile', { project: 'alpha' })).drift).toEqual([]);
    // And a domain that is free goes through: the CNAME is ours, the Ingress serves it.
    await ok('add_domain', { project: 'alpha', domain: `www-alpha.${ZONE}` });
    expect(cf.zone.all().find((r) => r.name === `www-alpha.${ZONE}`)).toMatchObject({
      type: 'CNAME',
      content: `alpha.${ZONE}`,
      comment: expect.stringContaining(ownerMark(OWNER)) as unknown,
    });
    const ingress = cluster.store.get(RESOURCES.ingresses, 'projects', 'alpha');
    expect(JSON.stringify((ingress.spec as { rules: unknown }).rules)).toContain(`www-alpha.${ZONE}`);
  });

  it('deploy makes the claims create_project makes, and never creates a project (issue item 4)', async () => {
    cluster.store.create(RESOURCES.deployments, 'projects', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'legacy', namespace: 'projects' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'legacy' } },
        template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      },
    });
    await ok('add_domain', { project: 'beta', domain: `gamma.${ZONE}` });
    foreignIngress('old-beta', [`beta.${ZONE}`]);
    await pushImage(registry.url, 'threesix/legacy', 'v1');
    await pushImage(registry.url, 'threesix/gamma', 'v1');
    await pushImage(registry.url, 'threesix/ghost', 'v1');
    const before = await everything();
    expect(await refused('deploy', { project: 'ghost', image: `${host}/threesix/ghost:v1` }, 'NOT_FOUND')).toContain(
      'create_project',
    );
    expect(await refused('deploy', { project: 'legacy', image: `${host}/threesix/legacy:v1` }, 'NOT_FOUND')).toContain(
      'create_project',
    );
    expect(await refused('deploy', { project: 'gamma', image: `${host}/threesix/gamma:v1` }, 'NOT_FOUND')).toContain(
      'create_project',
    );
    expect(await refused('create_project', { name: 'legacy' }, 'CONFLICT')).toContain('Deployment/legacy');
    expect(await refused('create_project', { name: 'gamma' }, 'CONFLICT')).toContain('beta');
    // beta exists, but a foreign Ingress serves its host: refused before a release is recorded.
    expect(await refused('deploy', { project: 'beta', image: `${host}/threesix/beta:v1` }, 'CONFLICT')).toContain(
      'old-beta',
    );
    expect(
      await refused('deploy', { project: 'beta', image: `${host}/threesix/beta:v1`, dryRun: true }, 'CONFLICT'),
    ).toContain('old-beta');
    expect(await everything()).toBe(before);
    cluster.store.delete(RESOURCES.ingresses, 'projects', 'old-beta');

    // A foreign object named for an existing project, or a foreign Ingress on a new project's address.
    foreignIngress('old-delta', [`delta.${ZONE}`]);
    cluster.store.create(RESOURCES.services, 'projects', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'beta', namespace: 'projects' },
      spec: { ports: [{ port: 80 }] },
    });
    const again = await everything();
    expect(await refused('deploy', { project: 'beta', image: `${host}/threesix/beta:v1` }, 'CONFLICT')).toContain(
      'Service/beta',
    );
    expect(await refused('create_project', { name: 'delta' }, 'CONFLICT')).toContain('old-delta');
    expect(await everything()).toBe(again);
    cluster.store.delete(RESOURCES.services, 'projects', 'beta');
  });

  it("threesix's own hosts and the platform's are reserved, in every path that adds a host (issue item 5)", async () => {
    const before = await everything();
    for (const name of ['threesix', 'git', 'registry', 'ci', 'hooks'])
      await refused('create_project', { name }, 'INVALID_INPUT');
    for (const domain of [`threesix.${ZONE}`, `hooks.${ZONE}`, `git.${ZONE}`, ZONE, `registry.${ZONE}`]) {
      expect(await refused('add_domain', { project: 'alpha', domain }, 'INVALID_INPUT')).toContain('reserved');
    }
    await refused('upsert_dns', { name: 'threesix', type: 'A', content: '192.0.2.1' }, 'INVALID_INPUT');
    expect(await refused('upsert_dns', { name: 'hooks', type: 'A', content: '192.0.2.1' }, 'INVALID_INPUT')).toContain(
      'THREESIX_PUBLIC_URL',
    );
    expect(await everything()).toBe(before);
  });

  it("deploy resolves every image in the registry and takes only the project's own repository (issue item 6)", async () => {
    const before = await everything();
    expect(
      await refused(
        'deploy',
        { project: 'alpha', image: `${host}/threesix/alpha@sha256:${'0'.repeat(64)}` },
        'NOT_FOUND',
      ),
    ).toContain('not in the registry');
    expect(await refused('deploy', { project: 'alpha', image: `${host}/threesix/beta:v1` }, 'INVALID_INPUT')).toContain(
      'threesix/alpha',
    );
    const betaDigest = await pushImage(registry.url, 'threesix/beta', 'v1', 'beta one');
    expect(
      await refused('deploy', { project: 'alpha', image: `${host}/threesix/beta@${betaDigest}` }, 'INVALID_INPUT'),
    ).toContain('not project "alpha"');
    // beta's digest named under alpha's repository is not in alpha's repository.
    await refused('deploy', { project: 'alpha', image: `${host}/threesix/alpha@${betaDigest}` }, 'NOT_FOUND');
    await refused('deploy', { project: 'alpha', image: `${host}/threesix/alpha:nope` }, 'NOT_FOUND');
    expect(await everything()).toBe(before);
    // A digest that is there deploys, pinned to exactly it.
    const d2 = await pushImage(registry.url, 'threesix/alpha', 'v2', 'alpha two');
    expect(await ok('deploy', { project: 'alpha', image: `${host}/threesix/alpha@${d2}` })).toMatchObject({
      status: 'succeeded',
      pinned: `${host}/threesix/alpha@${d2}`,
    });
  }, 30_000);
});
