/**
 * @module main/smoke-git
 * The smoke check's push, as a developer makes it: the real git binary (on PATH) over HTTP(S),
 * clone, one commit, push. The Gitea token travels in an `http.extraHeader` given through git's
 * GIT_CONFIG_* environment, so it is in no argument list (`ps`), no remote URL, no .git/config and
 * no message git prints.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmokePush {
  cloneHttp: string;
  token: string;
  file: { path: string; content: string };
  message: string;
  /** Stops git (and the push) when aborted. */
  signal?: AbortSignal;
}

/** Clones, commits the file, pushes to the branch the clone checked out; returns the commit. */
export async function pushCommit(push: SmokePush): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'threesix-smoke-'));
  const checkout = join(work, 'checkout');
  // Gitea takes a token as the Basic password for git over HTTP (any user name).
  const header = `Authorization: Basic ${Buffer.from(`threesix-smoke:${push.token}`).toString('base64')}`;
  const env = {
    ...process.env,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: header,
    GIT_TERMINAL_PROMPT: '0',
  };
  const git = (cwd: string, ...args: string[]) =>
    run(
      cwd,
      env,
      ['-c', 'user.name=threesix smoke', '-c', 'user.email=smoke@threesix.invalid', ...args],
      [push.token, header],
      push.signal,
    );
  try {
    await git(work, 'clone', '--quiet', push.cloneHttp, 'checkout');
    writeFileSync(join(checkout, push.file.path), push.file.content);
    await git(checkout, 'add', push.file.path);
    await git(checkout, 'commit', '--quiet', '-m', push.message);
    await git(checkout, 'push', '--quiet', 'origin', 'HEAD');
    return (await git(checkout, 'rev-parse', 'HEAD')).trim();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function run(
  cwd: string,
  env: NodeJS.ProcessEnv,
  args: string[],
  secrets: string[],
  signal?: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env, timeout: 120_000, signal }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      // run-smoke aborts with an Error naming the signal; anything else still ends the push.
      if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('interrupted'));
      // git names the remote, never the header; the secrets are scrubbed anyway, in case.
      const said = secrets.reduce(
        (text, secret) => text.split(secret).join('[redacted]'),
        String(stderr).trim().split('\n').slice(-3).join(' | '),
      );
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new Error(
          missing
            ? 'git is not on PATH; the smoke check pushes with the real git binary'
            : `git ${args.find((a) => !a.startsWith('-') && !a.includes('='))} failed: ${said || error.message}`,
        ),
      );
    });
  });
}
