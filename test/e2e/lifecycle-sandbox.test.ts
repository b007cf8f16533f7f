/**
 * The lifecycle through a real MCP client against `serve --sandbox` (every stand-in this build
 * has): create a project, push to it and see the pushed commit running, give it a custom domain,
 * let reconcile find and repair a record deleted behind threesix's back, and delete the project
 * leaving nothing behind.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Booted } from '../../src/main/boot.js';
import type { RunningHttp } from '../../src/main/run-serve.js';
import { eventually } from '../support/eventually.js';
import { pushFile } from '../support/git-push.js';
import { connectHttp } from '../support/mcp-clients.js';
import { startSandboxServer, type SandboxServer } from '../support/sandbox-server.js';

/** get_project's answer, as far as this test reads it. */
type ProjectView = {
  state: string;
  deployment: { status: string; sha: string };
  live: { git: unknown; deployment: unknown; ci: { data: { lastPipeline: unknown } } };
};
type Created = { cloneHttp: string; nextStep: string };

describe('project lifecycle over MCP in the sandbox', () => {
  let booted: Booted;
  let http: RunningHttp;
  let client: Client;
  /** A tool's structured answer, typed as the shape the caller reads; a tool error throws. */
  const call = async <T = Record<string, unknown>>(name: string, args: Record<string, unknown>): Promise<T> => {
    const result = await client.callTool({ name, arguments: args });
    if (result.isError) throw new Error((result.content as Array<{ text: string }>)[0]!.text);
    return result.structuredContent as T;
  };

  let server: SandboxServer;
  beforeAll(async () => {
    // CI's notify step calls back into this server, so it listens where THREESIX_PUBLIC_URL says.
    server = await startSandboxServer({ THREESIX_COLLABORATORS: 'alice' });
    ({ booted, http, client } = server);
  }, 30_000);
  afterAll(async () => {
    await server?.close();
  });

  it('creates, shows, serves a custom domain, and deletes without leaving anything', async () => {
    const plan = await call<{ plan: unknown[] }>('create_project', {
      name: 'site',
      description: 'A site',
      dryRun: true,
    });
    expect(plan.plan.length).toBeGreaterThan(3);
    const created = await call('create_project', { name: 'site', description: 'A site' });
    expect(created).toMatchObject({
      project: 'site',
      url: 'https://site.example.test',
      cloneHttp: expect.stringMatching(/\/threesix\/site\.git$/) as unknown,
    });
    const shown = await call<ProjectView>('get_project', { project: 'site' });
    expect(shown.state).toBe('ready');
    expect(shown.live.git).toMatchObject({ status: 'ok', data: { exists: true, managed: true, empty: false } });
    const domain = await call('add_domain', { project: 'site', domain: 'www.site-owner.org' });
    expect(domain.record).toEqual({ name: 'www.site-owner.org', type: 'CNAME', content: 'site.example.test' });
    expect((await call('reconcile', {})).drift).toEqual([]);
    const removed = await call('delete_project', { project: 'site', confirm: 'site' });
    expect(removed.removed).toEqual(expect.arrayContaining(['repository threesix/site', 'project row site']));
    const after = await call('reconcile', {});
    expect(after.drift).toEqual([]);
    expect(after.backends).toEqual({ git: 'ok', ci: 'ok', dns: 'ok', deployer: 'ok', database: 'ok' });
    expect(after.checked).toBe(0);
    expect((await call('list_projects', {})).total).toBe(0);
  }, 30_000);

  it('create_project, then git push: the site runs the pushed commit, a subscriber hears of it; delete removes the workload too', async () => {
    const created = await call<Created>('create_project', { name: 'pushy', description: 'pushed' });
    // The starter commit itself builds and deploys.
    const seeded = await eventually(
      async () => {
        const view = await call<ProjectView>('get_project', { project: 'pushy' });
        expect(view.deployment.status).toBe('running');
        return view;
      },
      30_000,
      200,
    );
    // A second client subscribes: the webhook-driven deploy of the push must notify it.
    const watcher = await connectHttp(new URL(`${http.url}/mcp`));
    const updated: string[] = [];
    watcher.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updated.push(n.params.uri));
    await watcher.subscribeResource({ uri: 'threesix://projects/pushy' });
    // The push uses exactly the credentials create_project's answer gives, as an agent would.
    const cloneHint = /git clone (\S+)\./.exec(created.nextStep)?.[1];
    expect(cloneHint).toBeDefined();
    const withCredentials = new URL(cloneHint!);
    expect(withCredentials.password).toBe('sandbox');
    const sha = await pushFile(created.cloneHttp, withCredentials.password, {
      path: 'index.html',
      content: '<h1>hello from a push</h1>\n',
      message: 'first page',
    });
    const live = await eventually(
      async () => {
        const view = await call<ProjectView>('get_project', { project: 'pushy' });
        expect(view.deployment).toMatchObject({ status: 'running', sha });
        return view;
      },
      30_000,
      200,
    );
    expect(live.deployment.sha).not.toBe(seeded.deployment.sha);
    expect(updated).toContain('threesix://projects/pushy');
    await watcher.close();
    expect(live.live.deployment).toMatchObject({ status: 'ok', data: { exists: true } });
    expect(live.live.ci.data.lastPipeline).toMatchObject({ commit: sha });
    const domain = await call('add_domain', { project: 'pushy', domain: 'www.pushy.org' });
    expect(domain.ingress).toBe('applied');
    expect((await call('reconcile', {})).drift).toEqual([]);
    const removed = await call('delete_project', { project: 'pushy', confirm: 'pushy' });
    expect(removed.removed).toEqual(expect.arrayContaining(['Deployment/pushy', 'repository threesix/pushy']));
    const deployer = await booted.app.backends.deployer.get();
    expect(await deployer.listManaged()).toEqual([]);
    expect((await call('reconcile', {})).drift).toEqual([]);
  }, 90_000);

  it('reconcile finds a DNS record deleted behind its back and repairs it', async () => {
    await call('create_project', { name: 'dnsy' });
    const dns = await booted.app.backends.dns.get();
    const records = (await dns.listRecords({ name: 'dnsy.example.test' })).filter(
      (r) => r.owner === booted.config.THREESIX_OWNER_ID,
    );
    expect(records).toHaveLength(1);
    await dns.applyChanges({ create: [], update: [], delete: records }, booted.config.THREESIX_OWNER_ID);
    const report = await call('reconcile', {});
    expect(report.drift).toEqual([expect.objectContaining({ project: 'dnsy', backend: 'dns', kind: 'missing' })]);
    const repaired = await call('reconcile', { repair: true, confirm: 'all' });
    expect(repaired.drift).toEqual([expect.objectContaining({ repaired: true })]);
    expect((await call('reconcile', {})).drift).toEqual([]);
    expect(await dns.listRecords({ name: 'dnsy.example.test' })).toHaveLength(1);
    await call('delete_project', { project: 'dnsy', confirm: 'dnsy' });
    expect(await dns.listRecords({ name: 'dnsy.example.test' })).toEqual([]);
  }, 30_000);
});
