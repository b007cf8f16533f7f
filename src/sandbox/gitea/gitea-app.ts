/**
 * @module sandbox/gitea/gitea-app
 * The stand-in's HTTP surface: Gitea's REST API under /api/v1 (only what the adapter and the CI
 * stand-in call) and git smart HTTP at /<owner>/<repo>.git, both behind the same token.
 */
import { Hono, type Context } from 'hono';
import type { Logger } from '../../ports/logger.port.js';
import { runHttpBackend } from './git-http-backend.js';
import { listRefs } from './git-repo.js';
import { missingScopes, presentedToken, tokenMatches } from './gitea-auth.js';
import type { Site } from './gitea-render.js';
import type { GiteaState, RepoRecord, UserRecord } from './gitea-state.js';
import { miscRoutes } from './routes-misc.js';
import { repoRoutes } from './routes-repos.js';
import { contentRoutes } from './routes-contents.js';
import { hookRoutes } from './routes-hooks.js';

export interface GiteaContext {
  state: GiteaState;
  token: string;
  /** The token's scopes, e.g. ["write:organization"]; unscoped (everything allowed) when absent. */
  scopes?: readonly string[];
  admin: UserRecord;
  site: Site;
  logger?: Logger;
  /** Called after refs of a repository changed (git push or the contents API). */
  pushed(repo: RepoRecord, changes: Array<{ ref: string; before: string; after: string }>): void;
}

export const ZERO_SHA = '0'.repeat(40);

export function apiError(
  c: Pick<Context, 'json'>,
  ctx: GiteaContext,
  status: 400 | 401 | 403 | 404 | 409 | 422 | 423,
  message: string,
) {
  const body: Record<string, unknown> = { message, url: `${ctx.site.root}/api/swagger` };
  if (status === 404) body.errors = [];
  return c.json(body, status);
}

const GIT_PATH = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

export function createGiteaApp(ctx: GiteaContext): Hono {
  const app = new Hono();
  app.use('/api/v1/*', async (c, next) => {
    if (c.req.path === '/api/v1/version') return next();
    const token = presentedToken(c.req.header('authorization'), new URL(c.req.url).searchParams);
    if (!tokenMatches(token, ctx.token))
      return apiError(c, ctx, 401, token ? 'user does not exist [uid: 0, name: ]' : 'token is required');
    const missing = ctx.scopes ? missingScopes(ctx.scopes, c.req.method, c.req.path.slice('/api/v1'.length)) : [];
    if (missing.length > 0)
      return apiError(
        c,
        ctx,
        403,
        `token does not have at least one of required scope(s), required=[${missing.join(' ')}], token scope=${ctx.scopes!.join(',')}`,
      );
    return next();
  });
  app.route('/api/v1', miscRoutes(ctx));
  app.route('/api/v1', repoRoutes(ctx));
  app.route('/api/v1', hookRoutes(ctx));
  app.route('/api/v1', contentRoutes(ctx));
  app.all('/api/v1/*', (c) => apiError(c, ctx, 404, "The target couldn't be found."));
  app.all('*', (c) => serveGit(c, ctx));
  return app;
}

async function serveGit(c: Context, ctx: GiteaContext): Promise<Response> {
  const match = GIT_PATH.exec(c.req.path);
  if (!match) return c.text('Not found', 404);
  const token = presentedToken(c.req.header('authorization'), new URLSearchParams());
  if (!tokenMatches(token, ctx.token)) {
    return c.text('Unauthorized', 401, { 'WWW-Authenticate': 'Basic realm="Gitea"' });
  }
  const repo = ctx.state.repo(match[1]!, match[2]!);
  if (!repo) return c.text('Repository not found', 404);
  const service = match[3]!;
  const pushing = service === 'git-receive-pack' && c.req.method === 'POST';
  const dir = ctx.state.gitDir(repo);
  const before = pushing ? await listRefs(dir) : undefined;
  const response = await runHttpBackend(ctx.state.reposDir, {
    method: c.req.method,
    pathInfo: `/${repo.owner.toLowerCase()}/${repo.name.toLowerCase()}.git/${service}`,
    query: new URL(c.req.url).search.replace(/^\?/, ''),
    contentType: c.req.header('content-type'),
    contentEncoding: c.req.header('content-encoding'),
    gitProtocol: c.req.header('git-protocol'),
    remoteUser: ctx.admin.login,
    body: Buffer.from(await c.req.arrayBuffer()),
  });
  if (before) {
    const after = await listRefs(dir);
    const changes = [...new Set([...before.keys(), ...after.keys()])]
      .filter((ref) => before.get(ref) !== after.get(ref))
      .map((ref) => ({ ref, before: before.get(ref) ?? ZERO_SHA, after: after.get(ref) ?? ZERO_SHA }));
    if (changes.length > 0) ctx.pushed(repo, changes);
  }
  return response;
}
