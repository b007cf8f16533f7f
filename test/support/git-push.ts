/**
 * A developer's push over smart HTTP with the real git binary: clone, add one file, commit, push
 * to main. Returns the pushed commit.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './test-app.js';

const run = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  run('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.test', ...args], { cwd });

export async function pushFile(
  cloneHttp: string,
  password: string,
  file: { path: string; content: string; message: string },
): Promise<string> {
  const work = tempDir('threesix-e2e-clone-');
  const remote = new URL(cloneHttp);
  remote.username = 'e2e';
  remote.password = password;
  await git(work, 'clone', remote.toString(), 'checkout');
  const checkout = join(work, 'checkout');
  writeFileSync(join(checkout, file.path), file.content);
  await git(checkout, 'add', file.path);
  await git(checkout, 'commit', '-m', file.message);
  await git(checkout, 'push', 'origin', 'HEAD:main');
  return (await git(checkout, 'rev-parse', 'HEAD')).stdout.trim();
}
