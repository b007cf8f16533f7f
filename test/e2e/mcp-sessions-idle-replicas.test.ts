/**
 * THREESIX_SESSION_IDLE_S across replicas: two `serve` apps in this process on one throwaway
 * PostgreSQL. A session opened on A and then used only on B stays alive past the idle time (B stamps
 * its last use in the database; A drops its idle copy and rebuilds it when asked again), and once
 * unused on both for the idle time it answers 404 on both. Skipped, visibly, without PostgreSQL's binaries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttp, type HttpServer } from '../support/mcp-clients.js';
import { postgresBinaries, startTestPostgres, type TestPostgres } from '../support/postgres.js';

const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function initialize(server: HttpServer): Promise<string> {
  const answer = await fetch(server.mcpUrl, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    }),
  });
  await answer.text();
  expect(answer.status).toBe(200);
  return answer.headers.get('mcp-session-id')!;
}

async function ping(server: HttpServer, sessionId: string): Promise<number> {
  const answer = await fetch(server.mcpUrl, {
    method: 'POST',
    headers: { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
  });
  await answer.text();
  return answer.status;
}

describe.skipIf(!postgresBinaries)(
  `idle MCP sessions across replicas${postgresBinaries ? '' : ' (skipped: PostgreSQL binaries not installed; apt-get install postgresql)'}`,
  () => {
    let postgres: TestPostgres;
    let a: HttpServer;
    let b: HttpServer;

    beforeAll(async () => {
      postgres = await startTestPostgres();
      const env = { THREESIX_DATABASE_URL: await postgres.freshDatabase(), THREESIX_SESSION_IDLE_S: '2' };
      a = await startHttp(env);
      b = await startHttp(env);
    }, 60_000);

    afterAll(async () => {
      await a?.close();
      await b?.close();
      await postgres?.stop();
    });

    it('keeps a session used on B alive past the idle time, and ends it on both once unused everywhere', async () => {
      const sessionId = await initialize(a);
      const started = Date.now();
      // Used on B only, for twice the idle time.
      while (Date.now() - started < 4000) {
        expect(await ping(b, sessionId)).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // A dropped its idle copy meanwhile, but the session lives: A rebuilds it from the store.
      expect(await ping(a, sessionId)).toBe(200);
      // Unused everywhere now (no polling: every request is a use): after the idle time and a sweep
      // (every second at this idle time), gone from both.
      await new Promise((resolve) => setTimeout(resolve, 4500));
      expect(await ping(b, sessionId)).toBe(404);
      expect(await ping(a, sessionId)).toBe(404);
    }, 30_000);
  },
);
