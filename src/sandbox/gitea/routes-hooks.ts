/**
 * @module sandbox/gitea/routes-hooks
 * Repository webhooks: list, create, read, edit, delete. The secret is stored for signing and,
 * as in Gitea, never returned.
 */
import { Hono, type Context } from 'hono';
import { apiError, type GiteaContext } from './gitea-app.js';
import { renderHook } from './gitea-render.js';
import { now, type HookRecord } from './gitea-state.js';
import { findRepo } from './routes-repos.js';
import { paginate } from './paginate.js';

const HOOK_TYPES = [
  'dingtalk',
  'discord',
  'gitea',
  'gogs',
  'msteams',
  'slack',
  'telegram',
  'feishu',
  'wechatwork',
  'packagist',
];
const NOT_FOUND = "The target couldn't be found.";

type Body = Record<string, unknown>;

export function hookRoutes(ctx: GiteaContext): Hono {
  const app = new Hono();
  app.get('/repos/:owner/:repo/hooks', (c) => {
    const repo = findRepo(c, ctx);
    return repo ? c.json(paginate(c, repo.hooks, ctx.site.root).map(renderHook)) : apiError(c, ctx, 404, NOT_FOUND);
  });
  app.post('/repos/:owner/:repo/hooks', async (c) => {
    const repo = findRepo(c, ctx);
    if (!repo) return apiError(c, ctx, 404, NOT_FOUND);
    const input = ((await c.req.json().catch(() => ({}))) ?? {}) as Body;
    const config = (input.config ?? {}) as Record<string, unknown>;
    if (!HOOK_TYPES.includes(String(input.type))) return apiError(c, ctx, 422, 'Invalid hook type');
    const url = typeof config.url === 'string' ? config.url : '';
    if (!/^https?:\/\/./.test(url)) return apiError(c, ctx, 422, 'Invalid url');
    if (!['json', 'form'].includes(String(config.content_type))) return apiError(c, ctx, 422, 'Invalid content type');
    const hook: HookRecord = {
      id: ctx.state.id(),
      type: String(input.type),
      url,
      contentType: config.content_type as 'json' | 'form',
      secret: typeof config.secret === 'string' ? config.secret : '',
      httpMethod: typeof config.http_method === 'string' ? config.http_method : 'POST',
      events: stringList(input.events) ?? ['push'],
      active: input.active === true,
      branchFilter: typeof input.branch_filter === 'string' ? input.branch_filter : '',
      authorizationHeader: typeof input.authorization_header === 'string' ? input.authorization_header : '',
      created: now(),
      updated: now(),
    };
    repo.hooks.push(hook);
    ctx.state.save();
    return c.json(renderHook(hook), 201);
  });
  app.get('/repos/:owner/:repo/hooks/:id', (c) => {
    const hook = findHook(c, ctx);
    return hook ? c.json(renderHook(hook)) : apiError(c, ctx, 404, NOT_FOUND);
  });
  app.patch('/repos/:owner/:repo/hooks/:id', async (c) => {
    const hook = findHook(c, ctx);
    if (!hook) return apiError(c, ctx, 404, NOT_FOUND);
    const input = ((await c.req.json().catch(() => ({}))) ?? {}) as Body;
    const config = (input.config ?? {}) as Record<string, unknown>;
    if (typeof config.url === 'string') hook.url = config.url;
    if (config.content_type === 'json' || config.content_type === 'form') hook.contentType = config.content_type;
    if (typeof config.secret === 'string') hook.secret = config.secret;
    hook.events = stringList(input.events) ?? hook.events;
    if (typeof input.active === 'boolean') hook.active = input.active;
    if (typeof input.branch_filter === 'string') hook.branchFilter = input.branch_filter;
    hook.updated = now();
    ctx.state.save();
    return c.json(renderHook(hook));
  });
  app.delete('/repos/:owner/:repo/hooks/:id', (c) => {
    const repo = findRepo(c, ctx);
    const hook = findHook(c, ctx);
    if (!repo || !hook) return apiError(c, ctx, 404, NOT_FOUND);
    repo.hooks = repo.hooks.filter((h) => h.id !== hook.id);
    ctx.state.save();
    return c.body(null, 204);
  });
  return app;
}

function findHook(c: Context, ctx: GiteaContext): HookRecord | undefined {
  const id = Number(c.req.param('id'));
  return findRepo(c, ctx)?.hooks.find((h) => h.id === id);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 ? value.map(String) : undefined;
}
