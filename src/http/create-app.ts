/**
 * @module http/create-app
 * The Hono app behind `threesix-mcp serve`: MCP at /mcp, health probes, and whatever route groups
 * the entry point mounts (the CI webhook, metrics). Bodies are capped before anything parses them.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppContext } from '../services/app-context.js';
import { bearerAuth } from './bearer-auth.js';
import { healthRoutes } from './health-routes.js';
import { hostGuard, type HostGuardOptions } from './host-guard.js';
import { createMcpSessions, type McpSessions, type SessionLimits } from './mcp-route.js';

export interface HttpAppOptions {
  app: AppContext;
  createServer: () => McpServer;
  guard: HostGuardOptions;
  token: string | undefined;
  /** Route groups mounted at the root, e.g. the webhook. */
  routes?: Hono[];
  /** Routes behind the same token and host guard as /mcp, e.g. /metrics. */
  protectedRoutes?: Hono[];
  /** Bounds on live MCP sessions; defaults to DEFAULT_SESSION_LIMITS. */
  sessionLimits?: SessionLimits;
}

export interface HttpApp {
  hono: Hono;
  sessions: McpSessions;
}

export const MCP_BODY_LIMIT = 1024 * 1024;

export function createHttpApp(options: HttpAppOptions): HttpApp {
  const hono = new Hono();
  const sessions = createMcpSessions(options.createServer, options.app.logger, options.sessionLimits);
  // The rest of an oversized body is never read, so the connection cannot be reused: say so.
  const tooLarge = {
    onError: (c: Context) => {
      c.header('Connection', 'close');
      return c.json({ error: { code: 'INVALID_INPUT', message: 'request body over 1 MiB' } }, 413);
    },
  };

  hono.route('/', healthRoutes(options.app));
  hono.use('/mcp', hostGuard(options.guard), bearerAuth(options.token), bodyLimit({ maxSize: MCP_BODY_LIMIT, ...tooLarge }));
  hono.all('/mcp', c => sessions.handle(c));
  // Guarded path by path: a sub-app's `use('*')` would be mounted at `/*` and also stand in front
  // of the CI webhook, which has its own token (the deploy token) and is called from CI's hosts.
  for (const routes of options.protectedRoutes ?? []) {
    for (const path of new Set(routes.routes.map(r => r.path))) hono.use(path, hostGuard(options.guard), bearerAuth(options.token));
    hono.route('/', routes);
  }
  for (const routes of options.routes ?? []) hono.route('/', routes);
  hono.notFound(c => c.json({ error: { code: 'NOT_FOUND', message: 'no such route' } }, 404));
  hono.onError((error, c) => {
    options.app.logger.error('http error', { err: error, path: c.req.path });
    return c.json({ error: { code: 'INTERNAL', message: 'internal error' } }, 500);
  });
  return { hono, sessions };
}
