/**
 * @module sandbox/woodpecker/woodpecker-app
 * Woodpecker's API as the adapter uses it (swagger.json, basePath /api), Bearer-authenticated,
 * plus the forge hook receiver `POST /api/hook?access_token=` that the Gitea push webhook calls.
 * Error bodies are plain text, as Woodpecker's are.
 */
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Logger } from '../../ports/logger.port.js';
import type { ForgeClient } from './forge-client.js';
import { repoRoutes } from './routes-repos.js';
import { pipelineForPush } from './routes-hook.js';
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
  app.get('/healthz', c => c.body(null, 204));
  app.get('/api/version', c => c.json({ source: 'https://github.com/woodpecker-ci/woodpecker', version: VERSION }));
  app.post('/api/hook', c => pipelineForPush(c, ctx));
  app.use('/api/*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    if (header !== `Bearer ${ctx.token}`) return c.text('Unauthorized', 401);
    await next();
  });
  app.get('/api/user', c => c.json({ id: 1, login: 'threesix-bot', email: 'bot@threesix.invalid', avatar_url: '', admin: true, admin_env: false, forge_id: 1, forge_remote_id: '1', org_id: 1 }));
  app.route('/api', repoRoutes(ctx));
  app.all('*', c => c.text('404 page not found', 404));
  return app;
}

export function textError(c: Context, status: 400 | 403 | 404 | 409 | 500, message: string) {
  return c.text(message, status);
}

export const newHookSecret = () => randomBytes(32).toString('base64url');
