/**
 * @module http/create-app
 * The Hono app behind `threesix-mcp serve`: MCP at /mcp, health probes, and whatever route groups
 * the entry point mounts (the CI webhook, metrics). Bodies are capped before anything parses them.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppContext } from '../services/shared/app-context.js';
import { healthRoutes } from './health-routes.js';
import { hostGuard, type HostGuardOptions } from './host-guard.js';
import { createMcpSessions, type McpSessions, type SessionLimits } from './mcp-route.js';
import { tokenAuth, type ExternalTokenCheck } from './token-auth.js';
import type { AccessIdentity } from '../services/access/identity.js';

export interface HttpAppOptions {
  app: AppContext;
  /** One server per session, for the identity that opened it (undefined on an open server). */
  createServer: (identity: AccessIdentity | undefined) => McpServer;
  guard: HostGuardOptions;
  /** The operator's THREESIX_HTTP_TOKEN (admin). */
  token: string | undefined;
  /** Checks JWTs of the OIDC issuer, when one is configured. */
  externalTokens?: ExternalTokenCheck;
  /** Extra routes before the token check, e.g. /.well-known/oauth-protected-resource. */
  publicRoutes?: Hono[];
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
  const sessions = createMcpSessions({
    createServer: options.createServer,
    logger: options.app.logger,
    store: options.app.store.mcpSessions,
    events: options.app.events,
    limits: options.sessionLimits,
  });
  // The rest of an oversized body is never read, so the connection cannot be reused: say so.
  const tooLarge = {
    onError: (c: Context) => {
      c.header('Connection', 'close');
      return c.json({ error: { code: 'INVALID_INPUT', message: 'request body over 1 MiB' } }, 413);
    },
  };

  const auth = (minScope?: 'admin') =>
    tokenAuth({
      operatorToken: options.token,
      access: options.app.store.access,
      external: options.externalTokens,
      minScope,
      resourceMetadataUrl: (c) => `${new URL(c.req.url).origin}/.well-known/oauth-protected-resource`,
    });

  hono.route('/', healthRoutes(options.app));
  for (const routes of options.publicRoutes ?? []) hono.route('/', routes);
  hono.use('/mcp', hostGuard(options.guard), auth(), bodyLimit({ maxSize: MCP_BODY_LIMIT, ...tooLarge }));
  hono.all('/mcp', (c) => sessions.handle(c));
  // Guarded path by path: a sub-app's `use('*')` would be mounted at `/*` and also stand in front
  // of the CI webhook, which has its own token (the deploy token) and is called from CI's hosts.
  for (const routes of options.protectedRoutes ?? []) {
    for (const path of new Set(routes.routes.map((r) => r.path)))
      hono.use(path, hostGuard(options.guard), auth('admin'));
    hono.route('/', routes);
  }
  for (const routes of options.routes ?? []) hono.route('/', routes);
  hono.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'no such route' } }, 404));
  hono.onError((error, c) => {
    options.app.logger.error('http error', { err: error, path: c.req.path });
    return c.json({ error: { code: 'INTERNAL', message: 'internal error' } }, 500);
  });
  return { hono, sessions };
}
