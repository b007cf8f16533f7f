/**
 * @module sandbox/gitea/git-repo
 * Real bare repositories driven by git plumbing: creating them, committing files without a work
 * tree (a private index file), reading refs, files and commit facts for Gitea's JSON.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitIdentity {
  name: string;
  email: string;
}

export interface CommitFacts {
  id: string;
  message: string;
  author: GitIdentity;
  committer: GitIdentity;
  timestamp: string;
  parents: string[];
  tree: string;
  added: string[];
  removed: string[];
  modified: string[];
}

export async function git(args: string[], options: { cwd: string; input?: Buffer | string; env?: Record<string, string> }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: options.cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', chunk => out.push(chunk));
    child.stderr.on('data', chunk => err.push(chunk));
    child.on('error', reject);
    child.on('close', code =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`git ${args[0]} failed (${code}): ${Buffer.concat(err).toString().slice(0, 300)}`)),
    );
    child.stdin.on('error', () => undefined); // a command that ignores stdin may close it early
    child.stdin.end(options.input ?? '');
  });
}

const text = async (args: string[], cwd: string) => (await git(args, { cwd })).toString('utf8').trim();

export async function initBare(dir: string, branch: string): Promise<void> {
  await git(['init', '--quiet', '--bare', `--initial-branch=${branch}`, dir], { cwd: tmpdir() });
  // Pushes arrive as an authenticated REMOTE_USER, but say it outright: this repository takes pushes.
  await git(['config', 'http.receivepack', 'true'], { cwd: dir });
}

/** refs/heads/* and refs/tags/* → sha. */
export async function listRefs(dir: string): Promise<Map<string, string>> {
  const out = await text(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags'], dir);
  return new Map(out.split('\n').filter(Boolean).map(line => line.split(' ') as [string, string]).map(([sha, ref]) => [ref, sha]));
}

/**
 * True when the repository has no branch or tag. Read from the files (loose refs, then
 * packed-refs) instead of running git, so listing many repositories does not spawn a process each.
 */
export function hasNoRefs(dir: string): boolean {
  const loose = (sub: string) => {
    try {
      return readdirSync(join(dir, sub), { recursive: true, withFileTypes: true }).some(entry => entry.isFile());
    } catch {
      return false;
    }
  };
  if (loose('refs/heads') || loose('refs/tags')) return false;
  try {
    return !/ refs\/(heads|tags)\//.test(readFileSync(join(dir, 'packed-refs'), 'utf8'));
  } catch {
    return true;
  }
}

export async function branchHead(dir: string, branch: string): Promise<string | undefined> {
  return (await listRefs(dir)).get(`refs/heads/${branch}`);
}

/** The blob at `path` on `ref`, or undefined when the ref or the path does not exist. */
export async function readBlob(dir: string, ref: string, path: string): Promise<{ sha: string; content: Buffer } | undefined> {
  const sha = await text(['rev-parse', '--verify', '--quiet', `${ref}:${path}`], dir).catch(() => '');
  if (!/^[0-9a-f]{40}$/.test(sha) || (await text(['cat-file', '-t', sha], dir)) !== 'blob') return undefined;
  return { sha, content: await git(['cat-file', 'blob', sha], { cwd: dir }) };
}

/** Writes files (no content = delete) onto `branch`, on top of `from` when given, as one commit; returns the new and old head. */
export async function commitFiles(
  dir: string,
  change: { branch: string; from?: string; message: string; files: Array<{ path: string; content?: Buffer }>; author: GitIdentity },
): Promise<{ sha: string; before: string | undefined }> {
  const before = await branchHead(dir, change.branch);
  const parent = change.from ? await branchHead(dir, change.from) : before;
  const index = join(tmpdir(), `threesix-gitea-index-${randomBytes(6).toString('hex')}`);
  const env = {
    GIT_INDEX_FILE: index,
    GIT_AUTHOR_NAME: change.author.name, GIT_AUTHOR_EMAIL: change.author.email,
    GIT_COMMITTER_NAME: change.author.name, GIT_COMMITTER_EMAIL: change.author.email,
  };
  try {
    if (parent) await git(['read-tree', parent], { cwd: dir, env });
    for (const file of change.files) {
      if (!file.content) {
        await git(['update-index', '--force-remove', file.path], { cwd: dir, env });
        continue;
      }
      const blob = (await git(['hash-object', '-w', '--stdin'], { cwd: dir, input: file.content })).toString().trim();
      await git(['update-index', '--add', '--cacheinfo', `100644,${blob},${file.path}`], { cwd: dir, env });
    }
    const tree = (await git(['write-tree'], { cwd: dir, env })).toString().trim();
    const parents = parent ? ['-p', parent] : [];
    const sha = (await git(['commit-tree', tree, ...parents], { cwd: dir, env, input: change.message })).toString().trim();
    await git(['update-ref', `refs/heads/${change.branch}`, sha, before ?? ''], { cwd: dir });
    return { sha, before };
  } finally {
    rmSync(index, { force: true });
  }
}

export async function commitFacts(dir: string, sha: string): Promise<CommitFacts> {
  const raw = (await git(['show', '-s', '--format=%H%x00%T%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%aI%x00%B', sha], { cwd: dir })).toString('utf8');
  const [id, tree, parents, an, ae, cn, ce, date, ...body] = raw.split('\0');
  const changes = await text(['diff-tree', '--no-commit-id', '--name-status', '-r', '--root', sha], dir);
  const facts: CommitFacts = {
    id: id!, tree: tree!, parents: parents ? parents.split(' ').filter(Boolean) : [],
    author: { name: an!, email: ae! }, committer: { name: cn!, email: ce! },
    timestamp: date!, message: body.join('\0').replace(/\n+$/, '\n'), added: [], removed: [], modified: [],
  };
  for (const line of changes.split('\n').filter(Boolean)) {
    const [status, path] = line.split('\t') as [string, string];
    (status.startsWith('A') ? facts.added : status.startsWith('D') ? facts.removed : facts.modified).push(path);
  }
  return facts;
}

/** Commits reachable from `after` and not from `exclude`, newest first (what Gitea's push payload lists). */
export async function newCommits(dir: string, after: string, exclude: string[], max = 20): Promise<{ shas: string[]; total: number }> {
  const not = exclude.length > 0 ? ['--not', ...exclude] : [];
  const all = (await text(['rev-list', after, ...not], dir)).split('\n').filter(Boolean);
  return { shas: all.slice(0, max), total: all.length };
}
