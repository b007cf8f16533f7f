/**
 * @module sandbox/gitea/git-log
 * Commit facts for Gitea's JSON (branch heads, push payloads), from one `git log` per question.
 */
import { git, text, type GitIdentity } from './git-repo.js';

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

const FACTS = '--format=%x1e%H%x00%T%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%aI%x00%B%x00';

/**
 * Everything Gitea's JSON says about each commit `revs` select (newest first, at most `max`),
 * from one `git log`: the format, then the changed paths. A root commit lists its files as added
 * (log.showRoot); a merge lists none, as diff-tree without -m does.
 */
export async function commitLog(dir: string, revs: string[], max: number): Promise<CommitFacts[]> {
  const raw = (
    await git(
      [
        'log',
        '--no-color',
        '--no-renames',
        '--diff-merges=off',
        '--name-status',
        FACTS,
        `--max-count=${max}`,
        ...revs,
        '--',
      ],
      { cwd: dir },
    )
  ).toString('utf8');
  return raw
    .split('\x1e')
    .slice(1)
    .map((record) => {
      const [id, tree, parents, an, ae, cn, ce, date, body, changes = ''] = record.split('\0');
      const facts: CommitFacts = {
        id: id!,
        tree: tree!,
        parents: parents ? parents.split(' ').filter(Boolean) : [],
        author: { name: an!, email: ae! },
        committer: { name: cn!, email: ce! },
        timestamp: date!,
        message: body!.replace(/\n+$/, '\n'),
        added: [],
        removed: [],
        modified: [],
      };
      for (const line of changes.split('\n').filter(Boolean)) {
        const [status, path] = line.split('\t') as [string, string];
        (status.startsWith('A') ? facts.added : status.startsWith('D') ? facts.removed : facts.modified).push(path);
      }
      return facts;
    });
}

export async function commitFacts(dir: string, rev: string): Promise<CommitFacts> {
  const [facts] = await commitLog(dir, [rev], 1);
  if (!facts) throw new Error(`no commit at ${rev.slice(0, 60)}`);
  return facts;
}

/**
 * Commits reachable from `after` and not from `exclude`, newest first, with their facts (what
 * Gitea's push payload lists), and how many there are. Counting takes a second process only when
 * there are more than `max`.
 */
export async function newCommits(
  dir: string,
  after: string,
  exclude: string[],
  max = 20,
): Promise<{ commits: CommitFacts[]; total: number }> {
  const revs = [after, ...(exclude.length > 0 ? ['--not', ...exclude] : [])];
  const commits = await commitLog(dir, revs, max);
  const total = commits.length < max ? commits.length : Number(await text(['rev-list', '--count', ...revs], dir));
  return { commits, total };
}
