import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/main/boot.js';
import { runServe } from '../../src/main/run-serve.js';
import { notifyBody } from '../support/ci-fixture.js';
import { connectHttp, startHttp, type HttpServer } from '../support/mcp-clients.js';
import { tempDir } from '../support/test-app.js';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}` };
const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const post = (url: URL, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('MCP over streamable HTTP (real server, real SDK client)', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttp({ THREESIX_HTTP_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves tools, resources and tool errors to an authorised client', async () => {
    const client = await connectHttp(server.mcpUrl, auth);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('list_projects');
      const resource = await client.readResource({ uri: 'threesix://projects' });
      expect(JSON.parse(String((resource.contents[0] as { text: string }).text))).toEqual({ projects: [], total: 0 });
      const failed = await client.callTool({ name: 'get_project', arguments: { project: 'Bad_Name' } });
      expect(failed.isError).toBe(true);
      expect((failed.content as Array<{ text: string }>)[0]!.text).toMatch(/^INVALID_INPUT: /);
    } finally {
      await client.close();
    }
  });

  it('keeps the MCP token and Host check off the CI webhook, which answers with its own deploy-token check', async () => {
    const { request } = await import('node:http');
    const webhook = new URL('/webhooks/woodpecker', server.mcpUrl);
    // CI reaches the server under its own name, with the project's deploy token, never the MCP token.
    const headers = {
      host: 'threesix.ci.example',
      'content-type': 'application/json',
      authorization: 'Bearer t36_not-a-deploy-token',
    };
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(webhook, { method: 'POST', headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(notifyBody('shop', 'a'.repeat(40)));
    });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'rejected', reason: 'unauthenticated' });
    expect((await fetch(new URL('/metrics', server.mcpUrl))).status).toBe(401);
    expect((await fetch(new URL('/metrics', server.mcpUrl), { headers: auth })).status).toBe(200);
  });

  it('refuses /mcp without the bearer token (401) and with a wrong one', async () => {
    expect((await post(server.mcpUrl, initialize)).status).toBe(401);
    expect((await post(server.mcpUrl, initialize, { Authorization: 'Bearer wrong' })).status).toBe(401);
    await expect(connectHttp(server.mcpUrl)).rejects.toThrow();
  });

  it('refuses a foreign Host and a foreign Origin (DNS-rebinding protection)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        server.mcpUrl,
        { method: 'POST', headers: { host: 'evil.example:80', 'content-type': 'application/json', ...auth } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end(JSON.stringify(initialize));
    });
    expect(status).toBe(403);
    expect((await post(server.mcpUrl, initialize, { ...auth, Origin: 'https://evil.example' })).status).toBe(403);
  });

  it('answers 404 for an unknown session id and for a deleted session', async () => {
    const unknown = await post(
      server.mcpUrl,
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { ...auth, 'mcp-session-id': 'no-such-session' },
    );
    expect(unknown.status).toBe(404);
    const opened = await post(server.mcpUrl, initialize, auth);
    expect(opened.status).toBe(200);
    const sessionId = opened.headers.get('mcp-session-id')!;
    expect(sessionId).toBeTruthy();
    await opened.text();
    const deleted = await fetch(server.mcpUrl, { method: 'DELETE', headers: { ...auth, 'mcp-session-id': sessionId } });
    expect(deleted.status).toBe(200);
    const after = await post(
      server.mcpUrl,
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
      { ...auth, 'mcp-session-id': sessionId },
    );
    expect(after.status).toBe(404);
  });

  it('caps request bodies at 1 MiB', async () => {
    const huge = JSON.stringify({
      ...initialize,
      params: { ...initialize.params, padding: 'x'.repeat(1024 * 1024 + 10) },
    });
    expect((await post(server.mcpUrl, huge, auth)).status).toBe(413);
  });

  it('serves health without a token and readiness of the database', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: { ok: true } } });
  });
});

describe('serve start-up rules', () => {
  it('refuses a non-loopback address without THREESIX_HTTP_TOKEN', async () => {
    const booted = await boot({ sandbox: false, env: { THREESIX_DATA_DIR: tempDir(), THREESIX_LOG_LEVEL: 'error' } });
    await expect(runServe(booted, { host: '0.0.0.0', port: 0 })).rejects.toThrow(/THREESIX_HTTP_TOKEN/);
    await booted.shutdown();
  });
});
