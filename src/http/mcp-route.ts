/**
 * @module http/mcp-route
 * Streamable HTTP MCP with sessions: an `initialize` POST without a session id opens a session
 * (its own McpServer and transport); later requests carry `mcp-session-id`. An unknown or closed
 * session id gets 404, which tells the client to start over.
 */
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Context } from 'hono';
import type { Logger } from '../ports/logger.port.js';

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  lastSeen: number;
}

export interface McpSessions {
  handle(c: Context): Promise<Response>;
  count(): number;
  closeAll(): Promise<void>;
}

const jsonRpcError = (status: number, code: number, message: string) =>
  new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json' },
  });

export function createMcpSessions(createServer: () => McpServer, logger: Logger, idleMs = 60 * 60 * 1000): McpSessions {
  const sessions = new Map<string, Session>();
  const sweeper = setInterval(() => {
    const cutoff = Date.now() - idleMs;
    for (const [id, session] of sessions) if (session.lastSeen < cutoff) void session.transport.close();
  }, 60_000);
  sweeper.unref();

  async function open(body: unknown, request: Request): Promise<Response> {
    const server = createServer();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: id => {
        sessions.set(id, { transport, server, lastSeen: Date.now() });
        logger.info('mcp session opened', { session: id });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      void server.close().catch(() => undefined);
    };
    await server.connect(transport);
    return transport.handleRequest(request, { parsedBody: body });
  }

  return {
    async handle(c) {
      const sessionId = c.req.header('mcp-session-id');
      if (sessionId) {
        const session = sessions.get(sessionId);
        if (!session) return jsonRpcError(404, -32001, 'Session not found');
        session.lastSeen = Date.now();
        if (c.req.method === 'POST') {
          const body = await readJson(c);
          if (body === INVALID) return jsonRpcError(400, -32700, 'Parse error');
          return session.transport.handleRequest(c.req.raw, { parsedBody: body });
        }
        return session.transport.handleRequest(c.req.raw);
      }
      if (c.req.method !== 'POST') return jsonRpcError(400, -32000, 'Bad Request: mcp-session-id header is required');
      const body = await readJson(c);
      if (body === INVALID) return jsonRpcError(400, -32700, 'Parse error');
      if (!isInitializeRequest(body)) return jsonRpcError(400, -32000, 'Bad Request: no session; send initialize first');
      return open(body, c.req.raw);
    },
    count: () => sessions.size,
    async closeAll() {
      clearInterval(sweeper);
      await Promise.all([...sessions.values()].map(s => s.transport.close().catch(() => undefined)));
      sessions.clear();
    },
  };
}

const INVALID = Symbol('invalid');

async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return INVALID;
  }
}
