/**
 * MCP sessions across `serve` replicas: two built `serve` processes (A and B) on one throwaway
 * PostgreSQL and one set of stand-ins. A real SDK client sits behind a stand-in load balancer (its
 * `fetch` sends each request to the replica the test picks), so one session's requests land on
 * both: a session opened on A works on B (tools/list, a tool call), a subscription made on A is
 * delivered over the GET stream B holds when the change is made through A (LISTEN/NOTIFY), another
 * token presenting the session id is refused on both, DELETE through either ends the session on
 * both, and a session whose replica is SIGKILLed carries on on the other. Skipped, visibly, without
 * PostgreSQL's binaries.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStateStore } from '../../src/adapters/postgres/postgres-state-store.js';
import { createAgentToken } from '../../src/services/access/agent-tokens.js';
import { startCrashRig, startServer, type CrashRig, type ServerProcess } from '../support/crash-harness.js';
import { eventually } from '../support/eventually.js';
import { postgresBinaries, startTestPostgres, type TestPostgres } from '../support/postgres.js';

type Replica = 'A' | 'B';

/** A client whose GET stream and POSTs go where `route` says at the time of each request. */
async function connectBalanced(
  servers: Record<Replica, ServerProcess>,
  token: string,
  route: { get: Replica; post: Replica },
) {
  // GET streams each replica has opened for this client (a 200 to a GET), so a test can wait for its stream.
  const streams: Record<Replica, number> = { A: 0, B: 0 };
  const transport = new StreamableHTTPClientTransport(servers.A.url, {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: async (_url, init) => {
      const replica = init?.method === 'GET' ? route.get : route.post;
      const response = await fetch(servers[replica].url, init);
      if (init?.method === 'GET' && response.ok) streams[replica]++;
      return response;
    },
  });
  const client = new Client({ name: 'balanced', version: '1.0.0' });
  const heard = { updated: [] as string[], listChanged: 0 };
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void heard.updated.push(n.params.uri));
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void heard.listChanged++);
  await client.connect(transport);
  return { client, transport, heard, streams, sessionId: transport.sessionId! };
}

const post = (server: ServerProcess, sessionId: string, token: string, body: unknown) =>
  fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-06-18',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
  });
const ping = (server: ServerProcess, sessionId: string, token: string) =>
  post(server, sessionId, token, { jsonrpc: '2.0', id: 7, method: 'ping' }).then(async (r) => {
    await r.body?.cancel();
    return r.status;
  });

