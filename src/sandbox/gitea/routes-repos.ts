/**
 * @module sandbox/gitea/routes-repos
 * Repositories of an organization, their topics, collaborators and deploy keys. Status codes and
 * bodies follow Gitea 1.25 (swagger.v1.json and the handlers in routers/api/v1/repo).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Hono, type Context } from 'hono';
import { apiError, type GiteaContext } from './gitea-app.js';
import { commitFiles } from './git-commit.js';
import { hasNoRefs, initBare } from './git-repo.js';
import { renderKey, renderRepo } from './gitea-render.js';
import { now, type Permission, type RepoRecord } from './gitea-state.js';
import { paginate } from './paginate.js';
import { checkPublicKeyString, InvalidKeyContent, type CheckedKey } from './ssh-key-parse.js';

const REPO_NAME = /^[\w.-]{1,100}$/;
const TOPIC = /^[a-z0-9][-.a-z0-9]{0,34}$/;
const NOT_FOUND = "The target couldn't be found.";

type Body = Record<string, unknown>;
const PERMISSIONS: readonly unknown[] = ['read', 'write', 'admin'] satisfies Permission[];
const isPermission = (value: unknown): value is Permission => PERMISSIONS.includes(value);
const body = async (c: Context): Promise<Body> => ((await c.req.json().catch(() => ({}))) ?? {}) as Body;

export function repoJson(ctx: GiteaContext, repo: RepoRecord) {
  const owner = ctx.state.org(repo.owner) ?? ctx.state.user(repo.owner) ?? ctx.admin;
  return renderRepo(ctx.site, repo, owner, hasNoRefs(ctx.state.gitDir(repo)));
}

export function findRepo(c: Context, ctx: GiteaContext): RepoRecord | undefined {
  return ctx.state.repo(c.req.param('owner')!, c.req.param('repo')!);
}

export function repoRoutes(ctx: GiteaContext): Hono {
  const app = new Hono();
  app.get('/orgs/:org/repos', (c) => {
    const org = ctx.state.org(c.req.param('org'));
    if (!org) return apiError(c, ctx, 404, NOT_FOUND);
    const page = paginate(c, ctx.state.reposOf(org.name), ctx.site.root);
    return c.json(page.map((repo) => repoJson(ctx, repo)));
  });
  app.post('/orgs/:org/repos', async (c) => {
    const org = ctx.state.org(c.req.param('org'));
    if (!org) return apiError(c, ctx, 404, NOT_FOUND);
    const input = await body(c);
    const name = typeof input.name === 'string' ? input.name : '';
    if (!REPO_NAME.test(name) || name === '.' || name === '..' || name.endsWith('.git'))
      return apiError(c, ctx, 422, '[Name]: invalid repository name');
    if (ctx.state.repo(org.name, name))
      return apiError(c, ctx, 409, 'The repository with the same name already exists.');
    const branch = typeof input.default_branch === 'string' && input.default_branch ? input.default_branch : 'main';
    const repo = ctx.state.addRepo({
      owner: org.name,
      name,
      description: typeof input.description === 'string' ? input.description : '',
      private: input.private === true,
      defaultBranch: branch,
      archived: false,
    });
    const dir = ctx.state.gitDir(repo);
    mkdirSync(dirname(dir), { recursive: true });
    await initBare(dir, branch);
    if (input.auto_init === true) {
      const readme = `# ${name}\n\n${repo.description}`;
      await commitFiles(dir, {
        branch,
        message: 'Initial commit\n',
        files: [{ path: 'README.md', content: Buffer.from(readme) }],
        author: { name: ctx.admin.login, email: `${ctx.admin.login}@noreply.localhost` },
      });
    }
    return c.json(repoJson(ctx, repo), 201);
  });
  // What Woodpecker's forge driver asks when a repository is activated by its forge id.
  app.get('/repositories/:id', (c) => {
    const repo = ctx.state.repoById(Number(c.req.param('id')));
    return repo ? c.json(repoJson(ctx, repo)) : apiError(c, ctx, 404, NOT_FOUND);
  });
  app.get('/repos/:owner/:repo', (c) => {
    const repo = findRepo(c, ctx);
    return repo ? c.json(repoJson(ctx, repo)) : apiError(c, ctx, 404, NOT_FOUND);
  });
  app.patch('/repos/:owner/:repo', async (c) => {
    const repo = findRepo(c, ctx);
    if (!repo) return apiError(c, ctx, 404, NOT_FOUND);
    const input = await body(c);
    if (typeof input.description === 'string') repo.description = input.description;
    if (typeof input.private === 'boolean') repo.private = input.private;
    if (typeof input.archived === 'boolean') repo.archived = input.archived;
    if (typeof input.default_branch === 'string' && input.default_branch) repo.defaultBranch = input.default_branch;
    repo.updated = now();
    ctx.state.save();
    return c.json(repoJson(ctx, repo));
  });
  app.delete('/repos/:owner/:repo', (c) => {
    const repo = findRepo(c, ctx);
    if (!repo) return apiError(c, ctx, 404, NOT_FOUND);
    ctx.state.removeRepo(repo);
    return c.body(null, 204);
  });
  app.get('/repos/:owner/:repo/topics', (c) => {
    const repo = findRepo(c, ctx);
    return repo ? c.json({ topics: [...repo.topics] }) : apiError(c, ctx, 404, NOT_FOUND);
  });
  app.put('/repos/:owner/:repo/topics/:topic', (c) => {
    const repo = findRepo(c, ctx);
    if (!repo) return apiError(c, ctx, 404, NOT_FOUND);
    const topic = c.req.param('topic').trim().toLowerCase();
    if (!TOPIC.test(topic)) return apiError(c, ctx, 422, `invalid topic: ${topic.slice(0, 40)}`);
    if (!repo.topics.includes(topic)) {
      if (repo.topics.length >= 25) return apiError(c, ctx, 422, 'Exceeding maximum number of topics per repo');
      repo.topics.push(topic);
      ctx.state.save();
    }
    return c.body(null, 204);
  });
  app.put('/repos/:owner/:repo/collaborators/:collaborator', async (c) => {
    const repo = findRepo(c, ctx);
    if (!repo) return apiError(c, ctx, 404, NOT_FOUND);
    const user = ctx.state.user(c.req.param('collaborator'));
    if (!user) return apiError(c, ctx, 422, 'user does not exist');
    const permission = (await body(c)).permission ?? 'write';
    if (!isPermission(permission)) return apiError(c, ctx, 422, 'invalid permission');
    repo.collaborators[user.login] = permission;
    ctx.state.save();
    return c.body(null, 204);
  });
  keyRoutes(app, ctx);
  return app;
}

function keyRoutes(app: Hono, ctx: GiteaContext): void {
  app.get('/repos/:owner/:repo/keys', (c) => {
    const repo = findRepo(c, ctx);
    return repo
      ? c.json(paginate(c, repo.keys, ctx.site.root).map((k) => renderKey(ctx.site, repo, k)))
      : apiError(c, ctx, 404, NOT_FOUND);
  });
  app.post('/repos/:owner/:repo/keys', async (c) => {
    const repo = findRepo(c, ctx);
    if (!repo) return apiError(c, ctx, 404, NOT_FOUND);
    const input = await body(c);
    const title = typeof input.title === 'string' ? input.title.trim() : '';
    if (!title || typeof input.key !== 'string') return apiError(c, ctx, 422, '[Title, Key]: Required');
    let checked: CheckedKey;
    try {
      checked = checkPublicKeyString(input.key);
    } catch (error) {
      if (error instanceof InvalidKeyContent) return apiError(c, ctx, 422, error.message);
      throw error;
    }
    if (repo.keys.some((k) => k.fingerprint === checked.fingerprint))
      return apiError(c, ctx, 422, 'Key content has been used as non-deploy key');
    if (repo.keys.some((k) => k.title === title))
      return apiError(c, ctx, 422, 'A key with the same name already exists');
    const key = {
      id: ctx.state.id(),
      title,
      key: checked.content,
      readOnly: input.read_only === true,
      fingerprint: checked.fingerprint,
      created: now(),
    };
    repo.keys.push(key);
    ctx.state.save();
    return c.json(renderKey(ctx.site, repo, key), 201);
  });
  app.delete('/repos/:owner/:repo/keys/:id', (c) => {
    const repo = findRepo(c, ctx);
    const id = Number(c.req.param('id'));
    if (!repo || !repo.keys.some((k) => k.id === id)) return apiError(c, ctx, 404, NOT_FOUND);
    repo.keys = repo.keys.filter((k) => k.id !== id);
    ctx.state.save();
    return c.body(null, 204);
  });
}
