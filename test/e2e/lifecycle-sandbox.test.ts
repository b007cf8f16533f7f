/**
 * The lifecycle through a real MCP client against `serve --sandbox` (every stand-in this build
 * has): create a project, look at it, give it a custom domain, let reconcile find and repair a
 * record deleted behind threesix's back, and delete the project leaving nothing behind.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, type Booted } from '../../src/main/boot.js';
import { runServe, type RunningHttp } from '../../src/main/run-serve.js';
import { standIns } from '../../src/sandbox/index.js';
import { connectHttp } from '../support/mcp-clients.js';
import { tempDir } from '../support/test-app.js';

const simulatable = new Set<string>(standIns.map(s => s.backend));
type Structured = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('project lifecycle over MCP in the sandbox', () => {
  let booted: Booted;
  let http: RunningHttp;
  let client: Client;
  const call = async (name: string, args: Record<string, unknown>): Promise<Structured> => {
    const result = await client.callTool({ name, arguments: args });
    if (result.isError) throw new Error((result.content as Array<{ text: string }>)[0]!.text);
    return result.structuredContent as Structured;
  };

  beforeAll(async () => {
    booted = await boot({ sandbox: true, env: { THREESIX_DATA_DIR: tempDir(), DEFAULT_DOMAIN: 'example.test', THREESIX_LOG_LEVEL: 'error', THREESIX_COLLABORATORS: 'alice' } });
    http = await runServe(booted, { host: '127.0.0.1', port: 0 });
    client = await connectHttp(new URL(`${http.url}/mcp`));
  }, 30_000);
  afterAll(async () => {
    await client?.close();
    await http?.close();
  });

  it('creates, shows, serves a custom domain, and deletes without leaving anything', async () => {
    const plan = await call('create_project', { name: 'site', description: 'A site', dryRun: true });
    expect(plan.plan.length).toBeGreaterThan(3);
    const created = await call('create_project', { name: 'site', description: 'A site' });
    expect(created).toMatchObject({ project: 'site', url: 'https://site.example.test', cloneHttp: expect.stringMatching(/\/threesix\/site\.git$/) });
    const shown = await call('get_project', { name: 'site' });
    expect(shown.state).toBe('ready');
    expect(shown.live.git).toMatchObject({ status: 'ok', data: { exists: true, managed: true, empty: false } });
    const domain = await call('add_domain', { project: 'site', domain: 'www.site-owner.org' });
    expect(domain.record).toEqual({ name: 'www.site-owner.org', type: 'CNAME', content: 'site.example.test' });
    expect((await call('reconcile', {})).drift).toEqual([]);
    const removed = await call('delete_project', { name: 'site', confirm: 'site' });
    expect(removed.removed).toEqual(expect.arrayContaining(['repository threesix/site', 'project row site']));
    const after = await call('reconcile', {});
    expect(after.drift).toEqual([]);
    expect(after.checked).toBe(0);
    expect((await call('list_projects', {})).total).toBe(0);
  }, 30_000);

  it.skipIf(!simulatable.has('dns'))('reconcile finds a DNS record deleted behind its back and repairs it', async () => {
    await call('create_project', { name: 'dnsy' });
    const dns = await booted.app.backends.dns.get();
    const records = (await dns.listRecords({ name: 'dnsy.example.test' })).filter(r => r.owner === booted.config.THREESIX_OWNER_ID);
    expect(records).toHaveLength(1);
    await dns.applyChanges({ create: [], update: [], delete: records }, booted.config.THREESIX_OWNER_ID);
    const report = await call('reconcile', {});
    expect(report.drift).toEqual([expect.objectContaining({ project: 'dnsy', backend: 'dns', kind: 'missing' })]);
    const repaired = await call('reconcile', { repair: true, confirm: 'all' });
    expect(repaired.drift).toEqual([expect.objectContaining({ repaired: true })]);
    expect((await call('reconcile', {})).drift).toEqual([]);
    expect(await dns.listRecords({ name: 'dnsy.example.test' })).toHaveLength(1);
    await call('delete_project', { name: 'dnsy', confirm: 'dnsy' });
    expect(await dns.listRecords({ name: 'dnsy.example.test' })).toEqual([]);
  }, 30_000);
});
