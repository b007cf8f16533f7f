/**
 * @module http/mcp-route
 * Streamable HTTP MCP with sessions: an `initialize` POST without a session id opens a session
 * (its own McpServer and transport); later requests carry `mcp-session-id`. Sessions live in the
 * state store, so any replica on the same database serves them: a replica that does not hold a
 * session in memory rebuilds it from its row (http/mcp-session-replay.ts) and keeps that copy. An
 * id the store does not know (never opened, ended, expired) gets 404, which tells the client to
 * start over. DELETE /mcp ends a session everywhere (its row, and every replica's copy through the
 * session-closed app event).
 * Bounds: at most `maxSessions` sessions live in this replica's memory (the cap is per replica; an
 * `initialize` or a rebuild beyond it gets 503 with Retry-After, and no server is built), and one
 * unused for `idleMs` is closed and its row removed, whichever replica used it last.
 */
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Context } from 'hono';
import { restoreSubscriptions } from '../mcp/resource-subscriptions.js';
import type { Logger } from '../ports/logger.port.js';
import type { McpInitializeParams, McpSessionStore } from '../ports/mcp-session-store.port.js';
import type { AccessIdentity } from '../services/access/identity.js';
import type { AppEvents } from '../services/shared/app-events.js';
import { replayInitialize } from './mcp-session-replay.js';

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  lastSeen: number;
  /** When this replica last wrote the row's last use (written at most every `touchEveryMs`). */
  touched: number;
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
const notFound = () => jsonRpcError(404, -32001, 'Session not found');
// A session id is not a credential: another token presenting it is refused (its server is built
// for the token that opened it, with that token's scope and projects).
const otherToken = () =>
  jsonRpcError(403, -32001, 'Session belongs to another token; initialize a session of your own');

export interface SessionLimits {
  maxSessions: number;
  idleMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxSessions: 256, idleMs: 10 * 60 * 1000 };

export interface McpSessionsOptions {
  createServer: (identity: AccessIdentity | undefined) => McpServer;
  logger: Logger;
  /** Where sessions are kept for every replica. */
  store: McpSessionStore;
  /** Carries session-closed between replicas. */
  events: AppEvents;
  limits?: SessionLimits;
}

