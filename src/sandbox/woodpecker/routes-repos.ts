/**
 * @module sandbox/woodpecker/routes-repos
 * Repository activation (which registers a push hook in the forge), lookup, removal, hook repair,
 * secrets and pipelines, with Woodpecker's status codes (server/api/repo.go, repo_secret.go).
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { newHookSecret, textError, type WoodpeckerContext } from './woodpecker-app.js';
import { renderPipeline, renderRepo, renderSecret } from './woodpecker-render.js';
import type { StandInRepo } from './woodpecker-state.js';

const EVENTS = new Set([
  'push',
  'pull_request',
  'pull_request_closed',
  'pull_request_metadata',
  'tag',
  'release',
  'deployment',
  'cron',
  'manual',
]);

/** `requireUser` guards each route (not the prefix): an unmatched path falls through to the web UI. */
export function repoRoutes(ctx: WoodpeckerContext, requireUser: MiddlewareHandler): Hono {
  const app = new Hono();
  const repoOf = (c: Context) => ctx.state.repos.get(Number(c.req.param('id')));

  app.post('/repos', requireUser, async (c) => {
    const forgeRemoteId = Number(c.req.query('forge_remote_id'));
    if (!Number.isInteger(forgeRemoteId) || forgeRemoteId <= 0) return textError(c, 400, 'No forge_remote_id provided');
    const existing = ctx.state.byForgeId(forgeRemoteId);
    if (existing?.active) return textError(c, 409, 'Repository is already active.');
    const forge = await ctx.forge.repoById(forgeRemoteId).catch(() => undefined);
    // PostRepo (server/api/repo.go): any error of the forge's Repo lookup, a repository that does
    // not exist included, is a 500 with this text.
    if (!forge) return textError(c, 500, 'Could not fetch repository from forge.');
    const repo =
      existing ??
      ctx.state.add({
        forgeRemoteId,
        owner: forge.owner,
        name: forge.name,
        defaultBranch: forge.defaultBranch,
        cloneUrl: forge.cloneUrl,
        forgeUrl: forge.htmlUrl,
        private: forge.private,
      });
    try {
      await installHook(ctx, repo);
    } catch {
      if (!existing) ctx.state.repos.delete(repo.id);
      return textError(c, 500, 'could not create webhook in forge.');
    }
    repo.active = true;
    return c.json(renderRepo(repo));
  });
  app.get('/repos/lookup/*', requireUser, (c) => {
    const repo = ctx.state.byFullName(decodeURIComponent(c.req.path.replace(/^.*?\/repos\/lookup\//, '')));
    return repo ? c.json(renderRepo(repo)) : textError(c, 404, 'Not Found');
  });
  app.get('/user/repos', requireUser, (c) =>
    c.json(
      [...ctx.state.repos.values()]
        .filter((r) => r.active)
        .map((r) => {
          const last = r.pipelines.at(-1);
          return { ...renderRepo(r), ...(last ? { last_pipeline: renderPipeline(r, last) } : {}) };
        }),
    ),
  );
  app.get('/repos/:id', requireUser, (c) => {
    const repo = repoOf(c);
    return repo ? c.json(renderRepo(repo)) : textError(c, 404, 'Not Found');
  });
  app.delete('/repos/:id', requireUser, async (c) => {
    const repo = repoOf(c);
    if (!repo) return textError(c, 404, 'Not Found');
    if (repo.hookId !== null) await ctx.forge.deleteHook(repo.owner, repo.name, repo.hookId);
    repo.hookId = null;
    repo.active = false;
    if (c.req.query('remove') === 'true') ctx.state.repos.delete(repo.id);
    return c.json(renderRepo(repo));
  });
  app.post('/repos/:id/repair', requireUser, async (c) => {
    const repo = repoOf(c);
    if (!repo) return textError(c, 404, 'Not Found');
    if (repo.hookId !== null) await ctx.forge.deleteHook(repo.owner, repo.name, repo.hookId);
    await installHook(ctx, repo);
    return c.body(null, 204);
  });

  app.get('/repos/:id/secrets', requireUser, (c) => {
    const repo = repoOf(c);
    return repo ? c.json([...repo.secrets.values()].map((s) => renderSecret(repo, s))) : textError(c, 404, 'Not Found');
  });
  app.post('/repos/:id/secrets', requireUser, async (c) => {
    const repo = repoOf(c);
    if (!repo) return textError(c, 404, 'Not Found');
    const body = await secretBody(c);
    if (!body) return textError(c, 400, 'Error inserting secret. Invalid secret');
    // Woodpecker answers 500 for a duplicate name (the insert fails).
    if (repo.secrets.has(body.name)) return textError(c, 500, `Error inserting secret "${body.name}".`);
    return c.json(renderSecret(repo, ctx.state.putSecret(repo, body)));
  });
  app.patch('/repos/:id/secrets/:name', requireUser, async (c) => {
    const repo = repoOf(c);
    const name = c.req.param('name');
    if (!repo || !repo.secrets.has(name)) return textError(c, 404, 'Not Found');
    const body = await secretBody(c, name);
    if (!body) return textError(c, 400, 'Error updating secret. Invalid secret');
    return c.json(renderSecret(repo, ctx.state.putSecret(repo, body)));
  });
  app.delete('/repos/:id/secrets/:name', requireUser, (c) => {
    const repo = repoOf(c);
    if (!repo || !repo.secrets.delete(c.req.param('name'))) return textError(c, 404, 'Not Found');
    return c.body(null, 204);
  });

  app.get('/repos/:id/pipelines', requireUser, (c) => {
    const repo = repoOf(c);
    if (!repo) return textError(c, 404, 'Not Found');
    const perPage = Math.min(Number(c.req.query('perPage') ?? 50) || 50, 50);
    const page = Math.max(Number(c.req.query('page') ?? 1) || 1, 1);
    const newest = [...repo.pipelines].reverse().slice((page - 1) * perPage, page * perPage);
    return c.json(newest.map((p) => renderPipeline(repo, p)));
  });
  app.get('/repos/:id/pipelines/:number', requireUser, (c) => {
    const repo = repoOf(c);
    const pipeline = repo?.pipelines.find((p) => p.number === Number(c.req.param('number')));
    return repo && pipeline ? c.json(renderPipeline(repo, pipeline)) : textError(c, 404, 'Not Found');
  });
  return app;
}

async function installHook(ctx: WoodpeckerContext, repo: StandInRepo): Promise<void> {
  repo.hookToken = newHookSecret();
  const url = `${ctx.site.url}/api/hook?access_token=${repo.hookToken}`;
  repo.hookId = await ctx.forge.createHook(repo.owner, repo.name, url, newHookSecret());
}

async function secretBody(
  c: Context,
  fixedName?: string,
): Promise<{ name: string; value: string; events: string[] } | undefined> {
  const body = (await c.req.json().catch(() => undefined)) as
    | { name?: unknown; value?: unknown; events?: unknown }
    | undefined;
  const name = fixedName ?? body?.name;
  const events = body?.events;
  if (
    typeof name !== 'string' ||
    !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ||
    typeof body?.value !== 'string' ||
    body.value === ''
  )
    return undefined;
  if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string' && EVENTS.has(e)))
    return undefined;
  return { name, value: body.value, events: events as string[] };
}
