/**
 * `serve` bounds what clients can hold: live MCP sessions are capped (503 + Retry-After beyond
 * the cap, no server built), unused sessions expire, and a request whose body trickles in is cut
 * off. Each runs against the real HTTP server and the SDK's real client.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connectHttp, startHttp, type HttpServer } from '../support/mcp-clients.js';
import { eventually } from '../support/eventually.js';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const postInitialize = (url: URL) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify(initialize),
  });

let server: HttpServer | undefined;
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await server?.close();
  server = undefined;
});

describe('serve: bounded sessions and connections', () => {
  it('refuses initialize beyond THREESIX_MAX_SESSIONS with 503 and Retry-After, and admits again once a session closes', async () => {
    server = await startHttp({ THREESIX_MAX_SESSIONS: '3' });
    for (let i = 0; i < 3; i++) clients.push(await connectHttp(server.mcpUrl));
    const refused = await postInitialize(server.mcpUrl);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/3 MCP sessions are open/);
    // The open sessions still work while the server is full.
    expect((await clients[0]!.listTools()).tools.length).toBeGreaterThan(0);
    // Ending one (DELETE /mcp with its session id) frees its slot.
    const ending = clients.shift()!;
    await (ending.transport as StreamableHTTPClientTransport).terminateSession();
    await ending.close();
    expect((await postInitialize(server.mcpUrl)).status).toBe(200);
  });

  it('closes a session unused for THREESIX_SESSION_IDLE_S, freeing its slot; its id then answers 404, the signal to start over', async () => {
    server = await startHttp({ THREESIX_SESSION_IDLE_S: '1', THREESIX_MAX_SESSIONS: '1' });
    const opened = await postInitialize(server.mcpUrl);
    const session = opened.headers.get('mcp-session-id');
    expect(session).toBeTruthy();
    expect((await postInitialize(server.mcpUrl)).status).toBe(503);
    // A new initialize does not touch the idle session: it is admitted once that one expires.
    await eventually(async () => expect((await postInitialize(server!.mcpUrl)).status).toBe(200), 8000, 250);
    const ping = await fetch(server.mcpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': session!,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
    });
    expect(ping.status).toBe(404);
  });

  it('cuts off a request whose body trickles in past THREESIX_HTTP_REQUEST_TIMEOUT_S', async () => {
    server = await startHttp({ THREESIX_HTTP_REQUEST_TIMEOUT_S: '1' });
    const { hostname, port } = server.mcpUrl;
    const socket: Socket = connect(Number(port), hostname);
    const closed = new Promise<string>((resolve) => {
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer));
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /mcp HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
    );
    // One byte every 200 ms: never finishes within a minute on its own.
    const trickle = setInterval(() => socket.write(' '), 200);
    const started = Date.now();
    try {
      const answer = await closed;
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(answer === '' || /^HTTP\/1\.1 408/.test(answer)).toBe(true);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  });
});
