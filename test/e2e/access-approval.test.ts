/**
 * A person in the loop (THREESIX_APPROVAL=destructive) with real SDK clients over HTTP: a client
 * that supports elicitation is asked, naming the project and what its dry run would remove; a
 * decline deletes nothing, an accept proceeds; a client that cannot ask is refused with a clear
 * error. Without the setting nobody is asked, as before.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttp } from '../../src/main/run-serve.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { createLifecycleApp, type LifecycleApp } from '../support/lifecycle-app.js';
import { connectHttp } from '../support/mcp-clients.js';
import { serveHttp } from '../support/serve-http.js';

const text = (r: unknown) => (r as { content: Array<{ text: string }> }).content[0]!.text;

async function askingClient(url: URL, answer: ElicitResult, asked: ElicitRequest['params'][]): Promise<Client> {
  const client = new Client({ name: 'person-e2e', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    asked.push(request.params);
    return answer;
  });
  await client.connect(new StreamableHTTPClientTransport(url));
  return client;
}

async function serve(env: Record<string, string>): Promise<{ lc: LifecycleApp; http: RunningHttp; url: URL }> {
  const lc = await createLifecycleApp(env);
  const http = await serveHttp(lc.app);
  return { lc, http, url: new URL(`${http.url}/mcp`) };
}

describe('THREESIX_APPROVAL=destructive: destructive tools need the person', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  const clients: Client[] = [];
  beforeAll(async () => {
    s = await serve({ THREESIX_APPROVAL: 'destructive' });
    for (const name of ['kept', 'gone', 'mute']) await createProject(s.lc.app, { name });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await s?.http.close();
  });

  it('a declined elicitation deletes nothing, even with confirm filled in', async () => {
    const asked: ElicitRequest['params'][] = [];
    const client = await askingClient(s.url, { action: 'decline' }, asked);
    clients.push(client);
    const result = await client.callTool({ name: 'delete_project', arguments: { project: 'kept', confirm: 'kept' } });
    expect(text(result)).toMatch(
      /^PERMISSION_DENIED: delete_project on "kept" was not approved by the person \(decline\)\. Nothing was changed/,
    );
    expect(asked).toHaveLength(1);
    // The person reads the project and what the dry run says would go.
    expect(asked[0]!.message).toContain('delete_project on "kept"');
    expect(asked[0]!.message).toMatch(/would remove/);
    expect(await s.lc.app.store.projects.get('kept')).toBeDefined();
  });

  it('an accept without approve ticked is not approval', async () => {
    const client = await askingClient(s.url, { action: 'accept', content: { approve: false } }, []);
    clients.push(client);
    const result = await client.callTool({ name: 'delete_project', arguments: { project: 'kept', confirm: 'kept' } });
    expect(text(result)).toMatch(/^PERMISSION_DENIED: .*approve was not ticked/);
    expect(await s.lc.app.store.projects.get('kept')).toBeDefined();
  });

  it('an accepted elicitation proceeds', async () => {
    const client = await askingClient(s.url, { action: 'accept', content: { approve: true } }, []);
    clients.push(client);
    const result = await client.callTool({ name: 'delete_project', arguments: { project: 'gone', confirm: 'gone' } });
    expect(result.isError, text(result)).toBeFalsy();
    expect(await s.lc.app.store.projects.get('gone')).toBeUndefined();
  });

  it('a client that cannot ask is refused with a clear error; a dry run is not asked about', async () => {
    const client = await connectHttp(s.url);
    clients.push(client);
    const result = await client.callTool({ name: 'delete_project', arguments: { project: 'mute', confirm: 'mute' } });
    expect(text(result)).toMatch(/^PERMISSION_DENIED: .*does not support MCP elicitation.*Nothing was changed/);
    expect(await s.lc.app.store.projects.get('mute')).toBeDefined();
    const dry = await client.callTool({
      name: 'delete_project',
      arguments: { project: 'mute', confirm: 'mute', dryRun: true },
    });
    expect(dry.isError, text(dry)).toBeFalsy();
  });
});

describe('without THREESIX_APPROVAL', () => {
  it('nobody is asked and confirm decides, as before', async () => {
    const s = await serve({});
    try {
      await createProject(s.lc.app, { name: 'plain' });
      const asked: ElicitRequest['params'][] = [];
      const client = await askingClient(s.url, { action: 'decline' }, asked);
      const result = await client.callTool({
        name: 'delete_project',
        arguments: { project: 'plain', confirm: 'plain' },
      });
      expect(result.isError, text(result)).toBeFalsy();
      expect(asked).toEqual([]);
      await client.close();
    } finally {
      await s.http.close();
    }
  });
});
