/**
 * @module sandbox/gitea/git-repo
 * Real bare repositories driven by git plumbing: creating them, reading refs and files, one
 * process per question where git allows (commits: git-commit.ts; commit facts: git-log.ts).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitIdentity {
  name: string;
  email: string;
}

export async function git(
  args: string[],
  options: { cwd: string; input?: Buffer | string; env?: Record<string, string> },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out))
        : reject(new Error(`git ${args[0]} failed (${code}): ${Buffer.concat(err).toString().slice(0, 300)}`)),
    );
    child.stdin.on('error', () => undefined); // a command that ignores stdin may close it early
    child.stdin.end(options.input ?? '');
  });
}

export const text = async (args: string[], cwd: string) => (await git(args, { cwd })).toString('utf8').trim();

export async function initBare(dir: string, branch: string): Promise<void> {
  // No template: the sample hooks and description it copies are never used, and copying them is
  // most of what `git init` costs.
  await git(['init', '--quiet', '--bare', '--template=', `--initial-branch=${branch}`, dir], { cwd: tmpdir() });
  // Pushes arrive as an authenticated REMOTE_USER, but say it outright: this repository takes
  // pushes. Appended to the config file git init just wrote (what `git config` would write),
  // which saves a process per new repository.
  appendFileSync(join(dir, 'config'), '[http]\n\treceivepack = true\n');
}

/** refs/heads/* and refs/tags/* → sha. */
export async function listRefs(dir: string): Promise<Map<string, string>> {
  const out = await text(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags'], dir);
  return new Map(
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string])
      .map(([sha, ref]) => [ref, sha]),
  );
}

/**
 * True when the repository has no branch or tag. Read from the files (loose refs, then
 * packed-refs) instead of running git, so listing many repositories does not spawn a process each.
 */
export function hasNoRefs(dir: string): boolean {
  const loose = (sub: string) => {
    try {
      return readdirSync(join(dir, sub), { recursive: true, withFileTypes: true }).some((entry) => entry.isFile());
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

/**
 * A name git accepts under refs/heads/ (check-ref-format's rules), so `refs/heads/<name>` names one
 * ref and no revision range.
 */
export function isBranchName(name: string): boolean {
  return (
    // eslint-disable-next-line no-control-regex -- check-ref-format refuses control characters by name
    /^[^\x00-\x20\x7f~^:?*[\\]+$/.test(name) && !/\.\.|@\{|\/\/|^[/.]|[/.]$|\.lock$|\/\./.test(name) && name !== '@'
  );
}

/** The blob at `path` on `ref`, or undefined when the ref or the path does not exist (one process). */
export async function readBlob(
  dir: string,
  ref: string,
  path: string,
): Promise<{ sha: string; content: Buffer } | undefined> {
  // eslint-disable-next-line no-control-regex -- a newline (any control character) would end the batch request
  if (/[\x00-\x1f]/.test(ref + path)) return undefined;
  const out = await git(['cat-file', '--batch'], { cwd: dir, input: `${ref}:${path}\n` });
  const newline = out.indexOf(0x0a);
  const [sha, type, size] = out.subarray(0, newline).toString('utf8').split(' ');
  if (type !== 'blob' || !/^[0-9a-f]{40}$/.test(sha ?? '')) return undefined;
  return { sha: sha!, content: out.subarray(newline + 1, newline + 1 + Number(size)) };
}

/** The blob id of each path on `ref` (absent paths are left out), in one process. */
export async function blobIds(dir: string, ref: string, paths: string[]): Promise<Map<string, string>> {
  // eslint-disable-next-line no-control-regex -- a newline (any control character) would split the batch request
  const asked = paths.filter((path) => !/[\x00-\x1f]/.test(path));
  if (asked.length === 0) return new Map();
  const out = (
    await git(['cat-file', '--batch-check'], { cwd: dir, input: asked.map((path) => `${ref}:${path}\n`).join('') })
  ).toString('utf8');
  const ids = new Map<string, string>();
  out
    .split('\n')
    .slice(0, asked.length)
    .forEach((line, i) => {
      const [sha, type] = line.split(' ');
      if (type === 'blob') ids.set(asked[i]!, sha!);
    });
  return ids;
}
