/**
 * The Gitea stand-in's fast-import commit: it builds on the named parent, and a commit whose
 * parent is no longer the branch head (another commit got there first) is refused, leaving the
 * branch where the other commit put it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitFiles } from '../../src/sandbox/gitea/git-commit.js';
import { commitFacts, newCommits } from '../../src/sandbox/gitea/git-log.js';
import { branchHead, git, initBare } from '../../src/sandbox/gitea/git-repo.js';
import { tempDir } from '../support/test-app.js';

const author = { name: 'a', email: 'a@example.test' };
const file = (path: string, content: string) => ({ path, content: Buffer.from(content) });

describe('stand-in commitFiles (git fast-import)', () => {
  it('builds on the parent, deletes, and refuses a commit onto a branch that moved', async () => {
    const dir = join(tempDir(), 'repo.git');
    await initBare(dir, 'main');
    const first = await commitFiles(dir, {
      branch: 'main',
      message: 'one\n',
      files: [file('a.txt', 'a'), file('d/b.txt', 'b')],
      author,
    });
    const second = await commitFiles(dir, {
      branch: 'main',
      parent: first.sha,
      message: 'two\n',
      files: [{ path: 'a.txt' }, file('d/c.txt', 'c')],
      author,
    });
    expect(await branchHead(dir, 'main')).toBe(second.sha);
    expect(await commitFacts(dir, second.sha)).toMatchObject({
      parents: [first.sha],
      tree: second.tree,
      added: ['d/c.txt'],
      removed: ['a.txt'],
      message: 'two\n',
    });
    expect((await git(['rev-parse', `${second.sha}:d/c.txt`], { cwd: dir })).toString().trim()).toBe(
      second.blobs.get('d/c.txt'),
    );
    // Built on `first` again while main is at `second`: not a fast-forward.
    await expect(
      commitFiles(dir, { branch: 'main', parent: first.sha, message: 'late\n', files: [file('x', 'x')], author }),
    ).rejects.toThrow();
    await expect(
      commitFiles(dir, { branch: 'main', message: 'root\n', files: [file('x', 'x')], author }),
    ).rejects.toThrow();
    expect(await branchHead(dir, 'main')).toBe(second.sha);
    await expect(
      commitFiles(dir, { branch: 'main', parent: second.sha, message: 'bad\n', files: [file('../x', 'x')], author }),
    ).rejects.toThrow(/invalid path/);
  });

  it("lists a push's new commits newest first with their facts, counting beyond the page", async () => {
    const dir = join(tempDir(), 'repo.git');
    await initBare(dir, 'main');
    let parent: string | undefined;
    const shas: string[] = [];
    for (const n of [1, 2, 3]) {
      parent = (
        await commitFiles(dir, {
          branch: 'main',
          parent,
          message: `c${n}\n`,
          files: [file(`f${n}`, String(n))],
          author,
        })
      ).sha;
      shas.push(parent);
    }
    const page = await newCommits(dir, shas[2]!, [], 2);
    expect(page.total).toBe(3);
    expect(page.commits.map((c) => [c.id, c.message, c.added])).toEqual([
      [shas[2], 'c3\n', ['f3']],
      [shas[1], 'c2\n', ['f2']],
    ]);
    const since = await newCommits(dir, shas[2]!, [shas[0]!]);
    expect([since.total, since.commits.map((c) => c.id)]).toEqual([2, [shas[2], shas[1]]]);
  });
});
