/**
 * @module sandbox/gitea/routes-contents
 * Files and branches: GET contents/{filepath}, POST contents (ChangeFiles: several files in one
 * real commit, which fires push hooks as Gitea does) and GET branches/{branch}.
 */
import { Hono, type Context } from 'hono';
import { apiError, ZERO_SHA, type GiteaContext } from './gitea-app.js';
import { commitFacts } from './git-log.js';
import { blobIds, hasNoRefs, isBranchName, listRefs, readBlob } from './git-repo.js';
import { commitFiles, isStorablePath, type CommitResult } from './git-commit.js';
import { renderPayloadCommit } from './gitea-render.js';
import type { RepoRecord } from './gitea-state.js';
import { findRepo } from './routes-repos.js';

const NOT_FOUND = "The target couldn't be found.";
const OPERATIONS = ['create', 'update', 'upload', 'rename', 'delete'];

interface FileOp {
  operation: string;
  path: string;
  content?: string;
  sha?: string;
}

export function contentRoutes(ctx: GiteaContext): Hono {
  const app = new Hono();
  app.get('/repos/:owner/:repo/contents/*', async (c) => {
    const repo = findRepo(c, ctx);
    if (!repo) return apiError(c, ctx, 404, NOT_FOUND);
    const path = decodeURIComponent(c.req.path.replace(/^.*?\/contents\//, ''));
    const ref = new URL(c.req.url).searchParams.get('ref') || repo.defaultBranch;
    const dir = ctx.state.gitDir(repo);
    const head = (await listRefs(dir)).get(`refs/heads/${ref}`) ?? (/^[0-9a-f]{40}$/.test(ref) ? ref : undefined);
    const blob = head ? await readBlob(dir, head, path) : undefined;
    if (!head || !blob) return apiError(c, ctx, 404, NOT_FOUND);
    return c.json(contentsJson(ctx, repo, path, blob.sha, head, blob.content));
  });
  app.post('/repos/:owner/:repo/contents', (c) => changeFiles(c, ctx));
  app.get('/repos/:owner/:repo/branches/:branch', async (c) => {
    const repo = findRepo(c, ctx);
    const branch = c.req.param('branch');
    // An empty repository has no branch, which its files tell without running git; otherwise one
    // `git show` both finds the head and describes it, and fails when there is no such branch.
    const dir = repo && ctx.state.gitDir(repo);
    const facts =
      dir && isBranchName(branch) && !hasNoRefs(dir)
        ? await commitFacts(dir, `refs/heads/${branch}`).catch(() => undefined)
        : undefined;
    if (!repo || !facts) return apiError(c, ctx, 404, NOT_FOUND);
    const commit = renderPayloadCommit(ctx.site, repo, facts);
    return c.json({
      name: branch,
      commit,
      protected: false,
      required_approvals: 0,
      enable_status_check: false,
      status_check_contexts: [],
      user_can_push: true,
      user_can_merge: true,
      effective_branch_protection_name: '',
    });
  });
  return app;
}

async function changeFiles(c: Context, ctx: GiteaContext): Promise<Response> {
  const repo = findRepo(c, ctx);
  if (!repo) return apiError(c, ctx, 404, NOT_FOUND);
  const input = ((await c.req.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
  const files = input.files as FileOp[] | undefined;
  if (!Array.isArray(files) || files.length === 0) return apiError(c, ctx, 422, '[Files]: Required');
  const dir = ctx.state.gitDir(repo);
  const base = typeof input.branch === 'string' && input.branch ? input.branch : repo.defaultBranch;
  const target = typeof input.new_branch === 'string' && input.new_branch ? input.new_branch : base;
  const refs = hasNoRefs(dir) ? new Map<string, string>() : await listRefs(dir);
  const head = refs.get(`refs/heads/${base}`);
  if (!head && refs.size > 0) return apiError(c, ctx, 404, `branch does not exist [name: ${base}]`);
  if (target !== base && refs.has(`refs/heads/${target}`))
    return apiError(c, ctx, 422, `branch already exists [name: ${target}]`);
  const bad = files.find(
    (f) =>
      !OPERATIONS.includes(f.operation) ||
      typeof f.path !== 'string' ||
      !isStorablePath(f.path) ||
      f.operation === 'rename',
  );
  if (bad) return apiError(c, ctx, 422, `invalid file operation [path: ${String(bad.path).slice(0, 80)}]`);
  // What each path holds now, asked of git once for all files (none on an empty branch).
  const current = head
    ? await blobIds(
        dir,
        head,
        files.map((f) => f.path),
      )
    : new Map<string, string>();
  const writes: Array<{ path: string; content?: Buffer }> = [];
  for (const file of files) {
    const sha = current.get(file.path);
    if (file.operation === 'create' && sha)
      return apiError(c, ctx, 422, `repository file already exists [path: ${file.path}]`);
    if ((file.operation === 'update' || file.operation === 'delete') && !sha)
      return apiError(c, ctx, 404, `repository file does not exist [path: ${file.path}]`);
    if (file.operation === 'update' && file.sha && sha && file.sha !== sha)
      return apiError(c, ctx, 422, `sha does not match [given: ${file.sha}, expected: ${sha}]`);
    writes.push({
      path: file.path,
      content: file.operation === 'delete' ? undefined : Buffer.from(file.content ?? '', 'base64'),
    });
  }
  const who = (input.author ?? input.committer ?? {}) as { name?: string; email?: string };
  const author = { name: who.name || ctx.admin.login, email: who.email || `${ctx.admin.login}@noreply.localhost` };
  const message =
    typeof input.message === 'string' && input.message
      ? input.message
      : `Update ${writes.map((w) => w.path).join(', ')}`;
  const before = refs.get(`refs/heads/${target}`);
  let made: CommitResult;
  try {
    made = await commitFiles(dir, { branch: target, parent: head, message, files: writes, author });
  } catch {
    // Another commit moved the branch meanwhile (fast-import refuses a non-fast-forward): Gitea's
    // nearest answer is its 422 for a stale base ("commit id does not match").
    return apiError(c, ctx, 422, `branch ${target} changed during the commit [name: ${target}]`);
  }
  const { sha } = made;
  ctx.pushed(repo, [{ ref: `refs/heads/${target}`, before: before ?? ZERO_SHA, after: sha }]);
  const contents = writes
    .filter((w) => w.content)
    .map((w) => contentsJson(ctx, repo, w.path, made.blobs.get(w.path)!, sha, w.content!));
  const person = { name: author.name, email: author.email, date: made.date };
  const parents = head ? [head] : [];
  const full = `${ctx.site.root}/api/v1/repos/${repo.owner}/${repo.name}`;
  return c.json(
    {
      files: contents,
      commit: {
        url: `${full}/git/commits/${sha}`,
        sha,
        created: made.date,
        html_url: `${ctx.site.root}/${repo.owner}/${repo.name}/commit/${sha}`,
        author: person,
        committer: person,
        message: message.replace(/\n*$/, '\n'),
        parents: parents.map((p) => ({ url: `${full}/git/commits/${p}`, sha: p, created: made.date })),
        tree: { url: `${full}/git/trees/${made.tree}`, sha: made.tree, created: made.date },
      },
      verification: { verified: false, reason: 'gpg.error.not_signed_commit', signature: '', payload: '' },
    },
    201,
  );
}

function contentsJson(ctx: GiteaContext, repo: RepoRecord, path: string, sha: string, commit: string, content: Buffer) {
  const base = `${ctx.site.root}/${repo.owner}/${repo.name}`;
  const api = `${ctx.site.root}/api/v1/repos/${repo.owner}/${repo.name}`;
  const self = `${api}/contents/${path}?ref=${commit}`;
  return {
    name: path.split('/').pop(),
    path,
    sha,
    last_commit_sha: commit,
    type: 'file',
    size: content.length,
    encoding: 'base64',
    content: content.toString('base64'),
    url: self,
    html_url: `${base}/src/commit/${commit}/${path}`,
    git_url: `${api}/git/blobs/${sha}`,
    download_url: `${base}/raw/commit/${commit}/${path}`,
    _links: { self, git: `${api}/git/blobs/${sha}`, html: `${base}/src/commit/${commit}/${path}` },
  };
}
