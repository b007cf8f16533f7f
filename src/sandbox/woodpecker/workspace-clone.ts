/**
 * @module sandbox/woodpecker/workspace-clone
 * The clone step Woodpecker puts first in every workflow (pipeline/frontend/yaml/compiler/compiler.go
 * `defaultCloneName = "clone"`, the plugin-git image): the pushed commit is checked out with real git
 * into a workspace the later steps read, at the path the compiler gives it
 * (compiler/option.go WithWorkspaceFromURL: `/woodpecker/src/<forge host><forge path>`). The forge
 * credential goes in git's environment (as plugin-git's netrc does), never in arguments or the log.
 * Nothing in the checkout is ever executed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Workspace {
  /** Where the checkout is on this machine. */
  dir: string;
  /** Where it would be inside the step's container, for log lines. */
  containerPath: string;
  remove(): void;
}

export async function cloneWorkspace(
  cloneUrl: string,
  forgeUrl: string,
  sha: string,
  token: string,
  log: string[],
): Promise<Workspace> {
  const dir = mkdtempSync(join(tmpdir(), 'threesix-woodpecker-ws-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const forge = new URL(forgeUrl);
  const containerPath = `/woodpecker/src/${forge.hostname}${forge.pathname.replace(/\/+$/, '')}`;
  const auth = `Authorization: Basic ${Buffer.from(`woodpecker:${token}`).toString('base64')}`;
  // GIT_CONFIG_COUNT keeps the header out of the process list and out of any error text.
  const env = {
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: auth,
  };
  try {
    log.push(`+ git clone ${cloneUrl} ${containerPath}`, `+ git checkout ${sha}`);
    await git(['clone', '--quiet', '--no-checkout', cloneUrl, dir], tmpdir(), env);
    await git(['checkout', '--quiet', sha], dir, env);
    return { dir, containerPath, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

function git(args: string[], cwd: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`git ${args[0]} exited with ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`)),
    );
  });
}