describe.skipIf(!postgresBinaries)(
  `MCP sessions across two serve replicas on PostgreSQL${postgresBinaries ? '' : ' (skipped: PostgreSQL binaries not installed; apt-get install postgresql)'}`,
  () => {
    let postgres: TestPostgres;
    let rig: CrashRig;
    const servers = {} as Record<Replica, ServerProcess>;
    const tokens = { alice: '', bob: '' };
    const clients: Client[] = [];

    beforeAll(async () => {
      postgres = await startTestPostgres();
      const url = await postgres.freshDatabase();
      const store = await openPostgresStateStore(url);
      try {
        tokens.alice = (await createAgentToken(store.access, { name: 'alice', scope: 'admin' })).token;
        tokens.bob = (await createAgentToken(store.access, { name: 'bob', scope: 'admin' })).token;
      } finally {
        await store.close();
      }
      rig = await startCrashRig(0, { THREESIX_DATABASE_URL: url, THREESIX_PUBLIC_URL: 'http://127.0.0.1:9' });
      [servers.A, servers.B] = await Promise.all([startServer(rig), startServer(rig)]);
    }, 90_000);

    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await Promise.all(Object.values(servers).map((s) => s.kill()));
      await rig?.stop();
      await postgres?.stop();
    });

    it('a session opened on A serves its next requests on B: tools/list and a tool call', async () => {
      const route = { get: 'A' as Replica, post: 'A' as Replica };
      const { client, sessionId } = await connectBalanced(servers, tokens.alice, route);
      clients.push(client);
      route.post = 'B';
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('list_projects');
      const listed = await client.callTool({ name: 'list_projects', arguments: {} });
      expect(listed.isError, JSON.stringify(listed.content)).toBeFalsy();
      expect(servers.B.stderr()).toContain(sessionId);
      expect(servers.B.stderr()).toContain('mcp session rebuilt from the store');
      // And back on A, which still holds its copy.
      route.post = 'A';
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    }, 30_000);

    it('delivers, over the stream B holds, the notifications of a change made through A; once each', async () => {
      // `far`: every POST on A, its GET stream on B. `near`: everything on A, as with one replica.
      const far = await connectBalanced(servers, tokens.alice, { get: 'B', post: 'A' });
      const near = await connectBalanced(servers, tokens.alice, { get: 'A', post: 'A' });
      clients.push(far.client, near.client);
      // B rebuilds `far` for its GET stream first; the subscription made on A afterwards reaches B's copy
      // through the store and the session-subscriptions event.
      await eventually(() => expect(servers.B.stderr()).toContain(far.sessionId), 10_000);
      for (const { client } of [far, near]) await client.subscribeResource({ uri: 'threesix://projects/pg-shop' });
      const created = await far.client.callTool({ name: 'create_project', arguments: { name: 'pg-shop' } });
      expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
      await eventually(() => {
        expect(far.heard.updated).toContain('threesix://projects/pg-shop');
        expect(far.heard.listChanged).toBeGreaterThan(0);
      }, 10_000);
      // Settled: the replica that published hears its own NOTIFY too, and must not deliver it twice.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(far.heard.listChanged).toBe(near.heard.listChanged);
      expect(far.heard.updated).toEqual(near.heard.updated);
    }, 60_000);

    it("refuses another token presenting a session's id, on both replicas", async () => {
      const { client, sessionId } = await connectBalanced(servers, tokens.alice, { get: 'A', post: 'A' });
      clients.push(client);
      for (const replica of ['A', 'B'] as const) {
        const answer = await post(servers[replica], sessionId, tokens.bob, {
          jsonrpc: '2.0',
          id: 3,
          method: 'tools/list',
        });
        expect(answer.status).toBe(403);
      }
      expect(await ping(servers.B, sessionId, tokens.alice)).toBe(200);
    }, 30_000);

    it('DELETE through either replica ends the session on both; an unknown id is 404 on both', async () => {
      // Held by both replicas (its stream on B), ended through B.
      const both = await connectBalanced(servers, tokens.alice, { get: 'B', post: 'A' });
      await eventually(() => expect(servers.B.stderr()).toContain(both.sessionId), 10_000);
      expect(await ping(servers.A, both.sessionId, tokens.alice)).toBe(200);
      const deleted = await fetch(servers.B.url, {
        method: 'DELETE',
        headers: { 'mcp-session-id': both.sessionId, authorization: `Bearer ${tokens.alice}` },
      });
      expect(deleted.status).toBe(200);
      expect(await ping(servers.B, both.sessionId, tokens.alice)).toBe(404);
      await eventually(async () => expect(await ping(servers.A, both.sessionId, tokens.alice)).toBe(404), 5000);
      await both.client.close();

      // Held by A alone, ended through B, which never built a copy of it.
      const onA = await connectBalanced(servers, tokens.alice, { get: 'A', post: 'A' });
      const refused = await fetch(servers.B.url, {
        method: 'DELETE',
        headers: { 'mcp-session-id': onA.sessionId, authorization: `Bearer ${tokens.bob}` },
      });
      expect(refused.status).toBe(403);
      const ended = await fetch(servers.B.url, {
        method: 'DELETE',
        headers: { 'mcp-session-id': onA.sessionId, authorization: `Bearer ${tokens.alice}` },
      });
      expect(ended.status).toBe(200);
      await eventually(async () => expect(await ping(servers.A, onA.sessionId, tokens.alice)).toBe(404), 5000);
      await onA.client.close();

      for (const replica of ['A', 'B'] as const)
        expect(await ping(servers[replica], 'no-such-session', tokens.alice)).toBe(404);
    }, 30_000);

    it('a session that lived on a SIGKILLed replica carries on on the other, its stream reconnecting there', async () => {
      const route = { get: 'A' as Replica, post: 'A' as Replica };
      const lone = await connectBalanced(servers, tokens.alice, route);
      clients.push(lone.client);
      await lone.client.subscribeResource({ uri: 'threesix://projects/pg-after' });
      await servers.A.kill();
      // The balancer notices A is gone and sends everything to B; the SDK client reconnects its GET stream there.
      route.get = 'B';
      route.post = 'B';
      expect((await lone.client.listTools()).tools.length).toBeGreaterThan(0);
      await eventually(() => expect(servers.B.stderr()).toContain(lone.sessionId), 10_000);
      // Notifications sent while no stream is open are not replayed (README): wait for the SDK client
      // to have its GET stream open again, on B, before the change it should hear about.
      await eventually(() => expect(lone.streams.B).toBeGreaterThan(0), 15_000);
      const created = await lone.client.callTool({ name: 'create_project', arguments: { name: 'pg-after' } });
      expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
      await eventually(() => expect(lone.heard.updated).toContain('threesix://projects/pg-after'), 15_000);
    }, 60_000);
  },
);
