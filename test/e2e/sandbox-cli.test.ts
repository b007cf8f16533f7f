/**
 * `threesix-mcp sandbox` (built CLI): the stand-ins alone, their variables in an env file. A
 * restart on the same THREESIX_DATA_DIR binds the same ports and hands out the same variables, so a
 * clone URL stored before, and an existing clone's remote, still work; a second sandbox on the
 * same data dir is refused while the first runs, and changes nothing.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runBuiltCli, startSandboxCli, type SandboxChild } from '../support/sandbox-cli.js';
import { tempDir } from '../support/test-app.js';

const run = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  run('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.test', ...args], { cwd });

/** The fields of the sandbox's kubeconfig this test uses. */
type Kubeconfig = { clusters: Array<{ cluster: { server: string } }>; users: Array<{ user: { token: string } }> };

describe('threesix-mcp sandbox (built CLI)', () => {
  let running: SandboxChild | undefined;
  beforeAll(ensureBuilt);
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('keeps its ports, variables and git repositories across a restart of the same data dir', async () => {
    const dataDir = join(tempDir(), 'data');
    running = await startSandboxCli(dataDir);
    const first = running.env;
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining([
        'GITEA_URL',
        'GITEA_TOKEN',
        'CLOUDFLARE_API_URL',
        'CLOUDFLARE_ZONE_ID',
        'CLOUDFLARE_API_TOKEN',
        'WOODPECKER_URL',
        'WOODPECKER_TOKEN',
        'REGISTRY_URL',
        'KUBECONFIG',
        'DEFAULT_DOMAIN',
      ]),
    );
    expect(first.KUBECONFIG!.startsWith(dataDir)).toBe(true);
    // The file loads in a shell as README says, to the same values.
    const envFile = join(dataDir, '..', 'sandbox.env');
    const shell = await run('sh', [
      '-c',
      'set -a; . "$1"; set +a; printf "%s|%s|%s" "$GITEA_URL" "$KUBECONFIG" "$WOODPECKER_TOKEN"',
      'sh',
      envFile,
    ]);
    expect(shell.stdout).toBe(`${first.GITEA_URL}|${first.KUBECONFIG}|${first.WOODPECKER_TOKEN}`);
    const kubeconfig = readFileSync(first.KUBECONFIG!, 'utf8');
    const { clusters, users } = JSON.parse(kubeconfig) as Kubeconfig;
    expect(clusters[0]!.cluster.server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // A repository made through Gitea's API, cloned with real git as a person would.
    const created = await fetch(`${first.GITEA_URL}/api/v1/orgs/${first.GITEA_DEFAULT_ORG}/repos`, {
      method: 'POST',
      headers: { authorization: `token ${first.GITEA_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'kept', auto_init: true }),
    });
    expect(created.status).toBe(201);
    const cloneUrl = new URL(`${first.GITEA_URL}/${first.GITEA_DEFAULT_ORG}/kept.git`);
    cloneUrl.username = 'e2e';
    cloneUrl.password = first.GITEA_TOKEN!;
    const work = tempDir();
    await git(work, 'clone', '--quiet', cloneUrl.toString(), 'before');

    // Ctrl-C stops it cleanly (the second run ends with SIGTERM, in afterEach).
    expect(await running.stop('SIGINT')).toBe(0);
    running = await startSandboxCli(dataDir);
    expect(running.env).toEqual(first);
    // Same server and token: a process that loaded the kubeconfig before keeps working.
    expect(readFileSync(first.KUBECONFIG!, 'utf8')).toBe(kubeconfig);
    // The stored URL clones again, and the existing clone's remote still answers.
    await git(work, 'clone', '--quiet', cloneUrl.toString(), 'after');
    await git(join(work, 'before'), 'fetch', '--quiet', 'origin');
    const heads = await Promise.all(['before', 'after'].map((dir) => git(join(work, dir), 'rev-parse', 'HEAD')));
    expect(heads[1]!.stdout).toBe(heads[0]!.stdout);
    // The other stand-ins answer at their old addresses with the old credentials.
    const dns = await fetch(`${first.CLOUDFLARE_API_URL}/zones/${first.CLOUDFLARE_ZONE_ID}/dns_records`, {
      headers: { authorization: `Bearer ${first.CLOUDFLARE_API_TOKEN}` },
    });
    expect(dns.status).toBe(200);
    const ci = await fetch(`${first.WOODPECKER_URL}/api/user`, {
      headers: { authorization: `Bearer ${first.WOODPECKER_TOKEN}` },
    });
    expect(ci.status).toBe(200);
    const namespaces = await fetch(`${clusters[0]!.cluster.server}/api/v1/namespaces`, {
      headers: { authorization: `Bearer ${users[0]!.user.token}` },
    });
    expect(namespaces.status).toBe(200);
  }, 30_000);

  it('refuses a second sandbox on a data dir in use, naming the cause, and leaves the first one as it was', async () => {
    const dataDir = join(tempDir(), 'data');
    running = await startSandboxCli(dataDir);
    const saved = readFileSync(join(dataDir, 'sandbox', 'platform.json'), 'utf8');
    const { code, stdout, stderr } = await runBuiltCli(['sandbox'], {
      PATH: process.env.PATH ?? '',
      THREESIX_DATA_DIR: dataDir,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /port \d+ saved for the Gitea stand-in .* is in use; is another sandbox running on this THREESIX_DATA_DIR/,
    );
    expect(stdout).toBe('');
    expect(readFileSync(join(dataDir, 'sandbox', 'platform.json'), 'utf8')).toBe(saved);
    const version = await fetch(`${running.env.GITEA_URL}/api/v1/version`);
    expect(version.status).toBe(200);
  }, 30_000);
});