export function createMcpSessions(options: McpSessionsOptions): McpSessions {
  const { createServer, logger, store, events } = options;
  const limits = options.limits ?? DEFAULT_SESSION_LIMITS;
  // The row's last use lags real use by less than this; expiry allows for it (see sweep).
  const touchEveryMs = Math.min(30_000, Math.floor(limits.idleMs / 8));
  const sessions = new Map<string, Session>();
  const rebuilding = new Map<string, Promise<Session | Response>>();
  /** Sessions being opened or rebuilt: they count against the cap too. */
  let opening = 0;
  let offClosed: (() => void) | undefined;
  // Heard once this replica holds a session: before that there is no copy to drop.
  const hearClosed = () => (offClosed ??= events.onSessionClosed((id) => void sessions.get(id)?.transport.close()));

  async function sweep() {
    const now = Date.now();
    const idleSince = now - limits.idleMs;
    const idleHere = [...sessions].filter(([, s]) => s.lastSeen < idleSince).map(([id]) => id);
    let expired: string[] = [];
    try {
      // Sessions idle here whose row no replica stamped since; and any whose holders are gone,
      // once even the lag of their last stamp has passed.
      expired = [
        ...(await store.expire(new Date(idleSince).toISOString(), idleHere)),
        ...(await store.expire(new Date(idleSince - touchEveryMs).toISOString())),
      ];
    } catch (error) {
      logger.warn('mcp sessions not expired', { err: error });
    }
    for (const id of expired) events.sessionClosed(id);
    // A copy idle here may be busy on another replica: dropping it frees memory and loses nothing.
    for (const id of idleHere) void sessions.get(id)?.transport.close();
  }
  // Sweep a few times per idle period, so a session lives at most ~1.25 × idleMs unused.
  const sweeper = setInterval(() => void sweep(), Math.max(1000, Math.min(60_000, Math.floor(limits.idleMs / 4))));
  sweeper.unref();

  /** Seconds until the least recently used session could expire: when a slot may free up. */
  function retryAfterS(): number {
    const oldest = Math.min(...[...sessions.values()].map((s) => s.lastSeen));
    const s = Number.isFinite(oldest) ? Math.ceil((oldest + limits.idleMs - Date.now()) / 1000) : 1;
    return Math.min(Math.max(s, 1), 60);
  }

  function full(): Response | undefined {
    if (sessions.size + opening < limits.maxSessions) return undefined;
    logger.warn('mcp session refused: at the session limit', { limit: limits.maxSessions });
    const busy = jsonRpcError(
      503,
      -32000,
      `Server busy: ${limits.maxSessions} MCP sessions are open; retry later or close unused sessions (DELETE /mcp)`,
    );
    busy.headers.set('Retry-After', String(retryAfterS()));
    return busy;
  }

  /** A server and transport for session `id`; `onOpened` runs when the transport takes the id. */
  async function build(
    identity: AccessIdentity | undefined,
    id: string,
    onOpened?: (session: Session) => Promise<void>,
  ): Promise<Session> {
    const server = createServer(identity);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      onsessioninitialized: onOpened ? () => onOpened(session) : undefined,
      // DELETE /mcp: the row goes before the answer, so no replica can rebuild the session after it.
      onsessionclosed: async () => {
        await store.delete(id);
        events.sessionClosed(id);
        logger.info('mcp session ended', { session: id });
      },
    });
    const now = Date.now();
    const session: Session = { transport, server, lastSeen: now, touched: now, identityName: identity?.name };
    session.transport.onclose = () => {
      if (sessions.get(id) === session) sessions.delete(id);
      void server.close().catch(() => undefined);
    };
    await server.connect(session.transport);
    return session;
  }

  async function open(body: { params: McpInitializeParams }, request: Request, identity: AccessIdentity | undefined) {
    const id = randomUUID();
    const session = await build(identity, id, async (opened) => {
      // Stored before the answer: the client's next request may land on another replica.
      try {
        await store.create({ id, identityName: identity?.name ?? null, initialize: initializeParams(body.params) });
      } catch (error) {
        logger.error('mcp session not stored; initialize refused', { session: id, err: error });
        // The SDK puts this message in its answer: nothing of the database's own error goes to the client.
        throw new Error('the session could not be stored; retry later');
      }
      sessions.set(id, opened);
      hearClosed();
      logger.info('mcp session opened', { session: id });
    });
    return session.transport.handleRequest(request, { parsedBody: body });
  }

  async function rebuild(id: string, identity: AccessIdentity | undefined, url: string): Promise<Session | Response> {
    const stored = await store.get(id);
    if (!stored) return notFound();
    if (stored.identityName !== (identity?.name ?? null)) return otherToken();
    const busy = full();
    if (busy) return busy;
    opening++;
    try {
      const session = await build(identity, id);
      try {
        await replayInitialize(session.transport, id, stored.initialize, url);
      } catch (error) {
        await session.transport.close();
        logger.warn('mcp session not rebuilt; the client starts over', { session: id, err: error });
        return notFound();
      }
      restoreSubscriptions(session.server, stored.subscriptions);
      // Not stamped yet on this replica: the first request stamps the row.
      session.touched = 0;
      sessions.set(id, session);
      hearClosed();
      logger.info('mcp session rebuilt from the store', { session: id });
      return session;
    } finally {
      opening--;
    }
  }

  /** This replica's copy of session `id`, rebuilt from the store when it has none. */
  async function find(id: string, c: Context): Promise<Session | Response> {
    const held = sessions.get(id);
    if (held) return held;
    // Concurrent requests of one session (its GET stream and a POST) share one rebuild.
    const key = `${c.get('identity')?.name ?? ''}\u0000${id}`;
    let pending = rebuilding.get(key);
    if (!pending) {
      pending = rebuild(id, c.get('identity'), c.req.raw.url).finally(() => rebuilding.delete(key));
      rebuilding.set(key, pending);
    }
    return pending;
  }

  /** Stamps the row's last use (at most every touchEveryMs); false when the session ended elsewhere. */
  async function stillOpen(id: string, session: Session): Promise<boolean> {
    const now = Date.now();
    session.lastSeen = now;
    if (now - session.touched < touchEveryMs) return true;
    session.touched = now;
    try {
      if (await store.touch(id)) return true;
    } catch (error) {
      logger.warn('mcp session use not recorded', { session: id, err: error });
      return true;
    }
    await session.transport.close();
    return false;
  }

  /** DELETE for a session this replica holds no copy of: no need to build one to end it. */
  async function endStored(id: string, identityName: string | undefined): Promise<Response> {
    const stored = await store.get(id);
    if (!stored) return notFound();
    if (stored.identityName !== (identityName ?? null)) return otherToken();
    await store.delete(id);
    events.sessionClosed(id);
    logger.info('mcp session ended', { session: id });
    return new Response(null, { status: 200 });
  }

  return {
    async handle(c) {
      const sessionId = c.req.header('mcp-session-id');
      if (sessionId) {
        const identityName = c.get('identity')?.name;
        if (c.req.method === 'DELETE' && !sessions.has(sessionId)) return endStored(sessionId, identityName);
        const session = await find(sessionId, c);
        if (session instanceof Response) return session;
        if (session.identityName !== identityName) return otherToken();
        if (!(await stillOpen(sessionId, session))) return notFound();
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
      const busy = full();
      if (busy) return busy;
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
      offClosed?.();
      // This replica stops; the sessions do not end: another replica rebuilds them from the store.
      await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
      sessions.clear();
    },
  };
}

/** What is kept of the client's initialize: the protocol's fields, nothing else it may have sent. */
function initializeParams(params: McpInitializeParams): McpInitializeParams {
  return { protocolVersion: params.protocolVersion, capabilities: params.capabilities, clientInfo: params.clientInfo };
}

const INVALID = Symbol('invalid');

async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return INVALID;
  }
}
