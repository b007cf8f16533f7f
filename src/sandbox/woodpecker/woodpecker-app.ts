/**
 * @module sandbox/woodpecker/woodpecker-app
 * Woodpecker's HTTP server as the adapter uses it, routed like woodpecker-ci/woodpecker
 * server/router/router.go (root group: /version, /healthz) and server/router/api.go (/api: the
 * user, repositories, and the forge hook receiver `POST /api/hook?access_token=` that the Gitea
 * push webhook calls). Error bodies are plain text, as Woodpecker's are.
 */
import { randomBytes } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { Logger } from '../../ports/logger.port.js';
import type { ForgeClient } from './forge-client.js';
import { repoRoutes } from './routes-repos.js';
import { pipelineForPush } from './routes-hook.js';
import { pipelineRoutes } from './routes-pipelines.js';
import { WEB_UI_INDEX } from './web-ui.js';
import type { WoodpeckerState } from './woodpecker-state.js';

export interface WoodpeckerContext {
  state: WoodpeckerState;
  token: string;
  forge: ForgeClient;
  /** The stand-in's own URL, known after bind (hook URLs and pipeline links point at it). */
  site: { url: string };
  logger: Logger;
  /** Pipelines simulated in the background; stop() waits for them. */
  running: Set<Promise<void>>;
}

export const VERSION = '3.17.0';

export function createWoodpeckerApp(ctx: WoodpeckerContext): Hono {
  const app = new Hono();
  const requireUser = requireToken(ctx.token);
  // router.go registers these on the root group, outside /api (swagger.json's basePath /api is
  // wrong for /version; /api/version is an unknown path and gets the web UI below).
  app.get('/healthz', (c) => c.body(null, 204));
  app.get('/version', (c) => c.json({ source: 'https://github.com/woodpecker-ci/woodpecker', version: VERSION }));
  app.post('/api/hook', (c) => pipelineForPush(c, ctx));
  app.get('/api/user', requireUser, (c) =>
    c.json({
      id: 1,
      login: 'threesix-bot',
      email: 'bot@threesix.invalid',
      avatar_url: '',
      admin: true,
      admin_env: false,
      forge_id: 1,
      forge_remote_id: '1',
      org_id: 1,
    }),
  );
  app.route('/api', repoRoutes(ctx, requireUser));
  app.route('/api', pipelineRoutes(ctx, requireUser));
  // router.go `e.NoRoute(gin.WrapF(noRouteHandler))` hands every unmatched path (under /api too,
  // and any method: gin's HandleMethodNotAllowed is off) to the web UI, whose server/web/web.go
  // `handleIndex` answers 200, text/html, index.html. No token is checked: no route matched.
  app.all('*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(WEB_UI_INDEX, 200);
  });
  return app;
}

/**
 * session.MustUser (server/router/middleware/session/user.go): no valid token, no user, 401 with
 * this text. Put on each route, not on a prefix, so unmatched paths still reach the web UI.
 */
function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    if ((c.req.header('authorization') ?? '') !== `Bearer ${token}`) return c.text('User not authorized', 401);
    await next();
  };
}

export function textError(c: Context, status: 400 | 403 | 404 | 409 | 500, message: string) {
  return c.text(message, status);
}

export const newHookSecret = () => randomBytes(32).toString('base64url');
