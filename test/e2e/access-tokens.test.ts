/**
 * Agent tokens over streamable HTTP with real SDK clients and a real server on the real database
 * (memory backends): scopes decide what tools/list shows and what may be called, project patterns
 * hide other projects from lists, resources and calls, --max-projects bounds creation, a revoked
 * token is refused on its next request, and the audit trail names the token, not the client.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttp } from '../../src/main/run-serve.js';
import { createAgentToken } from '../../src/services/access/agent-tokens.js';
import { scopedApp } from '../../src/services/access/scoped-app.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { createLifecycleApp, type LifecycleApp } from '../support/lifecycle-app.js';
import { connectHttp } from '../support/mcp-clients.js';
import { serveHttp } from '../support/serve-http.js';

type Result = { isError?: boolean; content: Array<{ text: string }>; structuredContent?: Record<string, unknown> };
const text = (r: unknown) => (r as Result).content[0]!.text;
/** A JSON resource, typed as the shape the caller reads. */
const readJson = async <T>(client: Client, uri: string) =>
  JSON.parse(((await client.readResource({ uri })).contents[0] as { text: string }).text) as T;

describe('agent tokens, scopes and project patterns over HTTP', () => {
  let lc: LifecycleApp;
  let http: RunningHttp;
  let url: URL;
  const tokens: Record<string, string> = {};
  const clients: Client[] = [];
  const connect = async (name: string) => {
    const client = await connectHttp(url, { Authorization: `Bearer ${tokens[name]}` });
    clients.push(client);
    return client;
  };

  const initialize = (token?: string) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }),
    });

  beforeAll(async () => {
    lc = await createLifecycleApp();
    http = await serveHttp(lc.app);
    url = new URL(`${http.url}/mcp`);
    await createProject(lc.app, { name: 'team-b-x' });
    await createProject(lc.app, { name: 'team-a-old' });
    for (const [name, options] of Object.entries({
      reader: { scope: 'read' as const },
      team_a: { scope: 'admin' as const, projects: ['team-a-*'] },
      bounded: { scope: 'write' as const, maxProjects: 2 },
      admin: { scope: 'admin' as const },
    }))
      tokens[name] = (await createAgentToken(lc.app.store.access, { name: name.replace('_', '-'), ...options })).token;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await http?.close();
  });

  it('refuses /mcp without a token once tokens exist, and with an unknown one', async () => {
    expect((await initialize()).status).toBe(401);
    expect((await initialize('tsx_not-a-real-token')).status).toBe(401);
    await expect(connectHttp(url)).rejects.toThrow(/missing bearer token/);
  });

  it('a read token lists only read-only tools and its write calls fail, changing nothing', async () => {
    const client = await connect('reader');
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(3);
    for (const tool of tools) expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    const created = await client.callTool({ name: 'create_project', arguments: { name: 'sneaky' } });
    expect(created.isError).toBe(true);
    expect(text(created)).toBe(
      'PERMISSION_DENIED: token "reader" has scope read; create_project needs write. Ask the operator for a token with that scope',
    );
    expect(await lc.app.store.projects.get('sneaky')).toBeUndefined();
    const listed = await client.callTool({ name: 'list_projects', arguments: {} });
    expect((listed as Result).structuredContent).toMatchObject({ total: 2 });
    // token list shows when it was last used.
    expect((await lc.app.store.access.listTokens()).find((t) => t.name === 'reader')?.lastUsedAt).toEqual(
      expect.any(String),
    );
  });

  it('a write token lists write tools but no destructive one; an admin token lists them all', async () => {
    const writer = await connect('bounded');
    const names = (await writer.listTools()).tools;
    expect(names.some((t) => !t.annotations?.readOnlyHint)).toBe(true);
    expect(names.filter((t) => t.annotations?.destructiveHint).map((t) => t.name)).toEqual([]);
    const refused = await writer.callTool({
      name: 'delete_project',
      arguments: { project: 'team-b-x', confirm: 'team-b-x' },
    });
    expect(text(refused)).toMatch(/^PERMISSION_DENIED: token "bounded" has scope write; delete_project needs admin/);
    expect(await lc.app.store.projects.get('team-b-x')).toBeDefined();
    const admin = await connect('admin');
    expect((await admin.listTools()).tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['delete_project', 'reconcile']),
    );
  });

  it("a 'team-a-*' token cannot see or touch team-b-x: lists and resources are filtered, calls are NOT_FOUND", async () => {
    const client = await connect('team_a');
    const listed = (await client.callTool({ name: 'list_projects', arguments: {} })) as Result;
    expect(listed.structuredContent).toMatchObject({
      total: 1,
      projects: [expect.objectContaining({ name: 'team-a-old' })],
    });
    const resource = await readJson<{ projects: Array<{ name: string }> }>(client, 'threesix://projects');
    expect(resource.projects.map((p) => p.name)).toEqual(['team-a-old']);
    const templates = await client.listResources();
    expect(templates.resources.map((r) => r.uri).filter((u) => u.includes('team-b'))).toEqual([]);
    await expect(client.readResource({ uri: 'threesix://projects/team-b-x' })).rejects.toThrow(/NOT_FOUND/);
    await expect(client.readResource({ uri: 'threesix://projects/team-b-x/events' })).rejects.toThrow(/NOT_FOUND/);

    const hidden = await client.callTool({ name: 'get_project', arguments: { project: 'team-b-x' } });
    const absent = await client.callTool({ name: 'get_project', arguments: { project: 'team-a-nothing' } });
    // Word for word what a project that does not exist gets: no existence leak.
    expect(text(hidden)).toBe(text(absent).replace('team-a-nothing', 'team-b-x'));
    const deleted = await client.callTool({
      name: 'delete_project',
      arguments: { project: 'team-b-x', confirm: 'team-b-x' },
    });
    expect(text(deleted)).toMatch(/^NOT_FOUND: project "team-b-x" does not exist/);
    expect(await lc.app.store.projects.get('team-b-x')).toBeDefined();

    const outside = await client.callTool({ name: 'create_project', arguments: { name: 'team-b-new' } });
    expect(text(outside)).toMatch(/^PERMISSION_DENIED: .*team-a-\*/);
    expect(await lc.app.store.projects.get('team-b-new')).toBeUndefined();
    const inside = await client.callTool({ name: 'create_project', arguments: { name: 'team-a-new' } });
    expect(inside.isError, text(inside)).toBeFalsy();
    // Tools that name no project and reach a backend would show other projects' records.
    const dns = await client.callTool({ name: 'list_dns', arguments: {} });
    expect(text(dns)).toMatch(/^PERMISSION_DENIED: /);
  });

  it('--max-projects 2 stops the third create with the count', async () => {
    const client = await connect('bounded');
    for (const name of ['own-one', 'own-two']) {
      const r = await client.callTool({ name: 'create_project', arguments: { name } });
      expect(r.isError, text(r)).toBeFalsy();
      // The operation records the token that started it.
      const operationId = String((r as Result).structuredContent?.operationId);
      expect(await lc.app.store.access.actorOf({ operation: operationId })).toBe('bounded');
    }
    const third = await client.callTool({ name: 'create_project', arguments: { name: 'own-three' } });
    expect(text(third)).toMatch(/^PERMISSION_DENIED: token "bounded" owns 2 projects, its limit is 2/);
    expect(await lc.app.store.projects.get('own-three')).toBeUndefined();
  });

  it('the audit trail and the events resource name the token, not the client', async () => {
    const client = await connect('admin');
    const events = await readJson<{ events: Array<{ actor: string; action: string }> }>(
      client,
      'threesix://projects/own-one/events',
    );
    expect(events.events.map((e) => [e.actor, e.action])).toContainEqual(['bounded', 'create_project']);
    const audit = await lc.app.store.audit.list({ target: 'team-a-new' });
    expect(audit.map((e) => e.actor)).toContain('team-a');
  });

  it("a token session's releases record the token", async () => {
    const session = scopedApp(lc.app, {
      name: 'admin',
      scope: 'admin',
      projects: [],
      maxProjects: null,
      source: 'token',
    });
    const release = await session.store.releases.create({
      project: 'own-one',
      image: 'registry.example.test:5000/threesix/own-one:v1',
      digest: null,
      commitSha: null,
      envHash: null,
      port: 8080,
      replicas: 1,
      status: 'pending',
    });
    expect(await lc.app.store.access.actorOf({ release: release.id })).toBe('admin');
    const unrecorded = await lc.app.store.releases.create({
      project: 'own-one',
      image: 'registry.example.test:5000/threesix/own-one:v2',
      digest: null,
      commitSha: null,
      envHash: null,
      port: 8080,
      replicas: 1,
      status: 'pending',
    });
    expect(await lc.app.store.access.actorOf({ release: unrecorded.id })).toBeNull();
  });

  it('a revoked token is refused on its next request, in a session it had already opened', async () => {
    const { token } = await createAgentToken(lc.app.store.access, { name: 'short-lived', scope: 'read' });
    const client = await connectHttp(url, { Authorization: `Bearer ${token}` });
    clients.push(client);
    await client.listTools();
    await lc.app.store.access.revokeToken('short-lived');
    await expect(client.listTools()).rejects.toThrow(/unknown, revoked or expired bearer token/);
    expect((await initialize(token)).status).toBe(401);
  });

  it('an expired token is refused', async () => {
    const { token } = await createAgentToken(lc.app.store.access, { name: 'brief', scope: 'read', expiresInMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await initialize(token)).status).toBe(401);
  });

  it("subscriptions of a 'team-a-*' token hear nothing about team-b-x", async () => {
    const client = await connect('team_a');
    const updated: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updated.push(n.params.uri));
    await client.subscribeResource({ uri: 'threesix://projects/team-b-x' });
    await client.subscribeResource({ uri: 'threesix://projects/team-a-old' });
    lc.app.events.projectChanged('team-b-x');
    lc.app.events.projectChanged('team-a-old');
    const deadline = Date.now() + 3000;
    while (updated.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(updated).toEqual(['threesix://projects/team-a-old']);
  });

  it('a session id is no credential: another token presenting it is refused', async () => {
    const client = await connect('reader');
    await client.listTools();
    const sessionId = (client as unknown as { _transport: { sessionId: string } })._transport.sessionId;
    const answer = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
        authorization: `Bearer ${tokens.admin}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(answer.status).toBe(403);
  });
});
