/**
 * The Gitea stand-in's `empty` flag is read from the repository's files: it must agree with git
 * for a new repository, one with a commit, and one whose refs were packed.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { commitFiles } from '../../src/sandbox/gitea/git-commit.js';
import { git, hasNoRefs, initBare } from '../../src/sandbox/gitea/git-repo.js';
import { tempDir } from '../support/test-app.js';

describe('hasNoRefs', () => {
  it('follows loose and packed refs', async () => {
    const dir = join(tempDir(), 'repo.git');
    await initBare(dir, 'main');
    expect(hasNoRefs(dir)).toBe(true);
    await commitFiles(dir, {
      branch: 'main',
      message: 'first',
      files: [{ path: 'README.md', content: Buffer.from('hi') }],
      author: { name: 'a', email: 'a@example.test' },
    });
    expect(hasNoRefs(dir)).toBe(false);
    await git(['pack-refs', '--all'], { cwd: dir });
    expect(hasNoRefs(dir)).toBe(false);
    expect(hasNoRefs(join(dir, 'missing'))).toBe(true);
  });
});
