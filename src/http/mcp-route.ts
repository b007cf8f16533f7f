/**
 * @module http/mcp-route
 * Streamable HTTP MCP with sessions: an `initialize` POST without a session id opens a session
 * (its own McpServer and transport); later requests carry `mcp-session-id`. An unknown or closed
 * session id gets 404, which tells the client to start over. Sessions are bounded: at most
 * `maxSessions` live at once (an `initialize` beyond that gets 503 with Retry-After, and no
 * server is built for it), and one unused for `idleMs` is closed, so a flood of initializes
 * cannot grow memory without limit.
 */
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Context } from 'hono';
import type { Logger } from '../ports/logger.port.js';
import type { AccessIdentity } from '../services/access/identity.js';

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  lastSeen: number;
  /** Who opened it: later requests must come from the same identity. */
  identityName: string | undefined;
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

export interface SessionLimits {
  maxSessions: number;
  idleMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxSessions: 256, idleMs: 10 * 60 * 1000 };

export function createMcpSessions(
  createServer: (identity: AccessIdentity | undefined) => McpServer,
  logger: Logger,
  limits: SessionLimits = DEFAULT_SESSION_LIMITS,
): McpSessions {
  const sessions = new Map<string, Session>();
  /** Sessions being opened (initialize in flight): they count against the cap too. */
  let opening = 0;
  const sweep = () => {
    const cutoff = Date.now() - limits.idleMs;
    for (const session of sessions.values()) if (session.lastSeen < cutoff) void session.transport.close();
  };
  // Sweep a few times per idle period, so a session lives at most ~1.25 × idleMs unused.
  const sweeper = setInterval(sweep, Math.max(1000, Math.min(60_000, Math.floor(limits.idleMs / 4))));
  sweeper.unref();

  /** Seconds until the least recently used session could expire: when a slot may free up. */
  function retryAfterS(): number {
    const oldest = Math.min(...[...sessions.values()].map((s) => s.lastSeen));
    const s = Number.isFinite(oldest) ? Math.ceil((oldest + limits.idleMs - Date.now()) / 1000) : 1;
    return Math.min(Math.max(s, 1), 60);
  }

  async function open(body: unknown, request: Request, identity: AccessIdentity | undefined): Promise<Response> {
    const server = createServer(identity);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, lastSeen: Date.now(), identityName: identity?.name });
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
        // A session id is not a credential: another token presenting it is refused (its server
        // was built for the token that opened it, with that token's scope and projects).
        if (session.identityName !== c.get('identity')?.name)
          return jsonRpcError(403, -32001, 'Session belongs to another token; initialize a session of your own');
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
      if (!isInitializeRequest(body))
        return jsonRpcError(400, -32000, 'Bad Request: no session; send initialize first');
      if (sessions.size + opening >= limits.maxSessions) {
        logger.warn('mcp session refused: at the session limit', { limit: limits.maxSessions });
        const full = jsonRpcError(
          503,
          -32000,
          `Server busy: ${limits.maxSessions} MCP sessions are open; retry later or close unused sessions (DELETE /mcp)`,
        );
        full.headers.set('Retry-After', String(retryAfterS()));
        return full;
      }
      opening++;
      try {
        return await open(body, c.req.raw, c.get('identity'));
      } finally {
        opening--;
      }
    },
    count: () => sessions.size,
    async closeAll() {
      clearInterval(sweeper);
      await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
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
