/**
 * @module sandbox/gitea/git-commit
 * One commit of several files as ONE `git fast-import` run: the blobs, the trees (nested paths
 * included), the commit and the branch update, plus the ids Gitea's answer shows. The earlier way,
 * an index file driven by hash-object/update-index/write-tree/commit-tree/update-ref, spawned two
 * processes per file and five more per commit; on a busy machine each spawn costs milliseconds.
 * fast-import refuses a branch update that is not a fast-forward, so a commit racing another
 * onto the same branch fails instead of dropping the other's work.
 */
import { git, type GitIdentity } from './git-repo.js';

export interface CommitChange {
  branch: string;
  /** The commit to build on; none for the first commit of a branch. */
  parent?: string;
  message: string;
  /** No content = delete. */
  files: Array<{ path: string; content?: Buffer }>;
  author: GitIdentity;
}

export interface CommitResult {
  sha: string;
  tree: string;
  /** Blob id of each written (not deleted) path. */
  blobs: Map<string, string>;
  /** Author and committer date, ISO 8601 as `git show --format=%aI` prints it. */
  date: string;
}

/** A repository-relative path git can store: no empty, `.`, `..` or `.git` component. */
export function isStorablePath(path: string): boolean {
  // eslint-disable-next-line no-control-regex -- git stores no path with control characters; they are what this refuses
  if (!path || /[\x00-\x1f\x7f]/.test(path)) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && part.toLowerCase() !== '.git');
}

export async function commitFiles(dir: string, change: CommitChange): Promise<CommitResult> {
  const bad = change.files.find((f) => !isStorablePath(f.path));
  if (bad) throw new Error(`invalid path ${JSON.stringify(bad.path.slice(0, 80))}`);
  const seconds = Math.floor(Date.now() / 1000);
  const who = `${identity(change.author.name)} <${identity(change.author.email)}> ${seconds} +0000`;
  const parts: Array<string | Buffer> = [
    `commit refs/heads/${change.branch}\nmark :1\nauthor ${who}\ncommitter ${who}\n`,
    data(Buffer.from(change.message)),
  ];
  if (change.parent) parts.push(`from ${change.parent}\n`);
  for (const file of change.files) {
    parts.push(file.content ? `M 100644 inline ${quote(file.path)}\n` : `D ${quote(file.path)}\n`);
    if (file.content) parts.push(data(file.content));
  }
  const written = change.files.filter((f) => f.content).map((f) => f.path);
  // Asked after the commit: its id, its root tree, and each written blob, in this order.
  parts.push('\nget-mark :1\nls :1 ""\n', ...written.map((path) => `ls :1 ${quote(path)}\n`), 'done\n');
  const input = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
  // unpackLimit=0 keeps the small pack fast-import writes instead of exploding it into loose
  // objects with a second process; receive-pack's `gc --auto` consolidates packs as they pile up.
  const lines = (await git(['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet', '--done'], { cwd: dir, input }))
    .toString('utf8')
    .split('\n');
  const sha = lines[0]!.trim();
  const tree = objectId(lines[1]);
  if (!/^[0-9a-f]{40}$/.test(sha) || !tree) throw new Error('git fast-import did not report the commit');
  const blobs = new Map(written.map((path, i) => [path, objectId(lines[2 + i]) ?? '']));
  return { sha, tree, blobs, date: new Date(seconds * 1000).toISOString().replace(/\.000Z$/, '+00:00') };
}

/** fast-import's `data <count>` framing: exact bytes, so content needs no escaping. */
function data(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n')]);
}

/** C-style quoting, which fast-import accepts for any path (spaces, quotes, non-ASCII). */
function quote(path: string): string {
  return `"${path.replace(/[\\"]/g, '\\$&')}"`;
}

/** `<` `>` and newlines would break the identity line; Gitea strips them too. */
function identity(text: string): string {
  return text.replace(/[<>\n]/g, '').trim();
}

/** The object id in an `ls` answer: "<mode> <type> <id>\t<path>". */
function objectId(line: string | undefined): string | undefined {
  return /^\d+ \w+ ([0-9a-f]{40})\t/.exec(line ?? '')?.[1];
}
